"""User accounts: sign-up with validated fields and argon2 passwords, and sign-in."""

from __future__ import annotations

import asyncio
import secrets

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from msgspec.structs import replace

from app.foundation.unit_of_work import UnitOfWork
from app.foundation.users.records import NewUser, UserRecord
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Conflict, Unauthenticated
from app.value_added.identity import validation
from app.value_added.identity.aggregates import UserCreated

LOCKED = "!"
"""Before a password hash: the account is disabled (as `passwd -l` marks a locked one)."""


def is_locked(stored: str | None) -> bool:
    return stored is not None and stored.startswith(LOCKED)


class PasswordCost(msgspec.Struct, frozen=True):
    """argon2id's parameters (PASSWORD_TIME_COST, PASSWORD_MEMORY_KIB, PASSWORD_PARALLELISM);
    the default is RFC 9106's second recommendation (argon2-cffi's own). Hashes made with other
    parameters still verify: each stored hash names its own."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4

    def hasher(self) -> PasswordHasher:
        return PasswordHasher(
            time_cost=self.time_cost, memory_cost=self.memory_kib, parallelism=self.parallelism
        )


class Passwords:
    """argon2id hashing run off the event loop; unknown users verify against a dummy hash."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        self._dummy: str | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored: str | None, password: str) -> bool:
        """True when `password` matches `stored`; a missing hash costs the same and is False."""
        if self._dummy is None:
            self._dummy = await self.hash(secrets.token_urlsafe(16))
        target = stored if stored is not None and not is_locked(stored) else self._dummy
        try:
            ok = await asyncio.to_thread(self._hasher.verify, target, password)
        except (VerificationError, InvalidHashError):
            return False
        return ok and stored is not None and not is_locked(stored)

    def needs_rehash(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(stored)


class UserAccounts:
    """create_user and authenticate."""

    def __init__(self, deps: Deps, passwords: Passwords) -> None:
        self._deps = deps
        self._passwords = passwords

    async def create_user(
        self,
        username: str,
        password: str,
        country: str | None = None,
        plan: str = "free",
        first_name: str = "",
        last_name: str = "",
    ) -> UserCreated:
        """Create an account; Conflict(username_taken) or InvalidArgument naming the field."""
        new = NewUser(
            username=validation.username(username),
            permalink=username.lower(),
            country=validation.country(country),
            plan=validation.plan(plan),
            first_name=validation.text("first_name", first_name),
            last_name=validation.text("last_name", last_name),
        )
        password_hash = await self._passwords.hash(validation.password(password))
        taken = Conflict(
            f"username {username!r} is taken", reason="username_taken", field="username"
        )

        async def command(uow: UnitOfWork) -> UserRecord:
            if await uow.users.exists(new.username, new.permalink):
                raise taken
            user = await uow.users.try_create(replace(new, password_hash=password_hash))
            if user is None:
                raise taken
            await uow.counters.users.ensure(user.id)
            return user

        user = await self._deps.db.transact(command)
        return UserCreated(
            id=user.id,
            username=user.username,
            permalink=user.permalink,
            country=user.country,
            plan=user.plan,
        )

    async def authenticate(self, username: str, password: str) -> int:
        """The user id; unknown user and wrong password fail alike (invalid_credentials)."""
        async with self._deps.db.read() as uow:
            user = await uow.users.by_username(username)
            stored = await uow.users.password_hash(user.id) if user is not None else None
        if user is None or not await self._passwords.verify(stored, password):
            raise Unauthenticated("invalid username or password", reason="invalid_credentials")
        if stored is not None and self._passwords.needs_rehash(stored):
            rehashed = await self._passwords.hash(password)
            user_id = user.id

            async def rehash(uow: UnitOfWork) -> None:
                await uow.users.set_password_hash(user_id, rehashed)

            await self._deps.db.transact(rehash)
        return user.id
