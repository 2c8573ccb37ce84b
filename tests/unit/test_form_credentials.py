"""The kit reads legacy credentials from form bodies without consuming or buffering uploads."""

from __future__ import annotations

from typing import Any

from app.edge.kit.form_credentials import MAX_FORM_BYTES, credentials_from_form

BOUNDARY = "xYzZY"


def _multipart(fields: list[tuple[str, str]], file_size: int) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'.encode()
        for n, v in fields
    ]
    parts.append(
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
        f'name="track[asset_data]"; filename="a.wav"\r\n'
        "Content-Type: audio/wav\r\n\r\n".encode()
        + b"\x01" * file_size
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


class Body:
    """An ASGI `receive` handing out a body in chunks, counting what was taken."""

    def __init__(self, body: bytes, chunk: int) -> None:
        self.chunks = [body[i : i + chunk] for i in range(0, len(body), chunk)]
        self.taken = 0

    async def receive(self) -> Any:
        self.taken += 1
        more = self.taken < len(self.chunks)
        return {"type": "http.request", "body": self.chunks[self.taken - 1], "more_body": more}


def _scope(content_type: str) -> dict[str, Any]:
    return {"headers": [(b"content-type", content_type.encode())]}


async def _drain(receive: Any) -> bytes:
    out = b""
    while True:
        message = await receive()
        out += message.get("body", b"")
        if not message.get("more_body"):
            return out


async def test_multipart_fields_before_the_file_are_read_and_the_file_is_not() -> None:
    raw = _multipart([("client_id", "cid"), ("oauth_token", "tok"), ("x", "y")], 1_000_000)
    body = Body(raw, 4096)
    found, replay = await credentials_from_form(
        _scope(f"multipart/form-data; boundary={BOUNDARY}"), body.receive
    )
    assert found == {"client_id": "cid", "oauth_token": "tok"}
    assert body.taken == 1  # both found in the first chunk: the upload is left unread
    assert await _drain(replay) == raw  # and the handler gets the whole body, unchanged


async def test_multipart_stops_at_the_first_file_part() -> None:
    raw = _multipart([("title", "t")], 1_000_000)
    body = Body(raw, 1024)
    found, replay = await credentials_from_form(
        _scope(f'multipart/form-data; boundary="{BOUNDARY}"'), body.receive
    )
    assert found == {} and body.taken == 1
    assert await _drain(replay) == raw


async def test_multipart_reads_at_most_the_form_limit() -> None:
    raw = _multipart([("padding", "p" * (2 * MAX_FORM_BYTES)), ("oauth_token", "tok")], 10)
    body = Body(raw, 1024)
    found, replay = await credentials_from_form(
        _scope(f"multipart/form-data; boundary={BOUNDARY}"), body.receive
    )
    assert found == {} and body.taken <= MAX_FORM_BYTES // 1024 + 2
    assert await _drain(replay) == raw


async def test_malformed_multipart_is_left_to_the_handler() -> None:
    raw = b"--not the boundary\r\ngarbage"
    body = Body(raw, 1024)
    found, replay = await credentials_from_form(
        _scope(f"multipart/form-data; boundary={BOUNDARY}"), body.receive
    )
    assert found == {} and await _drain(replay) == raw


async def test_urlencoded_and_other_bodies() -> None:
    raw = b"oauth_token=tok&track%5Btitle%5D=t"
    found, replay = await credentials_from_form(
        _scope("application/x-www-form-urlencoded"), Body(raw, 8).receive
    )
    assert found == {"oauth_token": "tok"} and await _drain(replay) == raw
    body = Body(b'{"oauth_token": "tok"}', 8)
    found, replay = await credentials_from_form(_scope("application/json"), body.receive)
    assert found == {} and body.taken == 0
