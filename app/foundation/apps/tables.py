"""Tables of the apps foundation service: client apps, tokens, codes and partner grants."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.foundation.db import ID, Base, UTCDateTime


class AppRow(Base):
    __tablename__ = "apps"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    client_secret_hash: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(100), unique=True)
    owner_id: Mapped[int | None] = mapped_column(
        ID, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    bffs: Mapped[list[str]] = mapped_column(JSON, default=list)
    entitlements: Mapped[list[str]] = mapped_column(JSON, default=list)
    client_type: Mapped[str] = mapped_column(
        String(16), default="confidential", server_default="confidential"
    )
    """`confidential` (authenticates with its secret) or `public` (no secret: PKCE only)."""
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class TokenRow(Base):
    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    family: Mapped[str] = mapped_column(String(32), index=True)
    app_id: Mapped[int] = mapped_column(ID, ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    scopes: Mapped[str] = mapped_column(String(255), default="")
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    refresh_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    refresh_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class AuthorizationCodeRow(Base):
    __tablename__ = "authorization_codes"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app_id: Mapped[int] = mapped_column(ID, ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ID, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    redirect_uri: Mapped[str] = mapped_column(String(512))
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(8))
    scopes: Mapped[str] = mapped_column(String(255), default="")
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class PartnerGrantRow(Base):
    """A creator's grant letting a partner app manage their catalog."""

    __tablename__ = "partner_grants"

    app_id: Mapped[int] = mapped_column(
        ID, ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_partner_grants_user_id", "user_id"),)
