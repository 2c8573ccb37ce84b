"""Every BFF's own OpenAPI document is true: schemathesis, with all its checks, against each
BFF's `/<bff>/schema/openapi.json` on a seeded server, on SQLite and on PostgreSQL.

One server per database (and xdist worker) serves every BFF's run: starting the app costs more
CPU than a small document's whole run. Each run seeds a catalog of its own into that database
(its app, users, tokens, tracks and the pools it deletes from, named after the BFF), so that no
run deletes, revokes or unfollows what another one uses, in whatever order they run.

The schemathesis CLI runs every phase (examples, coverage, fuzzing, stateful) deterministically
and bounded in examples per operation, with a user token of an app entitled to everything;
path parameters are drawn half the time from the seeded catalog so that the operations answer
from real resources too, not only 404. Any failure of any check fails the test; the output
names each failure with the request that reproduces it (`curl`). The one status let through is
a 501 from an operation whose document says it answers 501 (a part of an emulated API left out
on purpose); no other 5xx, and no 501 from any other operation.

Subsonic (at /rest) answers every failed call with HTTP 200 and the `subsonic-response` envelope
with `status="failed"` and an error code, as the players it serves require. Two generic checks
judge by the HTTP status and cannot apply there, so for that document they are replaced by
equivalents (tests/contract/subsonic_hooks.py) rather than switched off: `negative_data_rejection`
by `subsonic_negative_data_rejection` (a schema-violating call must get the failed envelope with
error 10, missing parameter, 0, invalid value, or 70, malformed id — schemathesis' own check,
reading such an answer as the 400 it means), and `ignored_auth` by `subsonic_auth_enforced` (a
call that succeeded with the player's credentials must fail with error 10 without them, and with
error 40 with a wrong token). The player's credentials are a token and salt of the seeded user's
player password (tests/contract/subsonic_fuzz.py; it and subsonic_hooks.py say what the run
leaves out to stay within its time budget: the envelope parameters `f`, `callback`, `v`, `c` and
the form POSTs, read by one code path for every endpoint, are fuzzed on /ping only).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from tests.conftest import BACKENDS, _pg_execute, _truncate_sql, run_async
from tests.contract import subsonic_fuzz
from tests.contract.bff_seed import SECRET, Seeded, seed
from tests.contract.public_seed import ROOT, serve_app

HOOKS = Path(__file__).with_name("bff_hooks.py")
"""What only a real client brings (real audio in an upload): schemathesis hooks."""
MAX_EXAMPLES = {"sqlite": 4, "postgresql": 2}
"""Examples per operation and generation mode in the fuzzing phase, by database. The coverage
phase adds the boundary cases of MODE; the random examples exercise the same handlers on either,
so PostgreSQL's run takes fewer. Each run stays well under a minute."""
MODE = {"sqlite": "all", "postgresql": "positive"}
"""The cases of every phase by database: valid and invalid ones on SQLite (every boundary case
the document defines, random data of both kinds, stateful sequences with invalid steps); the
valid ones on PostgreSQL (the largest numbers and longest strings, the ids at their bounds, the
random valid data and the sequences of valid calls: what reaches the database, where the two
differ). An invalid value is refused by the edge before any unit of work, the same code on either
database, and schemathesis' `negative_data_rejection` fails the SQLite run if it is ever
accepted: on PostgreSQL such a case would prove nothing the SQLite run has not."""
BFFS = ("auth", "web", "public", "partner", "mobile", "subsonic")
"""Every BFF of issue 12 (Subsonic's at /rest: tests/contract/subsonic_fuzz.py)."""
MOUNTS = {"subsonic": subsonic_fuzz.MOUNT}
GENEROUS_LIMITS = {
    "RATE_LIMIT_APP_PER_MINUTE": "1000000",
    "RATE_LIMIT_USER_PER_MINUTE": "1000000",
    "RATE_LIMIT_WRITES_PER_MINUTE": "1000000",
}
"""The fuzzer is one app and one user sending thousands of requests a minute: the budgets
are not what is tested here (tests/e2e/test_kit_ratelimit.py is)."""


