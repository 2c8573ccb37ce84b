"""In-memory fakes of the foundation (Database, UnitOfWork, repositories) for fast VAS tests.

Only the repository methods the Tracks, Playlists and Users services call are implemented
(plus a few seeding methods with the real signatures); tests/unit/test_fakes_match_real.py
runs the same scenarios against these fakes and the real SQLite repositories.
"""

from tests.unit.fakes.database import InMemoryDatabase, InMemoryUnitOfWork, TickingClock
from tests.unit.fakes.state import State

__all__ = ["InMemoryDatabase", "InMemoryUnitOfWork", "State", "TickingClock"]
