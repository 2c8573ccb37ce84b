"""Typed errors of the value-added layer, each with a machine-readable reason."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every VAS error: `reason` is machine-readable, `message` names what was wrong."""

    default_reason = "error"

    def __init__(self, message: str, *, reason: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.reason = reason or self.default_reason
        self.field = field


class NotFound(ServiceError):
    default_reason = "not_found"


class PermissionDenied(ServiceError):
    default_reason = "permission_denied"


class Unauthenticated(ServiceError):
    default_reason = "unauthenticated"


class InvalidArgument(ServiceError):
    default_reason = "invalid_argument"


class Conflict(ServiceError):
    default_reason = "conflict"


class ResourceExhausted(ServiceError):
    default_reason = "resource_exhausted"


class Unavailable(ServiceError):
    default_reason = "unavailable"


class PayloadTooLarge(ServiceError):
    default_reason = "payload_too_large"


class UnsupportedMediaType(ServiceError):
    default_reason = "unsupported_media_type"


class Unprocessable(ServiceError):
    default_reason = "unprocessable"
