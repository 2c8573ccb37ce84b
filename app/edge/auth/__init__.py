"""Soundstack OAuth 2.1 authorization server."""

from app.edge.auth.spec import spec

__all__ = ["spec"]
