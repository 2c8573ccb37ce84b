"""No credential in any log line: the values of credential parameters, JSON members, URL
passwords and Authorization credentials found in a text are replaced by [redacted]."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

CREDENTIAL_PARAMS = (
    "p",
    "t",
    "s",
    "apiKey",
    "password",
    "token",
    "oauth_token",
    "access_token",
    "refresh_token",
    "client_secret",
    "secret_token",
    "code",
    "code_verifier",
)
"""Query parameters whose values never reach a log line (Subsonic's p/t/s/apiKey, OAuth's, a
private track's secret_token)."""
SECRET_NAMES = tuple(n for n in CREDENTIAL_PARAMS if len(n) > 1)
"""The names also redacted as `name: value` (JSON, dict reprs); p/t/s only as parameters."""
_CREDENTIAL = re.compile(
    r"(?P<name>(?:^|[?&;\s,({\[])(?:" + "|".join(map(re.escape, CREDENTIAL_PARAMS)) + r")=)"
    r"(?!\[redacted\])[^&;#\s\"',)}\]]*",  # (once redacted, a value stays as it is)
)
_CREDENTIAL_MEMBER = re.compile(
    r"(?P<name>[\"'](?:" + "|".join(map(re.escape, SECRET_NAMES)) + r")[\"']\s*:\s*)"
    r"(?:\"[^\"]*\"|'[^']*'|[^,}\s]+)",
)
_URL_PASSWORD = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@/\s]+@")
_SCHEME_CREDENTIAL = re.compile(r"(?P<name>\b(?:Bearer|OAuth|Basic)\s+)[A-Za-z0-9._~+/=-]+")
REDACTED = "[redacted]"


def redacted(text: str) -> str:
    """`text` without credential values: of query parameters (`oauth_token=…`), of JSON or
    dict members (`"password": "…"`), URL passwords (`redis://:pw@host`) and Authorization
    credentials (`Bearer …`), each replaced by [redacted]."""
    if "=" in text:
        text = _CREDENTIAL.sub(lambda m: m.group("name") + REDACTED, text)
    if ":" in text:
        text = _CREDENTIAL_MEMBER.sub(lambda m: m.group("name") + f'"{REDACTED}"', text)
        text = _URL_PASSWORD.sub(lambda m: m.group("name") + REDACTED + "@", text)
    if "Bearer" in text or "OAuth" in text or "Basic" in text:  # (the scheme's words, cheaply)
        text = _SCHEME_CREDENTIAL.sub(lambda m: m.group("name") + REDACTED, text)
    return text


_RECURRING_MAX = 4096
_recurring: dict[str, str] = {}


def redacted_recurring(text: str) -> str:
    """redacted(text) for a text of a bounded set (a request line's event, route, BFF, app):
    remembered, so a text seen before costs one look-up (the memory cleared when full)."""
    found = _recurring.get(text)
    if found is None:
        if len(_recurring) >= _RECURRING_MAX:
            _recurring.clear()
        found = _recurring[text] = redacted(text)
    return found


def redact_event(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A structlog processor: every text of a rendered line (its message, its exception's
    traceback, any field) without credential values."""
    for key, value in event.items():
        if isinstance(value, str):
            event[key] = redacted(value)
    return event
