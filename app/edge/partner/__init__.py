"""partner package."""
