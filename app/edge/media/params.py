"""Request inputs of media delivery: HTTP byte ranges (RFC 9110 §14), one range per request,
If-Range aware."""

from __future__ import annotations

import re

import msgspec

from app.edge.kit.bounds import range_number

_SPEC = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class ByteRange(msgspec.Struct, frozen=True):
    start: int
    end: int
    """Inclusive."""

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


class Unsatisfiable(Exception):
    """The range lies outside the representation: answer 416 with `bytes */size`."""


def parse(
    header: str | None, size: int, if_range: str | None = None, etag: str = ""
) -> ByteRange | None:
    """The single range to serve, or None for the whole representation.

    Malformed headers, multiple ranges and a stale If-Range are ignored (a 200 with the full
    body is always a correct answer); a well-formed range that cannot be satisfied raises.
    """
    if not header:
        return None
    if if_range is not None and if_range.strip() != etag:
        return None
    match = _SPEC.match(header)
    if match is None:
        return None
    first, last = match.group(1), match.group(2)
    if first == "" and last == "":
        return None
    # A number beyond the kit's bound is beyond any object: as a first byte it cannot be
    # satisfied, as a last byte or a suffix length it means "to the end" (RFC 9110 §14.1.2).
    if first == "":
        suffix = range_number(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(0 if suffix is None else max(0, size - suffix), size - 1)
    start = range_number(first)
    end = range_number(last) if last else None
    if start is not None and end is not None and end < start:
        return None
    if start is None or start >= size:
        raise Unsatisfiable
    return ByteRange(start, size - 1 if end is None else min(end, size - 1))
