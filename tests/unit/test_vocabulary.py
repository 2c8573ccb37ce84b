"""Every package follows the file vocabulary of its kind, as docs/architecture.md writes it down.

VOCABULARY maps each kind of package to the packages of that kind and the module names they may
hold; each kind has a test listing every package's files against it. A module may grow into a
package of the same name (`queries.py` → `queries/`). The BFF and VAS tables of the document
are read back, so the document and this test cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
DOC = ROOT / "docs" / "architecture.md"


class Vocabulary(NamedTuple):
    packages: tuple[str, ...]
    """Package directories below app/."""
    allowed: frozenset[str]
    """Module names (without .py) a package of this kind may hold."""
    required: frozenset[str] = frozenset({"__init__"})
    folders: frozenset[str] = frozenset()
    """Folders of other files (templates, static assets) a package of this kind may hold."""


BFF_FILES = frozenset(
    {"__init__", "spec", "routes", "representations", "mappers", "params", "embedding"}
    | {"errors", "quirks", "dependencies", "document"}
)
"""Every BFF (`app/edge/<bff>/`): the table "A BFF" of the document."""
BFF_REQUIRED = frozenset({"__init__", "spec", "routes"})

VOCABULARY: dict[str, Vocabulary] = {
    "bff": Vocabulary(
        packages=tuple(
            f"edge/{name}" for name in ("mobile", "web", "public", "partner", "subsonic")
        ),
        allowed=BFF_FILES,
        required=BFF_REQUIRED,
    ),
    "auth": Vocabulary(
        packages=("edge/auth",),
        allowed=BFF_FILES | {"pages", "csrf"},
        required=BFF_REQUIRED,
    ),
    "media": Vocabulary(
        packages=("edge/media",),
        allowed=BFF_FILES | {"responses", "lifecycle"},
        required=BFF_REQUIRED,
    ),
    "site": Vocabulary(
        packages=("edge/site",),
        allowed=frozenset(
            {"__init__", "spec", "routes", "views", "session", "limits", "templates", "assets"}
        ),
        required=BFF_REQUIRED,
        folders=frozenset({"templates", "assets"}),
    ),
    "vas": Vocabulary(
        packages=tuple(
            f"value_added/{name}"
            for name in ("tracks", "playlists", "users", "creator", "identity", "catalog")
        ),
        allowed=frozenset(
            {"__init__", "service", "queries", "commands", "aggregates", "requests"}
            | {"validation", "loading"}
        ),
        required=frozenset({"__init__", "service"}),
    ),
    "access": Vocabulary(
        packages=("value_added/access",),
        allowed=frozenset({"__init__", "viewer", "policy", "enforce"}),
    ),
    "common": Vocabulary(
        packages=("value_added/common",),
        allowed=frozenset(
            {"__init__", "errors", "deps", "fieldmask", "cursor", "paging", "edges", "grants"}
            | {"secrets", "sealing", "provenance", "instrumentation"}
        ),
    ),
}
EDGE_KIT = "edge/kit"
"""What BFFs share: generic edge mechanics, named freely (not a BFF)."""
SUPPORT = frozenset({"value_added/media", "value_added/seeding"})
"""Support packages: a `service.py` facade and internals of their own (documented, not listed)."""
VALUE_ADDED_MODULES = frozenset({"__init__", "registry"})


def modules_of(directory: Path) -> dict[str, str]:
    """{module name: 'module' | 'package' | 'other'} of what sits directly in `directory`."""
    found: dict[str, str] = {}
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith((".", "__pycache__")):
            continue
        if entry.is_file() and entry.suffix == ".py":
            kind = "module"
        elif entry.is_dir() and (entry / "__init__.py").exists():
            kind = "package"
        else:
            kind = "other"
        name = entry.stem if kind == "module" else entry.name
        found[name] = "twice" if name in found else kind
    return found


def misfits(package: str, vocabulary: Vocabulary) -> list[str]:
    """What in `package` the vocabulary does not allow, or what it requires and is missing."""
    found = modules_of(APP / package)
    wrong = [
        f"{package}/{name} ({kind})"
        for name, kind in found.items()
        if kind == "twice"
        or name not in vocabulary.allowed
        or (kind == "other" and name not in vocabulary.folders)
    ]
    missing = [f"{package}/{name}.py (required)" for name in vocabulary.required - set(found)]
    return wrong + missing


def cases(kind: str) -> list[tuple[str, Vocabulary]]:
    vocabulary = VOCABULARY[kind]
    return [(package, vocabulary) for package in vocabulary.packages]


@pytest.mark.parametrize(
    ("package", "vocabulary"), cases("bff") + cases("auth") + cases("media") + cases("site")
)
def test_bff_packages_follow_the_vocabulary(package: str, vocabulary: Vocabulary) -> None:
    assert misfits(package, vocabulary) == [], f"see docs/architecture.md, A BFF: {package}"


@pytest.mark.parametrize(
    ("package", "vocabulary"), cases("bff") + cases("auth") + cases("media") + cases("site")
)
def test_bff_routes_are_one_module_per_resource(package: str, vocabulary: Vocabulary) -> None:
    """`routes/` is a package; each `routes/<resource>.py` ends with its `ROUTES = [...]`."""
    routes = APP / package / "routes"
    assert modules_of(APP / package)["routes"] == "package", package
    resources = [m for m, kind in modules_of(routes).items() if m != "__init__"]
    assert resources, f"{package}/routes has no resource module"
    for name in resources:
        assert modules_of(routes)[name] == "module", f"{package}/routes/{name}"
        text = (routes / f"{name}.py").read_text(encoding="utf-8")
        assert "\nROUTES = [" in text, f"{package}/routes/{name}.py declares no ROUTES"


def test_every_edge_package_has_a_kind() -> None:
    """A new package of the edge is a BFF (add it to VOCABULARY, the document and the
    bff-independence contract) or part of the kit."""
    kinds = ("bff", "auth", "media", "site")
    known = {EDGE_KIT} | {p for k in kinds for p in VOCABULARY[k].packages}
    found = modules_of(APP / "edge")
    packages = {f"edge/{name}" for name, kind in found.items() if kind == "package"}
    assert sorted(packages - known) == [], "add it to VOCABULARY (and the document)"
    assert sorted(known - packages) == [], "VOCABULARY names a package that does not exist"
    assert sorted(n for n, kind in found.items() if kind != "package") == ["__init__"]


def test_misfits_bites_on_a_bff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A planted one-off module, a stray folder and a missing spec are all reported."""
    bff = tmp_path / "edge" / "example"
    (bff / "routes").mkdir(parents=True)
    for name in ("__init__.py", "routes/__init__.py", "routes/tracks.py", "views.py"):
        (bff / name).write_text("")
    (bff / "notes").mkdir()
    monkeypatch.setitem(globals(), "APP", tmp_path)
    assert misfits("edge/example", VOCABULARY["bff"]) == [
        "edge/example/notes (other)",
        "edge/example/views (module)",
        "edge/example/spec.py (required)",
    ]


