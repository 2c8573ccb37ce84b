"""Player credentials foundation service: Subsonic API keys (hashed), player passwords (sealed)."""
