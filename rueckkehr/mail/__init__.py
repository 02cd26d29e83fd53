"""Every mail the app sends: rendered into the outbox with the change that caused it, delivered after the commit."""
