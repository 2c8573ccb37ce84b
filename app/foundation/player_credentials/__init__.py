"""Player credentials foundation service: Subsonic API keys (hashed) and player passwords (sealed)."""
