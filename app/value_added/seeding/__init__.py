"""Seeding VAS: the deterministic demo catalog and large synthetic catalogs, in bulk."""
