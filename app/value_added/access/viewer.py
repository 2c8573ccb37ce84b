"""The Viewer: who is asking (user or anonymous, app, territory, plan, managed creators)."""

from __future__ import annotations

import msgspec


class Viewer(msgspec.Struct, frozen=True):
    """Everything the authorization policy knows about the party making a request."""

    user_id: int | None
    app_id: int | None
    territory: str | None
    """ISO 3166-1 alpha-2, upper-case; None when unknown (restricted tracks then fail closed)."""
    plan: str
    """'free' or 'premium'; an anonymous viewer is always 'free'."""
    managed_user_ids: frozenset[int] = frozenset()
    """Creators who granted THIS (partner) app the right to manage their catalog."""

    @classmethod
    def anonymous(cls, app_id: int | None = None, territory: str | None = None) -> Viewer:
        """A viewer with no signed-in user, on the free plan, managing nobody."""
        return cls(user_id=None, app_id=app_id, territory=territory, plan="free")

    @property
    def is_anonymous(self) -> bool:
        """True when no user is signed in (the request may still come from an app)."""
        return self.user_id is None

    def manages(self, owner_id: int) -> bool:
        """True when the viewer's app was granted management of `owner_id`'s catalog."""
        return self.app_id is not None and owner_id in self.managed_user_ids

    def acts_for(self, owner_id: int) -> bool:
        """True when the viewer is the owner, or its app manages the owner."""
        return (self.user_id is not None and self.user_id == owner_id) or self.manages(owner_id)

    @property
    def acted_for(self) -> tuple[int, ...]:
        """Every owner the viewer acts for (`acts_for`): themselves, then managed creators."""
        own = () if self.user_id is None else (self.user_id,)
        managed = tuple(sorted(self.managed_user_ids)) if self.app_id is not None else ()
        return own + tuple(m for m in managed if m != self.user_id)
