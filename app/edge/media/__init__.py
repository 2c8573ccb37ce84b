"""Media delivery edge: signed stream, preview, download and artwork URLs (Range support)."""
