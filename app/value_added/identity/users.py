"""User accounts: sign-up with validated fields and argon2 passwords, and sign-in."""

from __future__ import annotations

from msgspec.structs import replace

from app.foundation.users.records import NewUser
from app.value_added.common.errors import Conflict, Unauthenticated
from app.value_added.identity import rules
from app.value_added.identity.aggregates import UserCreated
from app.value_added.identity.core import IdentityCore


class UserAccounts(IdentityCore):
    """create_user and authenticate."""

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
            username=rules.username(username),
            permalink=username.lower(),
            country=rules.country(country),
            plan=rules.plan(plan),
            first_name=rules.text("first_name", first_name),
            last_name=rules.text("last_name", last_name),
        )
        password_hash = await self._passwords.hash(rules.password(password))
        taken = Conflict(
            f"username {username!r} is taken", reason="username_taken", field="username"
        )
        async with self._deps.db.write() as uow:
            if await uow.users.exists(new.username, new.permalink):
                raise taken
            user = await uow.users.try_create(replace(new, password_hash=password_hash))
            if user is None:
                raise taken
            await uow.counters.users.ensure(user.id)
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
            async with self._deps.db.write() as uow:
                await uow.users.set_password_hash(user.id, rehashed)
        return user.id
