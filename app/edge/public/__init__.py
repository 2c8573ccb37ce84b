"""Soundstack Public API (SoundCloud public API compatible)."""

from app.edge.public.spec import spec

__all__ = ["spec"]
