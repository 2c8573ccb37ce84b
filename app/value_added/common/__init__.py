"""Bottom of value_added: errors, deps, field masks, cursors and pages, like and repost lists,
signed grants, secrets and provenance, shared by every service."""
