"""The HTML of the sign-in / consent page and the error page; everything rendered is escaped.

No scripts and no external resources: the pages carry their own Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from urllib.parse import urlsplit

from litestar import MediaType, Response
from litestar.openapi.datastructures import ResponseSpec

SCOPE_LABELS = {
    "read": "See your profile, tracks, playlists and activity",
    "write": "Upload, edit and delete on your behalf; like, repost, comment and follow",
    "insights": "See statistics about your tracks",
    "partner:catalog": "Manage your catalog as a partner",
    "partner:insights": "See partner reports about your catalog",
}

_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;background:#f4f4f5;color:#18181b;margin:0}
main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:.75rem;
box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.25rem;margin:0 0 1rem}label{display:block;margin:.75rem 0 .25rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;
border:1px solid #a1a1aa;border-radius:.375rem;font:inherit}
ul{padding-left:1.25rem}.error{background:#fee2e2;color:#991b1b;padding:.5rem .75rem;
border-radius:.375rem}.actions{display:flex;gap:.75rem;margin-top:1.25rem}
button{flex:1;padding:.6rem;border-radius:.375rem;border:1px solid #a1a1aa;font:inherit;
cursor:pointer;background:#fff}button[value=approve]{background:#f50;border-color:#f50;
color:#fff}code{font-size:.9em}
"""


def origin_of(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(redirect_uri: str | None = None) -> str:
    """Inline styles only; forms may post here and (after the 303) land on the client."""
    form_action = "'self'" + (f" {origin_of(redirect_uri)}" if redirect_uri else "")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
    )


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def _scope_items(scopes: Iterable[str]) -> str:
    items = []
    for scope in scopes:
        label = SCOPE_LABELS.get(scope, "")
        detail = f" — {escape(label)}" if label else ""
        items.append(f"<li><code>{escape(scope)}</code>{detail}</li>")
    return "".join(items) or "<li>Basic access to your account</li>"


def sign_in_page(
    *,
    action: str,
    app_name: str,
    scopes: Iterable[str],
    hidden: Mapping[str, str],
    username: str = "",
    error: str | None = None,
) -> str:
    """The sign-in and consent form; `hidden` carries the request and the CSRF token."""
    fields = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items()
    )
    alert = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    body = (
        f"<h1>Sign in to connect <strong>{escape(app_name)}</strong></h1>{alert}"
        f'<form method="post" action="{escape(action)}">{fields}'
        '<label for="username">Username</label>'
        f'<input type="text" id="username" name="username" value="{escape(username)}" '
        'autocomplete="username" autocapitalize="none" spellcheck="false">'
        '<label for="password">Password</label>'
        '<input type="password" id="password" name="password" autocomplete="current-password">'
        f"<p><strong>{escape(app_name)}</strong> will be able to:</p>"
        f"<ul>{_scope_items(scopes)}</ul>"
        '<div class="actions">'
        '<button type="submit" name="decision" value="approve">Approve</button>'
        '<button type="submit" name="decision" value="deny">Deny</button></div>'
        "</form>"
    )
    return _document(f"Sign in — {app_name}", body)


def error_page(title: str, message: str) -> str:
    """An error the user must see here, because redirecting to the client is unsafe."""
    body = f'<h1>{escape(title)}</h1><p class="error" role="alert">{escape(message)}</p>'
    return _document(title, body)


def html(body: str, status: int, redirect_uri: str | None = None) -> Response[str]:
    headers = {
        "Content-Security-Policy": content_security_policy(redirect_uri),
        "Cache-Control": "no-store",
        "Pragma": "no-cache",
    }
    return Response(body, status_code=status, media_type=MediaType.HTML, headers=headers)


def refuse(message: str, status: int = 400) -> Response[str]:
    return html(error_page("This sign-in link is not valid", message), status)


def page(description: str) -> ResponseSpec:
    """An answer that is an HTML page (the document names it besides the JSON errors)."""
    return ResponseSpec(
        data_container=str,
        media_type=MediaType.HTML,
        description=description,
        generate_examples=False,
    )


REDIRECT = ResponseSpec(
    data_container=None,
    description="See Other: to the client's redirect_uri, with `code` or with `error` and "
    "`error_description` (RFC 6749 §4.1.2), and `state` as it was sent",
)
REFUSED = page(
    "The error page (never a redirect): unknown client_id, unregistered redirect_uri, a "
    "repeated parameter, or a form that could not be read"
)
