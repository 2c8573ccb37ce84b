"""Contract: real Subsonic client libraries from PyPI against a live Soundstack (uvicorn).

py-opensonic's sync client (token + salt, form POST, `.view` names), its async client (API key),
and py-sonic (token + salt, and the legacy `p=enc:` form) drive every Subsonic endpoint; XML
responses (the default format) are read with a real XML parser and must carry exactly what the
JSON ones do; streamed audio is decoded with PyAV. Hidden tracks never show up, and nothing
secret reaches the access log.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import libopensonic
import libsonic
import pytest
from libopensonic import errors as os_errors
from PIL import Image

from tests.contract.subsonic_seed import SECONDS, SubsonicSeed, seeded_subsonic
from tests.integration.test_media_audio import decoded_seconds

XMLNS = "{http://subsonic.org/restapi}"


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SubsonicSeed]:
    with seeded_subsonic(tmp_path_factory.mktemp("subsonic")) as found:
        yield found


@pytest.fixture(scope="module")
def sync(seed: SubsonicSeed) -> Iterator[libopensonic.Connection]:
    conn = libopensonic.Connection(
        "http://127.0.0.1", seed.listener, seed.player_password, port=seed.port
    )
    yield conn
    conn.cleanup()


def tr(n: int) -> str:
    return f"tr-{n}"


def hidden_ids(seed: SubsonicSeed) -> set[str]:
    return {tr(n) for n in seed.hidden.values()}


def test_sync_client_reads_every_catalogue_endpoint(
    seed: SubsonicSeed, sync: libopensonic.Connection
) -> None:
    assert sync.ping() is True
    assert sync.get_license()["license"]["valid"] is True
    assert {e.name for e in sync.get_open_subsonic_extensions()} == {
        "apiKeyAuthentication",
        "formPost",
        "playbackReport",
    }
    assert sync.token_info().username == seed.listener
    user = sync.get_user(seed.listener)
    assert user.username == seed.listener and user.stream_role is True

    artists = sync.get_artists()
    listed = {a.id for index in artists.index or [] for a in index.artist or []}
    assert listed == {f"ar-{seed.artist}", f"ar-{seed.other_artist}"}
    indexes = sync.get_indexes()
    assert {a.id for i in indexes.index or [] for a in i.artist or []} == listed

    artist = sync.get_artist(f"ar-{seed.artist}")
    assert [a.id for a in artist.album or []] == [f"al-{seed.album}", f"al-s-{seed.artist}"]
    album = sync.get_album(f"al-{seed.album}")
    assert [s.id for s in album.song or []] == [tr(n) for n in seed.album_tracks]
    assert album.song_count == 2 and album.name == "Tides"
    singles = sync.get_album(f"al-s-{seed.artist}")
    assert {s.id for s in singles.song or []} == {tr(n) for n in seed.singles}

    song = sync.get_song(tr(seed.singles[0]))
    assert song.title == "Ember" and song.album_id == f"al-s-{seed.artist}"
    assert song.duration == int(SECONDS) and song.suffix == "mp3" and song.year == 2021
    assert song.content_type == "audio/mpeg" and (song.size or 0) > 0

    folder = sync.get_music_directory(f"ar-{seed.artist}")
    assert {c.id for c in folder.child or []} == {f"al-{seed.album}", f"al-s-{seed.artist}"}
    tracks = sync.get_music_directory(f"al-{seed.album}")
    assert [c.id for c in tracks.child or []] == [tr(n) for n in seed.album_tracks]

    genres = {g.value: g for g in sync.get_genres()}
    assert genres["Ambient"].song_count == 5 and genres["Ambient"].album_count == 1

    for kind in ("newest", "random", "alphabeticalByName", "alphabeticalByArtist"):
        albums = sync.get_album_list2(kind, size=50)
        ids = {a.id for a in albums}
        assert ids == {f"al-{seed.album}", f"al-s-{seed.artist}", f"al-s-{seed.other_artist}"}
    assert {a.id for a in sync.get_album_list2("byGenre", genre="Ambient")} == ids
    assert {a.id for a in sync.get_album_list2("byYear", from_year=2020, to_year=2022)} == ids
    assert sync.get_album_list2("byYear", from_year=1990, to_year=1991) == []
    assert {a.id for a in sync.get_album_list("newest", size=50)} == ids
    first = sync.get_album_list2("alphabeticalByName", size=1)
    second = sync.get_album_list2("alphabeticalByName", size=1, offset=1)
    assert first[0].id != second[0].id

    randoms = sync.get_random_songs(size=50)
    assert len(randoms) == 5 and not {s.id for s in randoms} & hidden_ids(seed)
    by_genre = sync.get_songs_by_genre("Ambient", count=2)
    rest = sync.get_songs_by_genre("Ambient", count=10, offset=2)
    assert len(by_genre) == 2 and len(rest) == 3
    assert not {s.id for s in by_genre + rest} & hidden_ids(seed)

    found = sync.search3("tide")
    assert {s.id for s in found.song or []} == {tr(n) for n in seed.album_tracks}
    everything = sync.search3("", song_count=100)
    assert len(everything.song or []) == 5
    assert {a.id for a in everything.artist or []} == listed
    old = sync.search2("ember")
    assert [s.id for s in old.song or []] == [tr(seed.singles[0])]

    info = sync.get_artist_info2(f"ar-{seed.artist}")
    assert info.similar_artist in (None, [])
    assert sync.get_album_info2(f"al-{seed.album}") is not None
    similar = sync.get_similar_songs2(tr(seed.singles[0]))
    assert similar and not {s.id for s in similar} & hidden_ids(seed)
    assert sync.get_top_songs("nova")
    assert sync.get_top_songs("nobody-here") == []
    assert sync.get_lyrics(artist="nova", title="Ember").value in ("", None)


def test_async_client_with_an_api_key_writes_streams_and_downloads(seed: SubsonicSeed) -> None:
    async def scenario() -> None:
        conn = libopensonic.AsyncConnection(
            "http://127.0.0.1", api_key=seed.api_key, port=seed.port
        )
        try:
            assert await conn.ping()
            assert (await conn.token_info()).username == seed.listener
            song = tr(seed.singles[0])
            assert await conn.star(sids=[song], album_ids=[f"al-{seed.album}"])
            assert await conn.star(artist_ids=[f"ar-{seed.other_artist}"])
            starred = await conn.get_starred2()
            assert [s.id for s in starred.song or []] == [song]
            assert [a.id for a in starred.album or []] == [f"al-{seed.album}"]
            assert [a.id for a in starred.artist or []] == [f"ar-{seed.other_artist}"]
            assert {s.id for s in (await conn.get_starred()).song or []} == {song}
            assert (await conn.get_song(song)).starred
            assert [a.id for a in await conn.get_album_list2("starred")] == [f"al-{seed.album}"]
            assert await conn.unstar(sids=[song])
            assert not (await conn.get_starred2()).song

            before = (await conn.get_song(song)).play_count or 0
            assert await conn.scrobble(song)
            assert await conn.scrobble(song, submission=False)
            assert await conn.report_playback(song, "song", 0, "starting")
            assert await conn.report_playback(song, "song", 900, "stopped")
            assert (await conn.get_song(song)).play_count == before + 2
            recent = await conn.get_album_list2("recent")
            assert recent[0].id == f"al-s-{seed.artist}"
            assert (await conn.get_album_list2("frequent"))[0].id == recent[0].id

            queue = await conn.get_play_queue()  # nothing saved yet: an empty queue
            assert queue.username == seed.listener and not queue.entry
            later = tr(seed.album_tracks[1])
            assert await conn.save_play_queue([song, later], current=later, position=4200)
            queue = await conn.get_play_queue()
            assert [e.id for e in queue.entry or []] == [song, later]
            assert (queue.current, queue.position) == (later, 4200)

            assert await conn.create_playlist(name="Road", song_ids=[song])
            mine = await conn.get_playlists()
            road = next(p for p in mine if p.name == "Road")
            assert road.song_count == 1 and road.public is False
            assert await conn.update_playlist(
                road.id, name="Road trip", song_ids_to_add=[tr(seed.singles[1])]
            )
            full = await conn.get_playlist(road.id)
            assert full.name == "Road trip"
            assert [e.id for e in full.entry or []] == [song, tr(seed.singles[1])]
            assert await conn.update_playlist(road.id, song_indices_to_remove=[0])
            assert [e.id for e in (await conn.get_playlist(road.id)).entry or []] == [
                tr(seed.singles[1])
            ]
            assert await conn.delete_playlist(road.id)
            with pytest.raises(os_errors.DataNotFoundError):
                await conn.get_playlist(road.id)

            streamed = await conn.stream(song)
            audio = await streamed.read()
            assert streamed.headers["Content-Type"] == "audio/mpeg"
            assert abs(decoded_seconds(audio) - SECONDS) < 0.2
            part = await conn.stream(song, byte_range="bytes=0-99")
            assert part.status == 206 and await part.read() == audio[:100]

            original = await (await conn.download(song)).read()
            assert abs(decoded_seconds(original) - SECONDS) < 0.2
            with pytest.raises(os_errors.AuthError):  # its owner does not allow downloads
                await conn.download(tr(seed.singles[1]))

            art = await conn.get_cover_art(song, size=100)
            image = Image.open(io.BytesIO(await art.read()))
            assert image.size == (100, 100)
            with pytest.raises(os_errors.DataNotFoundError):  # no picture
                await conn.get_cover_art(tr(seed.singles[1]))
        finally:
            await conn.cleanup()

    asyncio.run(scenario())


def test_py_sonic_with_token_and_with_the_legacy_password_form(seed: SubsonicSeed) -> None:
    for legacy in (False, True):
        conn = libsonic.Connection(
            "http://127.0.0.1",
            seed.listener,
            seed.player_password,
            port=seed.port,
            legacyAuth=legacy,
        )
        assert conn.ping() is True
        folders = conn.getMusicFolders()["musicFolders"]["musicFolder"]
        assert folders == [{"id": 1, "name": "Soundstack"}]
        album = conn.getAlbum(f"al-{seed.album}")["album"]
        assert [s["id"] for s in album["song"]] == [tr(n) for n in seed.album_tracks]
        found = conn.search3("orbit")["searchResult3"]
        assert [s["id"] for s in found["song"]] == [tr(seed.other_singles[0])]
        assert conn.getAlbumList2("newest", size=2)["albumList2"]["album"]
        response = conn.stream(tr(seed.album_tracks[0]))
        assert abs(decoded_seconds(response.read()) - SECONDS) < 0.2
        # format is a preference and maxBitRate a limit: with one MP3 rendition, both get it
        limited = conn.stream(tr(seed.album_tracks[0]), maxBitRate=64, tformat="opus")
        assert limited.headers["Content-Type"] == "audio/mpeg"
        assert abs(decoded_seconds(limited.read()) - SECONDS) < 0.2
    wrong = libsonic.Connection(
        "http://127.0.0.1", seed.listener, "correct horse battery", port=seed.port
    )
    with pytest.raises(libsonic.errors.CredentialError):  # the account password is not one
        wrong.ping()


def _get(seed: SubsonicSeed, endpoint: str, **params: str) -> tuple[str, bytes]:
    query = urllib.parse.urlencode(
        {"apiKey": seed.api_key, "v": "1.16.1", "c": "contract", **params}
    )
    with urllib.request.urlopen(f"{seed.base_url}/rest/{endpoint}?{query}", timeout=10) as r:
        return r.headers["Content-Type"], r.read()


def _same(json_value: dict[str, Any], element: ET.Element, where: str) -> None:
    """`element` carries exactly `json_value` under the Subsonic XML mapping."""
    attributes = {}
    for key, value in json_value.items():
        if isinstance(value, dict):
            children = element.findall(XMLNS + key)
            assert len(children) == 1, f"{where}.{key}"
            _same(value, children[0], f"{where}.{key}")
        elif isinstance(value, list):
            children = element.findall(XMLNS + key)
            assert len(children) == len(value), f"{where}.{key}"
            for n, (item, child) in enumerate(zip(value, children, strict=True)):
                if isinstance(item, dict):
                    _same(item, child, f"{where}.{key}[{n}]")
                else:
                    assert child.text == _xml_text(item), f"{where}.{key}[{n}]"
        elif key == "value":
            assert (element.text or "") == _xml_text(value), f"{where}.value"
        else:
            attributes[key] = _xml_text(value)
    assert dict(element.attrib) == attributes, where


def _xml_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


XML_ENDPOINTS: list[tuple[str, dict[str, str]]] = [
    ("ping", {}),
    ("getLicense", {}),
    ("getOpenSubsonicExtensions", {}),
    ("tokenInfo", {}),
    ("getMusicFolders", {}),
    ("getIndexes", {}),
    ("getArtists", {}),
    ("getArtist", {"id": "ar-{artist}"}),
    ("getAlbum", {"id": "al-{album}"}),
    ("getSong", {"id": "tr-{single}"}),
    ("getMusicDirectory", {"id": "al-s-{artist}"}),
    ("getGenres", {}),
    ("getAlbumList", {"type": "alphabeticalByArtist"}),
    ("getAlbumList2", {"type": "alphabeticalByName"}),
    ("getSongsByGenre", {"genre": "Ambient"}),
    ("getStarred", {}),
    ("getStarred2", {}),
    ("search2", {"query": "tide"}),
    ("search3", {"query": ""}),
    ("getPlaylists", {}),
    ("getUser", {"username": "{listener}"}),
    ("getArtistInfo2", {"id": "ar-{artist}"}),
    ("getAlbumInfo2", {"id": "al-{album}"}),
    ("getTopSongs", {"artist": "nova"}),
    ("getLyrics", {"artist": "nova", "title": "Ember"}),
    ("getPlayQueue", {}),
    ("getSong", {"id": "tr-{hidden}"}),
    ("noSuchEndpoint", {}),
]


def test_xml_is_the_default_and_carries_exactly_the_json(seed: SubsonicSeed) -> None:
    names = {
        "artist": str(seed.artist),
        "album": str(seed.album),
        "single": str(seed.singles[0]),
        "hidden": str(seed.hidden["private"]),
        "listener": seed.listener,
    }
    for endpoint, raw in XML_ENDPOINTS:
        params = {k: v.format(**names) for k, v in raw.items()}
        xml_type, xml_body = _get(seed, endpoint, **params)
        json_type, json_body = _get(seed, endpoint, f="json", **params)
        assert xml_type.startswith("text/xml") and json_type == "application/json", endpoint
        root = ET.fromstring(xml_body)
        assert root.tag == XMLNS + "subsonic-response", endpoint
        expected = json.loads(json_body)["subsonic-response"]
        if endpoint == "getIndexes":  # (a time: the two requests may fall in different ms)
            del expected["indexes"]["lastModified"]
            root.find(XMLNS + "indexes").attrib.pop("lastModified")  # type: ignore[union-attr]
        _same(expected, root, endpoint)
    jsonp_type, jsonp = _get(seed, "ping", f="jsonp", callback="cb")
    assert jsonp_type.startswith("application/javascript")
    assert jsonp.startswith(b"cb(") and jsonp.endswith(b");")
    assert json.loads(jsonp[3:-2])["subsonic-response"]["status"] == "ok"


def test_hidden_tracks_are_missing_for_every_client(
    seed: SubsonicSeed, sync: libopensonic.Connection
) -> None:
    for track_id in [*seed.hidden.values(), 999_999]:
        with pytest.raises(os_errors.DataNotFoundError):
            sync.get_song(tr(track_id))
        with pytest.raises(os_errors.DataNotFoundError):
            sync.stream(tr(track_id))
        with pytest.raises(os_errors.DataNotFoundError):
            sync.download(tr(track_id))
    with pytest.raises(os_errors.DataNotFoundError):
        sync.get_playlist(f"pl-{seed.private_playlist}")
    everything = sync.search3("", song_count=500, album_count=500, artist_count=500)
    assert not {s.id for s in everything.song or []} & hidden_ids(seed)
    assert not {s.id for s in sync.search3("hidden").song or []}
    assert not {s.id for s in sync.search3("secret").song or []}


def test_credentials_never_reach_the_access_log(seed: SubsonicSeed) -> None:
    # every credential form, sent by this test (the module's tests may run in any order)
    for legacy in (False, True):
        assert libsonic.Connection(
            "http://127.0.0.1",
            seed.listener,
            seed.player_password,
            port=seed.port,
            legacyAuth=legacy,
        ).ping()
    _get(seed, "ping")
    deadline = time.monotonic() + 5
    text = ""
    while text.count("/rest/ping") < 3 and time.monotonic() < deadline:  # (the server's writes)
        time.sleep(0.05)
        text = Path(seed.log_path).read_text(errors="replace")
    assert text.count("/rest/ping") >= 3, text[-2000:]
    for secret in (seed.player_password, seed.api_key):
        assert secret not in text
    assert not re.search(r"[?&](?:t|s|p|apiKey)=(?!\[redacted\])", text)
