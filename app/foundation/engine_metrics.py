"""Database metrics of an engine: statements sent and pooled connections in use."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from app.telemetry.metrics import metrics


def instrument_engine(engine: AsyncEngine) -> None:
    """Count the engine's statements and track its checked-out connections."""
    database = engine.dialect.name
    m = metrics()
    statements = m.db_statements.labels(database)
    in_use = m.db_connections_in_use.labels(database)

    def on_execute(*_: Any) -> None:
        statements.inc()

    event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    event.listen(engine.sync_engine.pool, "checkout", lambda *_: in_use.inc())
    event.listen(engine.sync_engine.pool, "checkin", lambda *_: in_use.dec())