@pytest.mark.parametrize(("package", "vocabulary"), cases("vas"))
def test_vas_packages_follow_the_vocabulary(package: str, vocabulary: Vocabulary) -> None:
    assert misfits(package, vocabulary) == [], f"see docs/architecture.md: {package}"


@pytest.mark.parametrize(("package", "vocabulary"), cases("access"))
def test_access_follows_its_vocabulary(package: str, vocabulary: Vocabulary) -> None:
    assert misfits(package, vocabulary) == []


@pytest.mark.parametrize(("package", "vocabulary"), cases("common"))
def test_common_follows_its_vocabulary(package: str, vocabulary: Vocabulary) -> None:
    assert misfits(package, vocabulary) == []


def test_every_value_added_package_has_a_kind() -> None:
    """A new package of the layer needs a decision: a VAS (with the VAS vocabulary) or support."""
    listed = {p for v in VOCABULARY.values() for p in v.packages}
    known = SUPPORT | {p for p in listed if p.startswith("value_added/")}
    found = modules_of(APP / "value_added")
    packages = {f"value_added/{name}" for name, kind in found.items() if kind == "package"}
    modules = {name for name, kind in found.items() if kind != "package"}
    assert sorted(packages - known) == [], "add it to VOCABULARY (and the document) or SUPPORT"
    assert sorted(known - packages) == [], "VOCABULARY names a package that does not exist"
    assert sorted(modules - VALUE_ADDED_MODULES) == []


def _table_files(heading: str) -> list[str]:
    """The backticked file names in the first column of the table under `heading`."""
    text = DOC.read_text(encoding="utf-8")
    table = []
    for line in text[text.index(heading) :].splitlines()[1:]:
        if line.startswith("#") or (table and not line.startswith("|")):
            break  # the first table under the heading only
        if line.startswith("| `"):
            table.append(line)
    assert table, f"no table under {heading!r} in {DOC}"
    return [name for line in table for name in re.findall(r"`([\w/.<>]+)`", line.split("|")[1])]


def test_document_lists_the_bff_vocabulary() -> None:
    written = {name.split("/")[0].removesuffix(".py") for name in _table_files("### A BFF")}
    assert written == set(BFF_FILES)
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("### A BFF") : text.index("### A VAS or domain gateway")]
    for package in ("auth", "media"):
        extras = VOCABULARY[package].allowed - BFF_FILES
        row = next(line for line in section.splitlines() if line.startswith(f"| `{package}`"))
        assert {n.removesuffix(".py") for n in re.findall(r"`(\w+\.py)`", row)} == extras


def test_document_lists_the_vas_vocabulary() -> None:
    written = {name.removesuffix(".py") for name in _table_files("### A VAS or domain gateway")}
    assert written == set(VOCABULARY["vas"].allowed)


def test_document_lists_the_support_vocabularies() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("### The support packages of value_added") :]
    for kind in ("access", "common"):
        row = next(line for line in section.splitlines() if line.startswith(f"| `{kind}`"))
        files = {n.removesuffix(".py") for n in re.findall(r"`(\w+\.py)`", row.split("|")[2])}
        assert files | {"__init__"} == set(VOCABULARY[kind].allowed), kind
