"""Before measuring: the peers answer the same ids with the same fields as `/public/tracks/{id}`
(compared field by field for the fields they share) and hide what Soundstack hides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

SAMPLE = 20
"""Consecutive visible tracks compared: every policy kind of the seeded catalog appears in
any 20 consecutive ids (public, territory-restricted, premium)."""


class PeerMismatch(RuntimeError):
    pass


def _differences(ours: dict[str, Any], theirs: dict[str, Any], where: str = "") -> list[str]:
    out = []
    for key in sorted(ours.keys() & theirs.keys()):
        a, b = ours[key], theirs[key]
        if isinstance(a, dict) and isinstance(b, dict):
            out += _differences(a, b, f"{where}{key}.")
        elif a != b:
            out.append(f"{where}{key}: soundstack {a!r} != peer {b!r}")
    return out


def compare(
    soundstack: str,
    peers: dict[str, str],
    public_token: str,
    visible: Sequence[int],
    hidden: Sequence[int],
) -> dict[str, Any]:
    """Compare each peer's answers with Soundstack's; raises PeerMismatch on any difference.
    Returns what was compared (ids, shared and unshared fields) for the results file."""
    auth = {"Authorization": f"OAuth {public_token}"}
    ids = list(visible[:SAMPLE])
    report: dict[str, Any] = {"ids": ids, "hidden_ids": list(hidden), "peers": {}}
    with httpx.Client(timeout=30) as client:
        ours = {}
        for i in [*ids, *hidden]:
            r = client.get(f"{soundstack}/public/tracks/soundcloud:tracks:{i}", headers=auth)
            ours[i] = r
        for name, base in peers.items():
            problems: list[str] = []
            shared: set[str] = set()
            only_ours: set[str] = set()
            only_theirs: set[str] = set()
            for i in [*ids, *hidden]:
                theirs = client.get(f"{base}/tracks/{i}")
                if ours[i].status_code != theirs.status_code:
                    problems.append(
                        f"track {i}: soundstack {ours[i].status_code}, {name} {theirs.status_code}"
                    )
                    continue
                if i in hidden or theirs.status_code != 200:
                    continue
                mine, other = ours[i].json(), theirs.json()
                problems += [f"track {i}: {p}" for p in _differences(mine, other)]
                shared |= mine.keys() & other.keys()
                only_ours |= mine.keys() - other.keys()
                only_theirs |= other.keys() - mine.keys()
            if problems:
                raise PeerMismatch(f"{name} differs from Soundstack:\n" + "\n".join(problems[:20]))
            report["peers"][name] = {
                "shared_fields": len(shared),
                "only_soundstack": sorted(only_ours),
                "only_peer": sorted(only_theirs),
            }
    return report
