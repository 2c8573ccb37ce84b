"""public package."""