def _toml(value: Any) -> str:
    """A TOML value (strings and numbers as JSON writes them, which TOML reads alike)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)


def _operation(path: str, method: str, **settings: Any) -> list[str]:
    """A `[[operations]]` table: settings of one operation."""
    lines = ["[[operations]]", f"include-name = {_toml(f'{method} {path}')}"]
    lines += [f"{name.replace('_', '-')} = {_toml(value)}" for name, value in settings.items()]
    return lines


POSITIVE_DATA_ACCEPTANCE = ["2xx", "3xx", "401", "403", "404", "409", "429"]
"""What schemathesis' `positive_data_acceptance` check accepts by default, but a 5xx."""
NOT_A_SERVER_ERROR = ["2xx", "3xx", "4xx"]
"""What schemathesis' `not_a_server_error` check expects by default."""


def _deliberate_501s(document: dict[str, Any]) -> list[str]:
    """For each operation whose document says it answers 501 (a part of an emulated API that
    is deliberately left out), the setting under which that documented 501, and no other 5xx,
    is no server error."""
    lines: list[str] = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if "501" in operation.get("responses", {}):
                expected = {"expected-statuses": [*NOT_A_SERVER_ERROR, "501"]}
                checks = {"not_a_server_error": expected}
                lines += _operation(path, method.upper(), checks=checks)
    return lines


def _operations(s: Seeded) -> list[str]:
    """Per-operation data: what a real client would bring to these operations."""
    client = {"query.client_id": s.client_id, "query.redirect_uri": s.redirect_uri}
    deletable = {
        "path.track_id": {"dictionary": "deletable_tracks", "probability": 0.5},
        "path.track_urn": {"dictionary": "deletable_track_urns", "probability": 0.5},
        "path.playlist_id": {"dictionary": "deletable_playlists", "probability": 0.5},
        "path.playlist_urn": {"dictionary": "deletable_playlist_urns", "probability": 0.5},
    }
    lines: list[str] = []
    # the registered client and its redirect URI: unknown ones get the refusal page
    lines += _operation("/authorize", "GET", parameters=client)
    lines += _operation("/connect", "GET", parameters=client)
    # deleting takes resources of their own, so that the others stay for every other operation
    for path in ("/tracks/{track_id}", "/tracks/{track_urn}"):
        lines += _operation(path, "DELETE", parameters=deletable)
    for path in ("/playlists/{playlist_id}", "/playlists/{playlist_urn}"):
        lines += _operation(path, "DELETE", parameters=deletable)
    # a user follows others: following oneself is a documented 422 no schema can rule out, and
    # the viewer's id is no fixed number when several catalogs share a database (a generated
    # URN may be the viewer's own), so these two always take another seeded user
    others = {"path.user_urn": {"dictionary": "other_user_urns", "probability": 1.0}}
    for method in ("PUT", "DELETE"):
        lines += _operation("/me/followings/{user_urn}", method, parameters=others)
    # signing out revokes the token it is called with: a token of its own
    lines += _operation("/sign-out", "POST", headers={"Authorization": f"OAuth {s.spare_token}"})
    # a date range whose ends depend on each other (`to` not before `from`, a span the API
    # bounds), which no schema of a single parameter can say: a range of the last month
    today = dt.datetime.now(dt.UTC).date()
    month = {"query.from": str(today - dt.timedelta(days=30)), "query.to": str(today)}
    for path in ("/creators/{user_id}/insights", "/creators/{user_id}/insights.csv", "/audit"):
        lines += _operation(path, "GET", parameters=month)
    return lines


NAMING_TRACKS = (("/playlists", "POST"), ("/playlists/{playlist_id}/tracks", "POST"))
"""The Mobile API's operations whose body names tracks by id: an id no track has (or one the
viewer may not see) is a 422 `unknown_track` there, which no schema can rule out."""


