"""Media delivery edge: signed stream, preview, download and artwork URLs (Range support)."""

from app.edge.media.spec import spec

__all__ = ["spec"]
