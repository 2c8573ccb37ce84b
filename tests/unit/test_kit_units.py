"""Kit pieces without HTTP: hygiene helpers, conditional GET, quirks, policies and settings."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from litestar import Litestar, Request

from app.edge.kit import conditional, headers, links
from app.edge.kit.headers import client_address
from app.edge.kit.quirks import Quirk, Quirks
from app.edge.kit.ratelimit import DEFAULT_POLICY, Budget, RateLimitPolicy
from app.edge.kit.revocations import _decoded, _hashes
from app.settings import SettingsError, load_settings


def test_trusted_peers_by_address_cidr_or_name() -> None:
    proxies = ("10.0.0.0/8", "192.168.1.5", "testclient")
    assert headers.is_trusted("10.2.3.4", proxies)
    assert headers.is_trusted("192.168.1.5", proxies)
    assert headers.is_trusted("testclient", proxies)
    assert not headers.is_trusted("192.168.1.6", proxies)
    assert not headers.is_trusted(None, proxies)
    assert not headers.is_trusted("10.0.0.1", ())


def test_territory_header_is_validated() -> None:
    assert headers.territory_of(b"de") == "DE"
    assert headers.territory_of(b"DEU") is None
    assert headers.territory_of(None) is None


def test_sanitize_keeps_host_even_if_connection_names_it() -> None:
    kept = headers.sanitize([(b"Host", b"x"), (b"Connection", b"host, keep-alive")], trusted=False)
    assert kept == [(b"host", b"x")]


def test_if_none_match() -> None:
    tag = conditional.etag_of(b"{}")
    assert conditional.matches(b"*", tag)
    assert conditional.matches(b'"a", W/' + tag, tag)
    assert not conditional.matches(b'"a"', tag)
    assert not conditional.matches(None, tag)


def test_quirk_version_ranges() -> None:
    quirks = Quirks([Quirk("App", before=(2, 0), since=(1, 5), fix=lambda b: b)])
    assert quirks.fixes_for("App/1.5.0 Other/9")
    assert quirks.fixes_for("App/1.9")
    assert not quirks.fixes_for("App/2.0.0")
    assert not quirks.fixes_for("App/1.4.9")
    assert not quirks.fixes_for(None)


def test_policy_overrides_from_settings() -> None:
    policy = DEFAULT_POLICY.overridden(app=5, writes=2)
    limits = {b.name: (b.limit, b.window) for b in policy.budgets}
    assert limits == {
        "app": (5, 60),
        "user": (1_200, 60),
        "user-writes": (2, 60),
        "anonymous": (600, 60),  # (added to every policy counting per app)
    }
    assert policy.overridden() == policy
    anonymous = policy.overridden(anonymous=30, address=9).budgets[-1]
    assert (anonymous.name, anonymous.limit, anonymous.per) == ("anonymous", 30, "address")
    per_user = RateLimitPolicy(budgets=(Budget("user", 1, 60, "user"),)).overridden()
    assert [b.name for b in per_user.budgets] == ["user"]
    assert not per_user.counts_addresses and policy.counts_addresses
    assert not policy.counts_open_routes


def test_rate_limit_settings() -> None:
    env = {"SECRET_KEY": "x" * 16, "RATE_LIMIT_APP_PER_MINUTE": "7"}
    settings = load_settings(env)
    assert settings.rate_limit_app_per_minute == 7 and settings.rate_limit_user_per_minute is None
    anonymous = load_settings(env | {"RATE_LIMIT_ANONYMOUS_PER_MINUTE": "50"})
    assert anonymous.rate_limit_anonymous_per_minute == 50
    with pytest.raises(SettingsError, match="RATE_LIMIT_WRITES_PER_MINUTE"):
        load_settings(env | {"RATE_LIMIT_WRITES_PER_MINUTE": "0"})


def test_media_storage_settings() -> None:
    env = {"SECRET_KEY": "x" * 16}
    assert load_settings(env).media_storage_url is None
    s3 = load_settings(
        env
        | {
            "MEDIA_STORAGE_URL": "s3://media-bucket/prod",
            "MEDIA_DELIVERY": "redirect",
            "AWS_ENDPOINT_URL": "http://minio:9000/",
            "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_ACCESS_KEY_ID": "id",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "RATE_LIMIT_MEDIA_PER_MINUTE": "600",
            "MEDIA_JOB_LEASE_SECONDS": "5",
        }
    )
    assert (s3.media_storage_url, s3.media_delivery) == ("s3://media-bucket/prod", "redirect")
    assert (s3.aws_endpoint_url, s3.aws_region) == ("http://minio:9000", "eu-west-1")
    assert (s3.rate_limit_media_per_minute, s3.media_job_lease_seconds) == (600, 5)
    assert load_settings(env | {"AWS_REGION": "us-east-2"}).aws_region == "us-east-2"
    for bad, name in (
        ({"MEDIA_STORAGE_URL": "/srv/media"}, "MEDIA_STORAGE_URL"),
        ({"MEDIA_STORAGE_URL": "s3://No_Such"}, "MEDIA_STORAGE_URL"),
        ({"MEDIA_DELIVERY": "cdn"}, "MEDIA_DELIVERY"),
        ({"AWS_ENDPOINT_URL": "minio:9000"}, "AWS_ENDPOINT_URL"),
        ({"AWS_ACCESS_KEY_ID": "only-the-id"}, "AWS_SECRET_ACCESS_KEY"),
    ):
        with pytest.raises(SettingsError, match=name):
            load_settings(env | bad)


def test_address_budgets_count_the_client_behind_trusted_proxies() -> None:
    policy = RateLimitPolicy(budgets=(Budget("media", 100, 60, "address"),))
    assert policy.overridden(address=5).budgets[0].limit == 5
    xff = [(b"x-forwarded-for", b"203.0.113.9, 10.0.0.2")]
    proxies = ("10.0.0.0/8",)
    assert client_address("10.0.0.1", xff, proxies) == "203.0.113.9"
    assert client_address("198.51.100.7", xff, proxies) == "198.51.100.7"  # untrusted peer
    assert client_address("10.0.0.1", [], proxies) == "10.0.0.1"
    assert client_address(None, xff, proxies) == "unknown"


def test_revocation_messages_are_parsed_defensively() -> None:
    assert _hashes(_decoded(b'["a", "b"]')) == ["a", "b"]
    assert _hashes(_decoded(b'["a", 1]')) == ["a"]
    assert _hashes(_decoded(b"{}")) == []
    assert _hashes(_decoded(b"not json")) == []


def test_allowed_hosts_setting_and_matching() -> None:
    from app.edge.kit.hosts import is_allowed

    env = {"SECRET_KEY": "k" * 32}
    assert load_settings(env).hosts_answered == ("localhost", "127.0.0.1", "::1")
    assert load_settings(env | {"BASE_URL": "https://m.example"}).hosts_answered is None
    hosts = load_settings(env | {"ALLOWED_HOSTS": "Music.Example, .example.org,[::1], 10.0.0.5"})
    assert hosts.allowed_hosts == ("music.example", ".example.org", "::1", "10.0.0.5")
    for bad in ("https://music.example", "music.example:8000", "a b", " , "):
        with pytest.raises(SettingsError, match="ALLOWED_HOSTS"):
            load_settings(env | {"ALLOWED_HOSTS": bad})
    allowed = hosts.allowed_hosts
    assert is_allowed(b"music.example:8000", allowed) and is_allowed("MUSIC.example.", allowed)
    assert is_allowed("api.example.org", allowed) and is_allowed("example.org", allowed)
    assert is_allowed("[::1]:8000", allowed) and is_allowed("10.0.0.5", allowed)
    assert not is_allowed("evilexample.org", allowed)
    assert not is_allowed("example.org.evil", allowed)
    assert not is_allowed("music.example@evil", allowed) and not is_allowed("", allowed)
    assert is_allowed(None, allowed) and is_allowed("anything", None)
    assert is_allowed("anything.example", ("*",))


@pytest.mark.parametrize(
    ("scheme", "host", "root_path", "app_root_path"),
    [
        ("https", b"example.org:8443", "/public", None),
        ("http", b"[::1]:8000", "/web", ""),
        ("http", b"localhost", "", None),
        ("http", None, "/mobile", None),  # (no Host: the server's address)
        ("http", b"localhost", "/public", "/other"),  # (Litestar's own mount: its path kept)
    ],
)
def test_links_root_from_raw_headers_is_litestars_base_url(
    monkeypatch: pytest.MonkeyPatch,
    scheme: str,
    host: bytes | None,
    root_path: str,
    app_root_path: str | None,
) -> None:
    settings = load_settings({"SECRET_KEY": "x" * 16, "ALLOWED_HOSTS": "*"})
    context = SimpleNamespace(settings=settings)
    monkeypatch.setattr(links.EdgeContext, "of", staticmethod(lambda _state: context))
    scope: dict[str, Any] = {
        "type": "http", "method": "GET", "scheme": scheme, "path": f"{root_path}/tracks/1",
        "root_path": root_path, "query_string": b"", "server": ("10.0.0.5", 8000),
        "headers": [(b"host", host)] if host else [], "litestar_app": Litestar(), "state": {},
    }  # fmt: skip
    if app_root_path is not None:
        scope["app_root_path"] = app_root_path
    request: Request[Any, Any, Any] = Request(scope)  # type: ignore[arg-type]
    litestars = str(Request(scope).base_url).rstrip("/").removesuffix(root_path)  # type: ignore[arg-type]
    assert links.base_url(request) == litestars
