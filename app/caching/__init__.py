"""What every cache of the process shares, below every layer: the provenance of cached results
and the one byte budget."""
