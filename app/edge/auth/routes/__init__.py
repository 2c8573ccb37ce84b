"""The OAuth server's route handlers: authorization, token and revocation endpoints."""
