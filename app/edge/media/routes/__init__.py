"""Media delivery's route handlers."""
