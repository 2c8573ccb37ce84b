"""Every import contract in .importlinter has teeth.

For each contract we copy app/ and .importlinter into a temporary directory, plant one import
that breaks it, run lint-imports there and check that it fails *and* names that contract as
broken. Contracts are read from .importlinter, so a new contract without an entry in PLANTS
fails this test until someone shows it can catch a violation.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT_PREFIX = "importlinter:contract:"
PLANTED_MODULE = "planted_violation.py"

# A plant is (file under the tree root, import line). A relative path naming a package
# directory gets a new module `planted_violation.py`; a path ending in .py is appended to
# (created if it does not exist yet).
Plant = tuple[str, str]

PLANTS: Mapping[str, Sequence[Plant]] = {
    "tiers": [("app/foundation", "import app.value_added.common")],
    # app/cli.py is outside the tiers, so only the protected contract keeps it off foundation.
    "foundation-importers": [("app/cli.py", "import app.foundation.db")],
    "edge-not-foundation": [("app/edge/web", "import app.foundation.db")],
    # each plant also proves its package is listed in the contract
    "bff-independence": [
        ("app/edge/mobile", "import app.edge.web"),
        ("app/edge/subsonic", "import app.edge.web"),
    ],
    # Neither media nor identity is in the value_added layers, so this is only a cycle.
    "value-added-acyclic": [
        ("app/value_added/media", "import app.value_added.identity"),
        ("app/value_added/identity", "import app.value_added.media"),
    ],
    "value-added-layers": [("app/value_added/tracks", "import app.value_added.playlists")],
    "creator-not-consumer": [("app/value_added/creator", "import app.value_added.tracks")],
    "consumer-not-creator": [("app/value_added/playlists", "import app.value_added.creator")],
    "access-bottom": [("app/value_added/access", "import app.value_added.catalog")],
    "catalog-below-services": [("app/value_added/catalog", "import app.value_added.creator")],
    "identity-not-services": [("app/value_added/identity", "import app.value_added.users")],
    "sqlalchemy-in-foundation": [("app/edge/public", "import sqlalchemy")],
    "no-litestar-below-edge": [("app/value_added/common", "import litestar")],
    # the cycle this contract ended: repositories -> bulk inserts -> unit of work -> repositories
    "foundation-acyclic": [("app/foundation/bulk_insert.py", "import app.foundation.unit_of_work")],
    "neutral-below-layers": [
        ("app/caching", "import app.foundation.cache"),
        ("app/faults.py", "import app.edge.kit"),
    ],
    "telemetry-bottom": [("app/telemetry", "import app.foundation.db")],
    "foundation-services-independent": [
        ("app/foundation/users", "import app.foundation.tracks.tables"),
        ("app/foundation/apps", "import app.foundation.users.repository"),
    ],
}

# Imports the design explicitly allows: planting all of them must keep every contract.
ALLOWED: Sequence[Plant] = [
    ("app/main.py", "import app.edge.web\nimport app.value_added.users\nimport app.foundation.db"),
    ("app/cli.py", "import app.value_added.users\nimport app.edge.kit"),
    ("app/edge/web", "import app.edge.kit\nimport app.value_added.playlists\nimport litestar"),
    ("app/edge/auth", "import app.edge.kit\nimport app.value_added.identity"),
    ("app/value_added/users", "import app.value_added.playlists"),
    ("app/value_added/playlists", "import app.value_added.tracks\nimport app.value_added.catalog"),
    ("app/value_added/tracks", "import app.value_added.access\nimport app.value_added.media"),
    (
        "app/value_added/creator",
        "import app.value_added.access\nimport app.value_added.common\n"
        "import app.value_added.catalog\n"
        "import app.value_added.media\nimport app.value_added.identity\n"
        "import app.foundation.tracks",
    ),
    ("app/value_added/access", "import app.value_added.common\nimport msgspec"),
    (
        "app/value_added/catalog",
        "import app.value_added.access\nimport app.value_added.common\n"
        "import app.value_added.media",
    ),
    ("app/value_added/identity", "import app.value_added.access\nimport app.value_added.common"),
    ("app/foundation/tracks", "import sqlalchemy\nimport app.foundation.db"),
    # the named cross-service reads may read any service
    ("app/foundation/principals", "import app.foundation.apps\nimport app.foundation.users"),
    ("app/foundation/catalog", "import app.foundation.social\nimport app.foundation.users"),
]


def _contracts() -> dict[str, str]:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    return {
        section.removeprefix(CONTRACT_PREFIX): parser[section]["name"]
        for section in parser.sections()
        if section.startswith(CONTRACT_PREFIX)
    }


def _contract_modules(contract_id: str, key: str) -> set[str]:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    return set(parser[CONTRACT_PREFIX + contract_id][key].split())


CONTRACTS = _contracts()


class Run(NamedTuple):
    returncode: int
    output: str


def _squash(text: str) -> str:
    """Drop all whitespace: rich wraps long contract names at the terminal width."""
    return re.sub(r"\s+", "", text)


def _plant(tree: Path, plants: Sequence[Plant]) -> None:
    for where, line in plants:
        target = tree / where
        if target.suffix != ".py":
            assert target.is_dir(), f"no package {where} to plant into"
            target = target / PLANTED_MODULE
        existing = target.read_text(encoding="utf-8") if target.exists() else ""
        target.write_text(f"{existing}\n{line}\n", encoding="utf-8")


def _lint(base: Path, name: str, plants: Sequence[Plant]) -> Run:
    tree = base / name
    shutil.copytree(
        ROOT / "app", tree / "app", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    shutil.copy2(CONFIG, tree / ".importlinter")
    _plant(tree, plants)
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "400", "NO_COLOR": "1"}
    proc = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Run(proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """lint-imports on the allowed-imports tree and one tree per plant. The clean tree has no run
    of its own: planting imports only adds edges, which can break a contract but never mend one,
    so the allowed tree keeping every contract shows the clean tree does (and `make layers`, run
    before the tests by `make test`, is that very check)."""
    base = tmp_path_factory.mktemp("layering")
    cases: dict[str, Sequence[Plant]] = {"<allowed>": ALLOWED}
    cases.update({cid: plants for cid, plants in PLANTS.items() if cid in CONTRACTS})
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {
            key: pool.submit(_lint, base, f"case{i}", plants)
            for i, (key, plants) in enumerate(cases.items())
        }
        return {key: future.result() for key, future in futures.items()}


def test_config_declares_contracts() -> None:
    assert LINT_IMPORTS.exists(), f"lint-imports not found next to {sys.executable}"
    assert CONTRACTS, "no contracts in .importlinter"


def test_every_plant_targets_an_existing_contract() -> None:
    stale = sorted(set(PLANTS) - set(CONTRACTS))
    assert not stale, f"PLANTS names contracts that are not in .importlinter: {stale}"


def test_clean_tree_and_allowed_imports_keep_every_contract(runs: dict[str, Run]) -> None:
    run = runs["<allowed>"]
    assert run.returncode == 0, f"an import the design allows breaks a contract:\n{run.output}"
    squashed = _squash(run.output)
    for name in CONTRACTS.values():
        assert _squash(name) + "KEPT" in squashed, f"{name!r} not reported kept:\n{run.output}"


@pytest.mark.parametrize("contract_id", sorted(CONTRACTS))
def test_contract_catches_planted_violation(contract_id: str, runs: dict[str, Run]) -> None:
    assert contract_id in PLANTS, (
        f"contract {contract_id!r} has no planted violation: add one to PLANTS in {__file__}"
    )
    run = runs[contract_id]
    name = CONTRACTS[contract_id]
    assert run.returncode != 0, f"{contract_id}: planted {PLANTS[contract_id]} went unnoticed"
    assert _squash(name) + "BROKEN" in _squash(run.output), (
        f"{contract_id}: lint-imports failed but did not report {name!r} broken:\n{run.output}"
    )


def _subpackages(package: str) -> set[str]:
    directory = ROOT.joinpath(*package.split("."))
    return {
        f"{package}.{child.name}"
        for child in directory.iterdir()
        if child.is_dir() and (child / "__init__.py").exists()
    }


def test_bff_independence_lists_every_edge_package() -> None:
    listed = _contract_modules("bff-independence", "modules")
    missing = sorted(_subpackages("app.edge") - listed - {"app.edge.kit"})
    assert not missing, f"add {missing} to [importlinter:contract:bff-independence]"


def test_access_contract_lists_every_value_added_package() -> None:
    listed = _contract_modules("access-bottom", "forbidden_modules")
    allowed = {"app.value_added.access", "app.value_added.common"}
    missing = sorted(_subpackages("app.value_added") - listed - allowed)
    assert not missing, f"add {missing} to [importlinter:contract:access-bottom]"
