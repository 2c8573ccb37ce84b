"""Who is calling: the app, maybe a user (via a token), and the access Viewer built from them."""

from __future__ import annotations

import msgspec

from app.value_added.access import Viewer
from app.value_added.identity import AppInfo, Principal


class Caller(msgspec.Struct, frozen=True):
    """The authenticated caller of one request."""

    app: AppInfo
    principal: Principal | None
    viewer: Viewer

    @property
    def user_id(self) -> int | None:
        return self.viewer.user_id

    @property
    def is_anonymous(self) -> bool:
        return self.viewer.user_id is None

    @classmethod
    def for_app(cls, app: AppInfo, territory: str | None) -> Caller:
        viewer = Viewer(user_id=None, app_id=app.id, territory=territory, plan="free")
        return cls(app=app, principal=None, viewer=viewer)

    @classmethod
    def for_principal(cls, principal: Principal, territory: str | None) -> Caller:
        return cls(app=principal.app, principal=principal, viewer=principal.viewer(territory))
