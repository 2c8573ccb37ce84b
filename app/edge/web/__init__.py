"""Soundstack Web API (api-v2 compatible)."""

from app.edge.web.spec import spec

__all__ = ["spec"]
