"""counters package."""
