"""Tables of the player credentials foundation service: API keys and player passwords."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.foundation.db import ID, Base, UTCDateTime


class ApiKeyRow(Base):
    """An API key of a user: only the SHA-256 digest of the key is stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ID, ForeignKey("users.id", ondelete="CASCADE"))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_api_keys_user_id_id", "user_id", "id"),)


class PlayerPasswordRow(Base):
    """A user's player password, sealed (authenticated encryption) under the server's key."""

    __tablename__ = "player_passwords"

    user_id: Mapped[int] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
