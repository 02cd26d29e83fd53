"""Returnee registration: profiles, registrations with a waiting list, consents, self-service links."""
