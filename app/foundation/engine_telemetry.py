"""Database telemetry of an engine: statements sent, pooled connections in use, and a span per
SQL statement while a traced request or job runs. (Our own listeners rather than
opentelemetry-instrumentation-sqlalchemy: that instrumentor is a process-wide singleton that
instruments one engine once, and each app here owns its engine.)"""

from __future__ import annotations

from functools import cache
from typing import Any

from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

from app.telemetry.metrics import metrics
from app.telemetry.tracing import current

SPAN_KEY = "soundstack.statement_span"


def connections_in_use(engine: AsyncEngine, kept_idle: int = 0) -> int:
    """Connections of the engine's pool checked out right now and doing work: the checked-out
    count less `kept_idle`, connections kept checked out for reads but idle (read when /metrics
    is scraped: counting checkout/checkin events drifts when connections are invalidated or
    terminated)."""
    pool = engine.sync_engine.pool
    return max(0, pool.checkedout() - kept_idle) if isinstance(pool, QueuePool) else 0


def count_outside_engine(database: str) -> None:
    """A statement run on a driver connection directly (LoopReader), in the statements metric."""
    _statements(database).inc()


def statement_span(database: str, statement: str) -> Any:
    """The span of a statement run outside the engine, while a traced request runs (else
    None); the caller ends it."""
    tracer = current()
    if tracer is None:
        return None
    return tracer.start_span(
        f"SELECT {database}",
        kind=SpanKind.CLIENT,
        attributes={"db.system": database, "db.statement": statement[:2000]},
    )


def end_statement_span(span: Any, error: BaseException | None) -> None:
    """End a statement's span (`statement_span`), marked failed when the statement raised."""
    if error is not None:
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    span.end()


@cache
def _statements(database: str) -> Any:
    """`soundstack_db_statements` of one database (bound once)."""
    return metrics().db_statements.labels(database)


def instrument_engine(engine: AsyncEngine) -> None:
    """Count the engine's statements, track checked-out connections, trace statements."""
    database = engine.dialect.name
    m = metrics()
    statements = m.db_statements.labels(database)
    sync_engine = engine.sync_engine

    def before(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.inc()
        tracer = current()
        if tracer is not None:
            verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
            conn.info[SPAN_KEY] = tracer.start_span(
                f"{verb} {database}",
                kind=SpanKind.CLIENT,
                attributes={"db.system": database, "db.statement": statement[:2000]},
            )

    def after(conn: Any, *_: Any) -> None:
        opened = conn.info.pop(SPAN_KEY, None)
        if opened is not None:
            opened.end()

    def failed(context: Any) -> None:
        opened = context.connection.info.pop(SPAN_KEY, None) if context.connection else None
        if opened is not None:
            opened.set_status(Status(StatusCode.ERROR, type(context.original_exception).__name__))
            opened.end()

    event.listen(sync_engine, "before_cursor_execute", before)
    event.listen(sync_engine, "after_cursor_execute", after)
    event.listen(sync_engine, "handle_error", failed)
