"""Seeding VAS: the deterministic demo catalog and large synthetic catalogs, in bulk."""

from __future__ import annotations

from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Conflict, NotFound
from app.value_added.identity import IdentityService, Passwords
from app.value_added.seeding import demo
from app.value_added.seeding.catalog import CatalogRun
from app.value_added.seeding.derive import Derived
from app.value_added.seeding.plan import (
    DEMO_SIZES,
    DemoAccount,
    DemoApp,
    DemoCredentials,
    DemoSeed,
    Progress,
    SeedReport,
    SeedSizes,
)


class SeedingService:
    """Writes catalogs through the foundation repositories in bulk (never row by row).

    `secret` (the app's SECRET_KEY) derives the demo credentials and secret-link tokens, so a
    re-run prints the same credentials while no two installs share them.
    """

    def __init__(
        self,
        deps: Deps,
        identity: IdentityService,
        secret: str,
        *,
        batch_size: int = 5_000,
        passwords: Passwords | None = None,
    ) -> None:
        self._deps = deps
        self._identity = identity
        self._derived = Derived(secret)
        self._batch_size = batch_size
        self._passwords = passwords or Passwords()

    async def user_count(self) -> int:
        async with self._deps.db.read() as uow:
            return await uow.users.count()

    async def demo_present(self) -> bool:
        async with self._deps.db.read() as uow:
            return await uow.users.by_username(demo.LISTENER) is not None

    async def seed_demo(
        self, progress: Progress | None = None, track_ms: int | None = None
    ) -> DemoSeed:
        """Seed the demo catalog once; later runs write nothing and return the same credentials.

        `track_ms`: every demo track's duration (that of the audio the caller gives them)."""
        if await self.demo_present():
            empty = SeedReport(rows={}, seconds=0.0)
            return DemoSeed(credentials=await self.demo_credentials(), report=empty, created=False)
        names = demo.usernames(DEMO_SIZES.users)
        async with self._deps.db.read() as uow:
            taken = await uow.users.existing_usernames(names)
        if taken:
            raise Conflict(f"cannot seed the demo: usernames {sorted(taken)} are taken")
        password_hash = await self._passwords.hash(demo.password(self._derived))
        run = self._run(demo.SEED, progress, track_ms)
        report, user_ids = await run.run(
            DEMO_SIZES, names, password_hash, creators_from=2, web_profiles=True
        )

        async def listeners(uow: UnitOfWork) -> None:
            await uow.users.update(user_ids[0], {"plan": "free", "country": "DE"})
            await uow.users.update(user_ids[1], {"plan": "premium", "country": "US"})

        await self._deps.db.transact(listeners)
        apps = await self._ensure_apps()
        partner = next(a for a in apps if a.bff == "partner")
        for creator in user_ids[2 : 2 + demo.GRANTING_CREATORS]:
            await self._identity.grant_partner(partner.id, creator)
        credentials = await self.demo_credentials()
        return DemoSeed(credentials=credentials, report=report, created=True)

    async def demo_credentials(self) -> DemoCredentials:
        """The demo accounts and apps (NotFound when the demo has not been seeded)."""
        names = demo.usernames(2 + demo.GRANTING_CREATORS)
        roles = ["listener", "premium listener"] + ["creator (granted partner)"] * (len(names) - 2)
        accounts = []
        async with self._deps.db.read() as uow:
            for name, role in zip(names, roles, strict=True):
                user = await uow.users.by_username(name)
                if user is None:
                    raise NotFound("the demo catalog has not been seeded (run `litestar seed`)")
                accounts.append(DemoAccount(user.id, user.username, user.plan, user.country, role))
        apps = await self._ensure_apps(create=False)
        return DemoCredentials(
            password=demo.password(self._derived),
            accounts=tuple(accounts),
            user_count=len(demo.usernames(DEMO_SIZES.users)),
            apps=tuple(apps),
        )

    async def seed_catalog(
        self, sizes: SeedSizes, seed: int = 1, progress: Progress | None = None
    ) -> SeedReport:
        """Append a synthetic catalog of `sizes` (users `user<id>` without passwords)."""
        report, _ = await self._run(seed, progress).run(sizes)
        return report

    async def totals(self) -> dict[str, int]:
        """Row counts, counter sums (`track_counters.likes` …) and policy kinds, for checks."""
        async with self._deps.db.read() as uow:
            social = uow.social
            out = {
                "users": await uow.users.count(),
                "tracks": await uow.tracks.count(),
                "playlists": len(await uow.playlists.all_ids()),
                "playlist_entries": await uow.playlists.count_entries(),
                "track_likes": await social.track_likes.count(),
                "track_reposts": await social.track_reposts.count(),
                "playlist_likes": await social.playlist_likes.count(),
                "playlist_reposts": await social.playlist_reposts.count(),
                "follows": await social.follows.count(),
                "comments": await social.count_comments(),
                "plays": await uow.plays.count_plays(),
            }
            out |= await uow.policies.summary(self._deps.clock())
            for kind in ("tracks", "playlists", "users"):
                sums = await getattr(uow.counters, kind).totals()
                out |= {f"{kind[:-1]}_counters.{k}": n for k, n in sums.items()}
        return out

    async def demo_track_ids(self) -> list[int]:
        """Every track of the demo's accounts (empty before the demo is seeded)."""
        names = demo.usernames(DEMO_SIZES.users)
        ids: list[int] = []
        async with self._deps.db.read() as uow:
            for name in names:
                user = await uow.users.by_username(name)
                if user is not None:
                    ids.extend(await uow.tracks.ids_by_user(user.id))
        return sorted(ids)

    def _run(self, seed: int, progress: Progress | None, track_ms: int | None = None) -> CatalogRun:
        now = self._deps.clock()
        return CatalogRun(
            self._deps.db,
            self._derived,
            now,
            seed,
            batch_size=self._batch_size,
            progress=progress,
            track_ms=track_ms,
        )

    async def _ensure_apps(self, create: bool = True) -> list[DemoApp]:
        apps = []
        for bff, name, entitlements in demo.APPS:
            client_id, client_secret = demo.client_credentials(self._derived, bff)
            info = await self._identity.app_by_client_id(client_id)
            if info is None and create:
                try:
                    created = await self._identity.create_app(
                        name,
                        [bff],
                        list(entitlements),
                        list(demo.REDIRECT_URIS),
                        client_id=client_id,
                        client_secret=client_secret,
                    )
                except Conflict as exc:
                    raise Conflict(
                        f"demo app {name!r} exists with other credentials "
                        "(was SECRET_KEY changed since the demo was seeded?)"
                    ) from exc
                info = await self._identity.app_by_id(created.id)
            if info is None:
                raise NotFound(f"demo app {name!r} is missing (run `litestar seed`)")
            apps.append(DemoApp(info.id, bff, name, client_id, client_secret, entitlements))
        return apps
