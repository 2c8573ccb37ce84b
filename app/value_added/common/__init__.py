"""Bottom of value_added: shared errors, field masks and cursors."""
