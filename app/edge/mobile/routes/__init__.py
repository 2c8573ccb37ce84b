"""The Mobile API's route handlers, one module per resource."""
