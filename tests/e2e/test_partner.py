"""Partner API over HTTP: entitlements, grants, catalog CRUD, bulk reads, policies, insights,
stricter write limits and the audit trail of every write."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import msgspec
import pytest

from app.foundation.db import utcnow
from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask
from app.value_added.creator import TrackDraft
from app.value_added.identity import AppInfo
from tests.e2e.conftest import Harness
from tests.integration.test_media_audio import sine

P = "/partner"
PARTNER = ("partner:catalog", "partner:insights")


class Partner(msgspec.Struct):
    app: AppInfo
    headers: dict[str, str]
    ana: int
    bob: int


async def _partner(h: Harness, entitlements: tuple[str, ...] = PARTNER) -> Partner:
    """A partner app managing `ana` (who granted it), not `bob`."""
    app, _ = await h.new_app("Label One", bffs=("partner",), entitlements=entitlements)
    ana = await h.new_user("ana_artist")
    bob = await h.new_user("bob_artist")
    await h.services.identity.grant_partner(app.id, ana)
    headers = {"Authorization": f"Bearer {await h.app_token(app)}"}
    return Partner(app=app, headers=headers, ana=ana, bob=bob)


@pytest.fixture
async def partner(harness: Harness) -> Partner:
    return await _partner(harness)


async def _bob_track(h: Harness, bob: int, **fields: Any) -> int:
    viewer = Viewer(user_id=bob, app_id=None, territory="DE", plan="free")
    draft = TrackDraft(title=fields.pop("title", "Bob's"), **fields)
    return (await h.services.creator.create_track(viewer, bob, draft)).id


async def _audit(h: Harness, p: Partner, query: str = "") -> list[dict[str, Any]]:
    r = await h.client.get(f"{P}/audit{query}", headers=p.headers)
    assert r.status_code == 200, r.text
    entries: list[dict[str, Any]] = r.json()["collection"]
    return entries


# --------------------------------------------------------------------------- who may call


async def test_only_entitled_partner_apps_may_call(harness: Harness) -> None:
    h = harness
    consumer, _ = await h.new_app("Consumer", bffs=("public", "web"))
    r = await h.client.get(
        f"{P}/creators", headers={"Authorization": f"Bearer {await h.app_token(consumer)}"}
    )
    assert r.status_code == 403 and r.json()["reason"] == "bff_not_entitled"

    plain, _ = await h.new_app("Plain Partner", bffs=("partner",), entitlements=("read", "write"))
    headers = {"Authorization": f"Bearer {await h.app_token(plain)}"}
    for method, path in (("GET", "/creators"), ("GET", "/audit"), ("DELETE", "/tracks/1")):
        r = await h.client.request(method, f"{P}{path}", headers=headers)
        assert r.status_code == 403, (method, path)
        assert r.json()["reason"] == "not_entitled"
        assert "partner:catalog" in r.json()["message"]

    catalog_only = await _partner(h, ("partner:catalog",))
    r = await h.client.get(f"{P}/creators", headers=catalog_only.headers)
    assert r.status_code == 200
    r = await h.client.get(
        f"{P}/creators/{catalog_only.ana}/insights?from=2024-01-01&to=2024-01-02",
        headers=catalog_only.headers,
    )
    assert r.status_code == 403 and "partner:insights" in r.json()["message"]
    assert (await h.client.get(f"{P}/creators")).status_code == 401


async def test_only_creators_who_granted_the_app_are_reachable(
    harness: Harness, partner: Partner
) -> None:
    h, p = harness, partner
    r = await h.client.get(f"{P}/creators", headers=p.headers)
    assert r.status_code == 200
    [creator] = r.json()["collection"]
    assert creator["id"] == p.ana and creator["username"] == "ana_artist"
    assert creator["uri"] == f"http://testserver.local/partner/creators/{p.ana}"

    assert (
        await h.client.get(f"{P}/creators/{p.ana}/tracks", headers=p.headers)
    ).status_code == 200
    unmanaged = await h.client.get(f"{P}/creators/{p.bob}/tracks", headers=p.headers)
    missing = await h.client.get(f"{P}/creators/987654/tracks", headers=p.headers)
    assert unmanaged.status_code == missing.status_code == 404
    assert unmanaged.json() == missing.json()  # bob's existence does not leak
    for path in (f"/creators/{p.bob}", f"/creators/{p.bob}/playlists"):
        assert (await h.client.get(f"{P}{path}", headers=p.headers)).status_code == 404
    r = await h.client.post(f"{P}/creators/{p.bob}/tracks", json={"title": "x"}, headers=p.headers)
    assert r.status_code == 404

    # Unmanaged tracks, per the access policy: invisible ⇒ 404 like a missing one; visible but
    # not editable ⇒ 403.  A partner's catalog reads never show them.
    public = await _bob_track(h, p.bob)
    private = await _bob_track(h, p.bob, sharing="private")
    r = await h.client.patch(f"{P}/tracks/{public}", json={"title": "Mine"}, headers=p.headers)
    assert r.status_code == 403
    hidden = await h.client.patch(f"{P}/tracks/{private}", json={"title": "M"}, headers=p.headers)
    gone = await h.client.patch(f"{P}/tracks/999999", json={"title": "M"}, headers=p.headers)
    assert hidden.status_code == gone.status_code == 404 and hidden.json() == gone.json()
    assert (await h.client.get(f"{P}/tracks/{public}", headers=p.headers)).status_code == 404

    # Revoking the grant closes the catalog at once (same process).
    await h.services.identity.revoke_partner(p.app.id, p.ana)
    r = await h.client.get(f"{P}/creators/{p.ana}/tracks", headers=p.headers)
    assert r.status_code == 404
    assert (await h.client.get(f"{P}/creators", headers=p.headers)).json()["collection"] == []
    assert await _audit(h, p) == []  # refused writes leave no trail


# --------------------------------------------------------------------------- catalog


async def test_track_crud_policies_and_their_audit_trail(
    harness: Harness, partner: Partner
) -> None:
    h, p = harness, partner
    body = {"title": "First Light", "genre": "House", "isrc": "USRC17607839", "duration_ms": 1000}
    r = await h.client.post(f"{P}/creators/{p.ana}/tracks", json=body, headers=p.headers)
    assert r.status_code == 201, r.text
    track = r.json()
    tid = track["id"]
    assert track["user_id"] == p.ana and track["permalink"] == "first-light"
    assert track["uri"] == f"http://testserver.local/partner/tracks/{tid}"

    r = await h.client.patch(
        f"{P}/tracks/{tid}", json={"title": "First Light (Edit)", "bpm": 124}, headers=p.headers
    )
    assert r.status_code == 200 and r.json()["title"] == "First Light (Edit)"
    r = await h.client.patch(f"{P}/tracks/{tid}", json={"territories": ["US"]}, headers=p.headers)
    assert r.status_code == 400 and r.json()["field"] == "territories"  # policy has its own PATCH

    # Policy: US only ⇒ a consumer in DE is blocked, one in the US may play.
    before = await h.services.tracks.get(h.viewer(None), tid, FieldMask.all())
    assert before.policy is not msgspec.UNSET and before.policy.access == "playable"
    policy = {"territories": ["us"], "monetization": "premium", "release_date": "2024-05-01"}
    r = await h.client.patch(f"{P}/tracks/{tid}/policy", json=policy, headers=p.headers)
    assert r.status_code == 200, r.text
    assert r.json()["territories"] == ["US"] and r.json()["monetization"] == "premium"
    in_de = await h.services.tracks.get(h.viewer(None), tid, FieldMask.all())
    assert in_de.policy is not msgspec.UNSET and in_de.policy.access == "blocked"
    us = Viewer(user_id=None, app_id=None, territory="US", plan="premium")
    in_us = await h.services.tracks.get(us, tid, FieldMask.all())
    assert in_us.policy is not msgspec.UNSET and in_us.policy.access == "preview"  # anonymous

    r = await h.client.patch(
        f"{P}/tracks/{tid}/policy", json={"sharing": "private"}, headers=p.headers
    )
    assert r.status_code == 200
    assert (await h.client.get(f"{P}/tracks/{tid}", headers=p.headers)).json()[
        "sharing"
    ] == "private"
    r = await h.client.patch(
        f"{P}/tracks/{tid}/policy", json={"territories": ["XX"]}, headers=p.headers
    )
    assert r.status_code == 400 and r.json()["field"] == "territories"

    listed = (await h.client.get(f"{P}/creators/{p.ana}/tracks", headers=p.headers)).json()
    assert [t["id"] for t in listed["collection"]] == [tid]

    assert (await h.client.delete(f"{P}/tracks/{tid}", headers=p.headers)).status_code == 204
    assert (await h.client.get(f"{P}/tracks/{tid}", headers=p.headers)).status_code == 404

    entries = await _audit(h, p)
    assert [e["action"] for e in entries] == ["delete", "policy", "policy", "update", "create"]
    for e in entries:
        assert e["app"] == {"id": p.app.id, "name": "Label One"}
        assert e["creator_id"] == p.ana and e["actor_user_id"] is None
        assert e["entity"] == {"kind": "track", "id": tid}
        assert e["request_id"]
        assert "secret_token" not in e["changes"] and "updated_at" not in e["changes"]
    delete, sharing, territories, update, create = entries
    assert create["changes"]["title"] == {"old": None, "new": "First Light"}
    assert create["changes"]["isrc"] == {"old": None, "new": "USRC17607839"}
    assert update["changes"] == {
        "title": {"old": "First Light", "new": "First Light (Edit)"},
        "bpm": {"old": None, "new": 124.0},
    }
    assert territories["changes"] == {
        "territories": {"old": None, "new": ["US"]},
        "monetization": {"old": "none", "new": "premium"},
        "release_date": {"old": None, "new": "2024-05-01"},
    }
    assert sharing["changes"] == {"sharing": {"old": "public", "new": "private"}}
    assert delete["changes"]["title"] == {"old": "First Light (Edit)", "new": None}


async def test_albums_and_playlists(harness: Harness, partner: Partner) -> None:
    h, p = harness, partner
    album = {"title": "Long Player", "set_type": "album", "release_date": "2024-06-01"}
    r = await h.client.post(f"{P}/creators/{p.ana}/playlists", json=album, headers=p.headers)
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    r = await h.client.post(
        f"{P}/creators/{p.ana}/playlists", json={"title": "Mix"}, headers=p.headers
    )
    mix = r.json()["id"]
    albums = await h.client.get(f"{P}/creators/{p.ana}/playlists?set_type=album", headers=p.headers)
    assert [a["id"] for a in albums.json()["collection"]] == [aid]
    both = await h.client.get(f"{P}/creators/{p.ana}/playlists", headers=p.headers)
    assert [a["id"] for a in both.json()["collection"]] == [mix, aid]
    r = await h.client.get(f"{P}/creators/{p.ana}/playlists?set_type=tape", headers=p.headers)
    assert r.status_code == 400 and r.json()["field"] == "set_type"

    r = await h.client.patch(f"{P}/playlists/{aid}", json={"set_type": "ep"}, headers=p.headers)
    assert r.status_code == 200 and r.json()["set_type"] == "ep"
    r = await h.client.patch(f"{P}/playlists/{aid}", json={"colour": "red"}, headers=p.headers)
    assert r.status_code == 400
    assert (await h.client.delete(f"{P}/playlists/{aid}", headers=p.headers)).status_code == 204
    assert (await h.client.get(f"{P}/playlists/{aid}", headers=p.headers)).status_code == 404

    entries = await _audit(h, p)
    assert [(e["action"], e["entity"]["id"]) for e in entries] == [
        ("delete", aid),
        ("update", aid),
        ("create", mix),
        ("create", aid),
    ]
    assert entries[1]["changes"] == {"set_type": {"old": "album", "new": "ep"}}
    assert entries[3]["changes"]["release_date"] == {"old": None, "new": "2024-06-01"}


async def test_bulk_reads_by_ids_and_isrc_keep_request_order(
    harness: Harness, partner: Partner
) -> None:
    h, p = harness, partner
    ids = []
    for n, isrc in enumerate(("GBAAA2400001", "GBAAA2400002", "GBAAA2400003")):
        body = {"title": f"T{n}", "isrc": isrc, "sharing": "private" if n == 2 else "public"}
        r = await h.client.post(f"{P}/creators/{p.ana}/tracks", json=body, headers=p.headers)
        ids.append(r.json()["id"])
    theirs = await _bob_track(h, p.bob, isrc="GBAAA2400001")

    query = ",".join(str(i) for i in [ids[2], theirs, 999999, ids[0], ids[2]])
    r = await h.client.get(f"{P}/tracks?ids={query}", headers=p.headers)
    assert r.status_code == 200
    assert [t["id"] for t in r.json()["collection"]] == [ids[2], ids[0]]

    r = await h.client.get(
        f"{P}/tracks?isrc=gbaaa2400003,GBAAA2400001,USXXX0000000", headers=p.headers
    )
    assert [t["id"] for t in r.json()["collection"]] == [ids[2], ids[0]]

    too_many = ",".join(str(i) for i in range(1, 202))
    r = await h.client.get(f"{P}/tracks?ids={too_many}", headers=p.headers)
    assert r.status_code == 400 and r.json()["field"] == "ids"
    r = await h.client.get(f"{P}/tracks?ids=1,x", headers=p.headers)
    assert r.status_code == 400 and r.json()["field"] == "ids"
    r = await h.client.get(f"{P}/tracks?isrc=nope", headers=p.headers)
    assert r.status_code == 400 and r.json()["field"] == "isrc"
    r = await h.client.get(f"{P}/tracks", headers=p.headers)
    assert r.status_code == 200 and r.json()["collection"] == []  # none named
    r = await h.client.get(
        f"{P}/tracks?ids={ids[1]}&isrc=GBAAA2400003,gbaaa2400002", headers=p.headers
    )
    assert [t["id"] for t in r.json()["collection"]] == [ids[1], ids[2]]  # each once


# --------------------------------------------------------------------------- insights


async def test_insights_as_json_and_csv(harness: Harness, partner: Partner) -> None:
    h, p = harness, partner
    r = await h.client.post(
        f"{P}/creators/{p.ana}/tracks", json={"title": "Hit"}, headers=p.headers
    )
    tid = r.json()["id"]
    today = utcnow().date()
    yesterday = today - dt.timedelta(days=1)
    noon = dt.datetime.combine(yesterday, dt.time(12), dt.UTC)
    async with h.services.deps.db.write() as uow:
        await uow.plays.add_plays(
            [
                {"track_id": tid, "territory": "DE", "played_at": noon},
                {"track_id": tid, "territory": "DE", "played_at": noon},
                {"track_id": tid, "territory": "US", "played_at": noon},
            ]
        )
        await uow.plays.record_download(tid, None, None, "FR")
    fan = await h.new_user("fan_one")
    await h.services.tracks.like(Viewer(user_id=fan, app_id=None, territory="DE", plan="free"), tid)

    span = f"from={yesterday}&to={today}"
    r = await h.client.get(f"{P}/creators/{p.ana}/insights?{span}", headers=p.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["from"] == str(yesterday) and body["to"] == str(today)
    assert body["totals"] == {"plays": 3, "likes": 1, "reposts": 0, "downloads": 1}
    rows = {(x["day"], x["territory"]): x for x in body["collection"]}
    assert rows[(str(yesterday), "DE")]["plays"] == 2
    assert rows[(str(yesterday), "US")]["plays"] == 1
    assert rows[(str(today), None)]["likes"] == 1
    assert rows[(str(today), "FR")]["downloads"] == 1

    r = await h.client.get(f"{P}/creators/{p.ana}/insights.csv?{span}", headers=p.headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(r.text)))
    assert table[0] == ["track_id", "day", "territory", "plays", "likes", "reposts", "downloads"]
    assert [str(tid), str(yesterday), "DE", "2", "0", "0", "0"] in table[1:]
    assert [str(tid), str(today), "", "0", "1", "0", "0"] in table[1:]
    assert len(table) == 1 + len(body["collection"])

    for query, field in (
        (f"to={today}", "from"),
        (f"from=yesterday&to={today}", "from"),
        (f"from={today}&to={yesterday}", "to"),
        (f"from=2020-01-01&to={today}", "to"),
        (f"{span}&track_ids=1,a", "track_ids"),
    ):
        for suffix in ("insights", "insights.csv"):
            r = await h.client.get(f"{P}/creators/{p.ana}/{suffix}?{query}", headers=p.headers)
            assert r.status_code == 400, (query, r.text)
            assert r.json()["field"] == field, query
    r = await h.client.get(f"{P}/creators/{p.bob}/insights?{span}", headers=p.headers)
    assert r.status_code == 404


# --------------------------------------------------------------------------- limits and audit


async def test_writes_have_a_stricter_rate_limit(harness: Harness, partner: Partner) -> None:
    h, p = harness, partner
    r = await h.client.get(f"{P}/creators", headers=p.headers)
    assert '"partner-app";q=3000;w=60' in r.headers["ratelimit-policy"]
    # Windows are fixed (epoch-aligned): 2 x 120 + 1 writes hit the limit even across a boundary.
    statuses = []
    for _ in range(241):
        r = await h.client.delete(f"{P}/tracks/999999", headers=p.headers)
        statuses.append(r.status_code)
        if r.status_code == 429:
            break
    assert statuses[-1] == 429 and set(statuses[:-1]) == {404}
    assert r.json()["rate_limit"]["policy"] == "partner-app-writes"
    assert r.json()["rate_limit"]["limit"] == 120
    assert int(r.headers["retry-after"]) > 0
    assert (await h.client.get(f"{P}/creators", headers=p.headers)).status_code == 200


async def test_audit_trail_pages_filters_and_belongs_to_its_app(
    harness: Harness, partner: Partner
) -> None:
    h, p = harness, partner
    for n in range(3):
        r = await h.client.post(
            f"{P}/creators/{p.ana}/tracks", json={"title": f"T{n}"}, headers=p.headers
        )
        assert r.status_code == 201
    r = await h.client.get(f"{P}/audit?limit=2", headers=p.headers)
    page = r.json()
    assert [e["changes"]["title"]["new"] for e in page["collection"]] == ["T2", "T1"]
    assert page["next_href"].startswith("http://testserver.local/partner/audit?")
    rest = (await h.client.get(page["next_href"], headers=p.headers)).json()
    assert [e["changes"]["title"]["new"] for e in rest["collection"]] == ["T0"]
    assert rest["next_href"] is None

    today = utcnow().date()
    assert len(await _audit(h, p, f"?from={today}&to={today}")) == 3
    assert await _audit(h, p, f"?to={today - dt.timedelta(days=1)}") == []
    for query, field in (("?from=soon", "from"), (f"?from={today}&to=2000-01-01", "to")):
        r = await h.client.get(f"{P}/audit{query}", headers=p.headers)
        assert r.status_code == 400 and r.json()["field"] == field
    r = await h.client.get(f"{P}/audit?cursor=forged", headers=p.headers)
    assert r.status_code == 400 and r.json()["field"] == "cursor"

    other, _ = await h.new_app("Label Two", bffs=("partner",), entitlements=PARTNER)
    await h.services.identity.grant_partner(other.id, p.ana)
    other_headers = {"Authorization": f"Bearer {await h.app_token(other)}"}
    r = await h.client.get(f"{P}/audit", headers=other_headers)
    assert r.json()["collection"] == []
    r = await h.client.get(page["next_href"], headers=other_headers)  # a cursor of another app
    assert r.status_code == 400


async def test_upload_streams_into_the_media_pipeline_and_is_audited(
    harness: Harness, partner: Partner
) -> None:
    h, p = harness, partner
    audio = sine(3)
    files = {
        "metadata": (None, b'{"title": "Uploaded", "genre": "Ambient"}', "application/json"),
        "file": ("song.mp3", audio, "audio/mpeg"),
    }
    url = f"{P}/creators/{p.ana}/tracks/upload"
    r = await h.client.post(url, files=files, headers=p.headers)
    assert r.status_code == 201, r.text
    assert r.json()["title"] == "Uploaded" and r.json()["genre"] == "Ambient"
    assert abs(r.json()["duration_ms"] - 3000) < 100  # probed from the streamed file
    [entry] = await _audit(h, p)  # one `upload` entry, written with the track
    assert entry["action"] == "upload" and entry["entity"]["id"] == r.json()["id"]
    assert entry["changes"]["title"] == {"old": None, "new": "Uploaded"}
    async with h.services.deps.db.read() as uow:
        [media] = await uow.media.for_tracks([r.json()["id"]])
    assert media.size_bytes == len(audio)

    r = await h.client.post(f"{P}/creators/{p.bob}/tracks/upload", files=files, headers=p.headers)
    assert r.status_code == 404
    r = await h.client.post(url, files={"metadata": (None, b"{}")}, headers=p.headers)
    assert r.status_code == 400 and r.json()["field"] == "file"
    r = await h.client.post(url, json={"title": "x"}, headers=p.headers)
    assert r.status_code == 415
