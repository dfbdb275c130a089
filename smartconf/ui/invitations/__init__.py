"""Invitation screens: a conference's participants (the Participants tab), the outbox with
progress and cancel, the SMTP settings, and replies imported by drag and drop."""
