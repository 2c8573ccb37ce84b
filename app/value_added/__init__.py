"""value_added package."""
