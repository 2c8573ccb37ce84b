"""Soundstack Mobile API."""

from app.edge.mobile.spec import spec

__all__ = ["spec"]
