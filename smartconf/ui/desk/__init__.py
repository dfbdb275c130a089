"""Desk mode: the full-screen check-in desk (scan field, webcam, verdict card, sounds)."""
