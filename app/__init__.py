"""Soundstack: a self-hostable audio platform backend."""
