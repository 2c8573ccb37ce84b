"""Peers measured next to Soundstack in the same run: one ORM, one raw-SQL implementation."""
