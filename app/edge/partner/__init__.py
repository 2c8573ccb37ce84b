"""Soundstack Partner API."""

from app.edge.partner.spec import spec

__all__ = ["spec"]
