"""Media value-added service: uploads, transcodes and stream URLs."""
