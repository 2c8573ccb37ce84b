"""The ceiling: a hello-world Litestar app returning a msgspec Struct, served like the real one."""

from __future__ import annotations

import msgspec
from litestar import Litestar, get


class Hello(msgspec.Struct):
    id: int
    title: str


@get("/hello", sync_to_thread=False)
def hello() -> Hello:
    return Hello(id=1, title="hello world")


def create_app() -> Litestar:
    return Litestar([hello], openapi_config=None)
