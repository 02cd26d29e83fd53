"""User accounts for organizers, employers and admins."""
