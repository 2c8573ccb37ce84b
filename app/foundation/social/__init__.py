"""social package."""
