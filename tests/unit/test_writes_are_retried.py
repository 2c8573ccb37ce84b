"""Every write of the value-added services runs in `Database.transact` or `write_grouped`, so
a deadlock or serialization failure is run again inside the unit of work and never reaches a
client: a bare `db.write()` there would surface it as an error."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VALUE_ADDED = ROOT / "app" / "value_added"
BARE_WRITES_ALLOWED = {
    "app/value_added/seeding/writer.py": "a bulk load from a one-pass iterator, offline: "
    "nothing concurrent to lose a race to, and nothing to run again from",
}


def bare_writes(source: str) -> list[int]:
    """Lines that open a write unit of work directly: `<…>.db.write(…)` or `<…>._db.write(…)`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr != "write":
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if name in ("db", "_db"):
            lines.append(node.lineno)
    return lines


def test_the_check_finds_a_bare_write() -> None:
    planted = (
        "async def f(self):\n"
        "    async with self._deps.db.write() as uow:\n"
        "        await uow.users.update(1, {})\n"
        "    async with db.write(cached_reads=True) as uow:\n"
        "        pass\n"
        "    await self._deps.db.transact(command)\n"
    )
    assert bare_writes(planted) == [2, 4]


def test_value_added_writes_run_in_retrying_units_of_work() -> None:
    found = {}
    for path in sorted(VALUE_ADDED.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        lines = bare_writes(path.read_text())
        if lines and name not in BARE_WRITES_ALLOWED:
            found[name] = lines
    assert found == {}, "use db.transact(command) (or write_grouped) instead of db.write()"


def test_every_allowed_bare_write_is_still_there() -> None:
    """An exception nobody needs any more is removed from the list, not kept as a loophole."""
    for name in BARE_WRITES_ALLOWED:
        assert bare_writes((ROOT / name).read_text()), name