def _named_tracks(document: dict[str, Any]) -> list[str]:
    """A schema-valid request naming a track that does not exist is refused (422) where the
    BFF says so (mobile: its URL's playlist is there, the body refers to nothing)."""
    if "/playlists/{playlist_id}/tracks" not in document["paths"]:
        return []
    accepted = {"expected-statuses": [*POSITIVE_DATA_ACCEPTANCE, "422"]}
    checks = {"positive_data_acceptance": accepted}
    return [line for path, m in NAMING_TRACKS for line in _operation(path, m, checks=checks)]


def _catalog(s: Seeded, document: dict[str, Any]) -> list[str]:
    """Credentials and seeded parameters of the OAuth-authenticated BFFs."""
    urns = lambda kind, ids: [f"soundcloud:{kind}:{i}" for i in ids]  # noqa: E731
    dictionaries = {
        "tracks": [*s.tracks, *s.other_tracks],
        "playlists": [s.playlist, s.other_playlist],
        "users": [s.user, s.other],
        "comments": [s.comment],
        "track_urns": urns("tracks", [*s.tracks, *s.other_tracks]),
        "playlist_urns": urns("playlists", [s.playlist, s.other_playlist]),
        "user_urns": urns("users", [s.user, s.other]),
        "other_user_urns": urns("users", [s.other]),
        "deletable_tracks": s.deletable_tracks,
        "deletable_playlists": s.deletable_playlists,
        "deletable_track_urns": urns("tracks", s.deletable_tracks),
        "deletable_playlist_urns": urns("playlists", s.deletable_playlists),
    }
    bindings = {
        "track_id": "tracks",
        "playlist_id": "playlists",
        "user_id": "users",
        "comment_id": "comments",
        "track_urn": "track_urns",
        "playlist_urn": "playlist_urns",
        "user_urn": "user_urns",
    }
    return [
        "[parameters]",
        # A cursor is opaque and signed: only the server makes one (in a `next_href`). The
        # empty cursor, the first page, is the one a client may always send (api-v2 names its
        # cursor `offset`).
        '"query.cursor" = ""',
        '"query.offset" = ""',
        *(
            f"{_toml('path.' + name)} = {_toml({'dictionary': d, 'probability': 0.5})}"
            for name, d in bindings.items()
        ),
        "[dictionaries]",
        *(f"{name} = {_toml({'values': values})}" for name, values in dictionaries.items()),
        "[auth.openapi.oauth_token]",
        f"api_key = {_toml('OAuth ' + s.token)}",
        "[auth.openapi.client_id]",
        f"api_key = {_toml(s.client_id)}",
        *_operations(s),
        *_named_tracks(document),
        *_deliberate_501s(document),
    ]


CLI = (
    "import gc; from schemathesis.cli import schemathesis;"
    " gc.collect(); gc.freeze(); gc.set_threshold(20_000, 50, 1_000); schemathesis()"
)
"""The schemathesis CLI, its imports out of the garbage collector's way and its collections
spaced out as a server's are (app.main.GC_THRESHOLDS): a run of a minute, whose cyclic garbage
the process's end frees; its collections were ~12% of its CPU (web's run: 1.1 of 9.3 CPU-s),
~6% so. Which cases it makes and sends does not change."""

PHASES = ("coverage", "fuzzing", "stateful")
"""The phases that generate cases (the examples phase sends the document's own)."""


def _config(report: Path, catalog: list[str], examples: int, mode: str = "all") -> str:
    """schemathesis.toml: bounded deterministic runs (`examples` per operation and mode in
    the fuzzing phase, the cases of `mode` in every phase), with the BFF's credentials and
    seeded parameters (`catalog`)."""
    lines = [
        "seed = 1",
        "workers = 1",
        "request-timeout = 30",
        "[generation]",
        f"max-examples = {examples}",
        "deterministic = true",
        'database = "none"',
        # The edge refuses a NUL byte in any string (400 `nul_byte`, kit.bounds), as every
        # document's description says once instead of a pattern on every string; that refusal
        # has tests of its own (tests/e2e/test_input_bounds.py). The only exclusion here.
        "allow-x00 = false",
        f"mode = {_toml(mode)}",
        # (the coverage phase takes its own mode, not the one above)
        *(f"[phases.{phase}.generation]\nmode = {_toml(mode)}" for phase in PHASES),
        "[checks]",
        "enabled = true",
        "[reports.json]",
        "enabled = true",
        f"path = {_toml(str(report))}",
        *catalog,
    ]
    return "\n".join(lines) + "\n"


