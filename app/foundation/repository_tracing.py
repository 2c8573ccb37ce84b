"""Spans per foundation repository call (only under a traced request or job)."""

from __future__ import annotations

import sys
from functools import cached_property
from typing import get_type_hints

from app.foundation.unit_of_work import UnitOfWork
from app.telemetry.tracing import trace_class_methods


def trace_repositories() -> None:
    """Wrap the methods of every repository a unit of work hands out, and of the classes
    defined beside them (e.g. the social repository's edge sets), once per process."""
    for name, attr in vars(UnitOfWork).items():
        if isinstance(attr, cached_property):
            repository = get_type_hints(attr.func)["return"]
            assert isinstance(repository, type), name
            module = sys.modules[repository.__module__]
            for member in vars(module).values():
                if isinstance(member, type) and member.__module__ == module.__name__:
                    trace_class_methods(member, "foundation")
