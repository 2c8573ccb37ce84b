"""What every value-added service is built from: the foundation, signers, a sealer and a clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import msgspec

from app.foundation.db import utcnow
from app.foundation.unit_of_work import Database
from app.value_added.common.cursor import CursorCodec
from app.value_added.common.grants import GrantSigner
from app.value_added.common.sealing import Sealer


class Deps(msgspec.Struct, frozen=True):
    """Shared dependencies of the value-added services (built once by the composition root)."""

    db: Database
    cursors: CursorCodec
    grants: GrantSigner
    sealer: Sealer
    """Encrypts secrets the server must read back (Subsonic player passwords)."""
    clock: Callable[[], dt.datetime] = utcnow

    @classmethod
    def build(cls, db: Database, secret: str, clock: Callable[[], dt.datetime] = utcnow) -> Deps:
        return cls(
            db=db,
            cursors=CursorCodec(secret),
            grants=GrantSigner(secret),
            sealer=Sealer(secret),
            clock=clock,
        )