def run_schemathesis(
    base: str,
    bff: str,
    seeded: Seeded,
    workdir: Path,
    examples: int,
    player: subsonic_fuzz.Player | None = None,
    mode: str = "all",
) -> tuple[dict[str, Any], str]:
    """The JSON report and the text output of one schemathesis run against `bff`."""
    report = workdir / "report.json"
    config = workdir / "schemathesis.toml"
    mount = MOUNTS.get(bff, bff)
    with urllib.request.urlopen(f"{base}/{mount}/schema/openapi.json", timeout=30) as answer:
        document = json.loads(answer.read())
    catalog = subsonic_fuzz.config(seeded, player) if player else _catalog(seeded, document)
    excluded = ["--exclude-checks", ",".join(subsonic_fuzz.EXCLUDED_CHECKS)] if player else []
    config.write_text(_config(report, catalog, examples, mode))
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CLI,
            "--config-file",
            str(config),
            "--no-color",
            "run",
            f"{base}/{mount}/schema/openapi.json",
            "--url",
            f"{base}/{mount}",
            "--checks",
            "all",
            *excluded,
        ],
        cwd=workdir,
        env={
            **os.environ,
            "SCHEMATHESIS_HOOKS": str(HOOKS),
            "PYTHONPATH": str(ROOT),
            # Hypothesis keeps its Unicode tables (which characters a codec encodes, built by
            # encoding every code point: seconds of CPU) under its storage directory, by default
            # `.hypothesis` in the working directory, here a fresh one per run: the project's
            # own, as the tests that run Hypothesis in-process use, builds them once.
            "HYPOTHESIS_STORAGE_DIRECTORY": str(ROOT / ".hypothesis"),
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert report.exists(), output[-4000:]
    return json.loads(report.read_text()), output


def _summary(report: dict[str, Any]) -> str:
    lines = [f"{report['test_cases']['generated']} cases"]
    for failure in report["failures"]:
        ops = ", ".join(failure["operations"][:8])
        lines.append(f"  {failure['count']:>3} x {failure['title']}: {ops}")
    for error in report["errors"]:
        lines.append(f"  error {error['count']} x {error['title']}")
    return "\n".join(lines)


class Server(msgspec.Struct, frozen=True):
    """A server of the whole app on a migrated database, shared by the runs of every BFF."""

    base: str
    database_url: str
    backend: str


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The app served on an empty database migrated to head, on SQLite and on PostgreSQL (the
    session's database, emptied first): one per database and xdist worker."""
    tmp = tmp_path_factory.mktemp(f"bff-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp / 'soundstack.db'}"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), tmp / "soundstack.db")
    else:
        url = request.getfixturevalue("_postgres_database")
        run_async(_pg_execute, _truncate_sql(), url)
    with serve_app(tmp, url, SECRET, tmp / "media", env=GENEROUS_LIMITS) as (base, _port):
        yield Server(base, url, request.param)


@pytest.mark.parametrize("bff", BFFS)
def test_bff_document_holds_under_schemathesis(bff: str, server: Server, tmp_path: Path) -> None:
    seeded = run_async(seed, server.database_url, bff)
    url = server.database_url
    player = run_async(subsonic_fuzz.seed_player, url, seeded) if bff == "subsonic" else None
    backend = server.backend
    report, output = run_schemathesis(
        server.base, bff, seeded, tmp_path, MAX_EXAMPLES[backend], player, MODE[backend]
    )
    print(output)
    summary = _summary(report)
    print(summary)
    assert report["operations"]["tested"] > 0, summary
    assert not report["failures"] and not report["errors"], summary + "\n" + output[-6000:]
