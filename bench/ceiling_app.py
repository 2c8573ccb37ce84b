"""The ceiling: a hello-world Litestar app returning a msgspec Struct, served like the real one.

`/hello` is the plain ceiling; every other path answers the same, so a scenario's own wrk
script can be pointed at it to measure what the load generator itself costs.
"""

from __future__ import annotations

import msgspec
from litestar import Litestar, get, route


class Hello(msgspec.Struct):
    id: int
    title: str


@get("/hello", sync_to_thread=False)
def hello() -> Hello:
    return Hello(id=1, title="hello world")


@route("/{path:path}", http_method=["GET", "POST", "DELETE"], sync_to_thread=False)
def anything(path: str) -> Hello:
    return Hello(id=1, title="hello world")


def create_app() -> Litestar:
    return Litestar([hello, anything], openapi_config=None)
