"""Foundation layer: small services that own their tables and return plain records."""
