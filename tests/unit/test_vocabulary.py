"""Every package follows the file vocabulary of its kind (docs/architecture.md, "File
vocabularies"): a name outside it fails here, naming the file and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"

VOCABULARIES: dict[str, frozenset[str]] = {
    "bff": frozenset(
        {
            "__init__",
            "spec",
            "routes",
            "representations",
            "mappers",
            "params",
            "embedding",
            "errors",
            "quirks",
            "dependencies",
        }
    ),
}
"""Package kind -> the names (a module, or a package of the same name) its files may have."""

EXTRAS: dict[str, frozenset[str]] = {
    "auth": frozenset({"pages", "csrf"}),
    "media": frozenset({"responses", "lifecycle"}),
}
"""Per-package additions, each written down in docs/architecture.md."""

FREE_INSIDE = frozenset({"routes", "representations", "mappers", "params"})
"""Vocabulary packages whose modules are named freely (`routes/<resource>.py` …)."""


PACKAGES: dict[str, tuple[Path, frozenset[str]]] = {
    "bff": (APP / "edge", frozenset({"kit"})),
}
"""Package kind -> where its packages are, and the packages there that are of another kind."""


def packages_of_kind(kind: str) -> list[Path]:
    parent, others = PACKAGES[kind]
    return sorted(p for p in parent.iterdir() if _is_package(p) and p.name not in others)


def _is_package(path: Path) -> bool:
    return path.is_dir() and (path / "__init__.py").exists()


def misnamed(package: Path, allowed: frozenset[str]) -> list[str]:
    """The files of `package` outside the vocabulary `allowed` (with the package's extras)."""
    allowed = allowed | EXTRAS.get(package.name, frozenset())
    wrong: list[str] = []
    for entry in sorted(package.iterdir()):
        if entry.name.startswith((".", "__pycache__")):
            continue
        name = entry.stem if entry.suffix == ".py" else entry.name
        if entry.is_file() and entry.suffix != ".py":
            wrong.append(entry.name)
        elif entry.is_dir() and not _is_package(entry):
            wrong.append(f"{entry.name}/ (not a package)")
        elif name not in allowed:
            wrong.append(entry.name)
        elif entry.is_dir() and name not in FREE_INSIDE:
            wrong.append(f"{entry.name}/ ({name} may not be a package)")
    return wrong


CASES = [(kind, package) for kind in VOCABULARIES for package in packages_of_kind(kind)]


@pytest.mark.parametrize(("kind", "package"), CASES, ids=[f"{k}:{p.name}" for k, p in CASES])
def test_package_follows_its_vocabulary(kind: str, package: Path) -> None:
    wrong = misnamed(package, VOCABULARIES[kind])
    assert not wrong, (
        f"{package.relative_to(APP.parent)} has files outside the {kind} vocabulary: {wrong}; "
        f"allowed: {sorted(VOCABULARIES[kind] | EXTRAS.get(package.name, frozenset()))}"
    )


@pytest.mark.parametrize("package", packages_of_kind("bff"), ids=lambda p: p.name)
def test_every_bff_has_a_spec_and_routes(package: Path) -> None:
    assert (package / "spec.py").is_file(), package
    assert _is_package(package / "routes"), package


def test_the_check_bites(tmp_path: Path) -> None:
    """A planted one-off module and a stray folder are reported."""
    bff = tmp_path / "example"
    (bff / "routes").mkdir(parents=True)
    for name in ("__init__.py", "spec.py", "routes/__init__.py", "routes/tracks.py", "views.py"):
        (bff / name).write_text("")
    (bff / "notes").mkdir()
    assert misnamed(bff, VOCABULARIES["bff"]) == ["notes/ (not a package)", "views.py"]
