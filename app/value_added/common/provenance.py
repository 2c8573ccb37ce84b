"""Provenance of a response: the record-cache entries it was built from, for edge caches."""

from app.foundation.cache import Provenance, tracking

__all__ = ["Provenance", "tracking"]
