"""The process's ASGI app: one routing decision by path prefix, then the BFF's own app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.plugins import PluginRegistry

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


class PrefixDispatcher:
    """Sends `/<name>/…` to `bffs[name]` (the ASGI-standard full path, with `/<name>` added to
    `root_path`), everything else (operations, unknown paths, the lifespan) to `operations`.

    No second routing or exception-handling pass stands in front of the BFFs: a Litestar mount
    would add one, 4-6 µs of CPU per request (bench/dispatch.py).

    `state`, `lifespan()` and `plugins` are the operations app's: what runs the process in
    process (tests, benches) and the `litestar` CLI (which takes its commands from `plugins`)
    need from it.

    `deferred` BFFs are built on their first request (a process that exercises one BFF of
    several, as most tests do, pays only for that one); a server builds every BFF up front.
    """

    def __init__(
        self,
        operations: Litestar,
        bffs: Mapping[str, ASGIApp],
        deferred: Mapping[str, Callable[[], ASGIApp]] | None = None,
    ) -> None:
        self.operations = operations
        self.bffs = dict(bffs)
        self._deferred = dict(deferred or {})

    @property
    def state(self) -> State:
        return self.operations.state

    @property
    def plugins(self) -> PluginRegistry:
        return self.operations.plugins

    def lifespan(self) -> AbstractAsyncContextManager[None]:
        """Start and stop the process as a server's lifespan messages would."""
        return self.operations.lifespan()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            root: str = scope.get("root_path", "")
            path: str = scope["path"]
            if root and path.startswith(root):  # the full path, as the ASGI spec has it
                path = path[len(root) :]
            end = path.find("/", 1)
            if end < 0:
                end = len(path)
            inner = self.bffs.get(path[1:end])
            if inner is None and self._deferred:
                inner = self._built(path[1:end])
            if inner is not None:
                await inner({**scope, "root_path": root + path[:end]}, receive, send)
                return
        await self.operations(scope, receive, send)

    def _built(self, name: str) -> ASGIApp | None:
        """The deferred BFF `name`, built now (once), or None when there is no such BFF."""
        build = self._deferred.pop(name, None)
        if build is None:
            return None
        self.bffs[name] = app = build()
        return app
