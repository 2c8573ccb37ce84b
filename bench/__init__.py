"""Benchmarks: load and scale scripts that print figures (never timed tests)."""
