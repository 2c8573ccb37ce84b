"""Principals foundation read: a caller's token joined to its app, user and partner grants."""
