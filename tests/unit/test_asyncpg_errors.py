"""Errors of statements run on asyncpg directly are raised as the engine's would be."""

from __future__ import annotations

import asyncpg
import pytest

from app.faults import DependencyUnavailable
from app.foundation.db import Conflict, MissingReference, asyncpg_error


@pytest.mark.parametrize(
    ("raised", "expected", "lost"),
    [
        (asyncpg.exceptions.DeadlockDetectedError("deadlock"), Conflict, False),
        (asyncpg.exceptions.SerializationError("serialization"), Conflict, False),
        (asyncpg.exceptions.ForeignKeyViolationError("gone"), MissingReference, False),
        (asyncpg.exceptions.QueryCanceledError("statement timeout"), DependencyUnavailable, False),
        (asyncpg.exceptions.AdminShutdownError("shutdown"), DependencyUnavailable, False),
        (asyncpg.exceptions.ConnectionDoesNotExistError("gone"), DependencyUnavailable, True),
        (asyncpg.InterfaceError("connection is closed"), DependencyUnavailable, True),
        (asyncpg.InternalClientError("cannot switch to state 12"), DependencyUnavailable, True),
        (TimeoutError(), DependencyUnavailable, True),
        (ConnectionResetError(), DependencyUnavailable, True),
    ],
)
def test_driver_errors_become_the_foundations(
    raised: Exception, expected: type[BaseException], lost: bool
) -> None:
    error, dropped = asyncpg_error(raised)
    assert type(error) is expected
    assert dropped is lost


def test_other_errors_stay_the_drivers() -> None:
    raised = asyncpg.exceptions.UndefinedColumnError("no such column")
    assert asyncpg_error(raised) == (raised, False)
