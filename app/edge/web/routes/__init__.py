"""The Web API's route handlers, one module per api-v2 resource family."""
