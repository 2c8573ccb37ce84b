"""The demo catalog's fixed parts: account names, one app per BFF, derived credentials."""

from __future__ import annotations

import itertools
import random

from app.value_added.seeding import vocabulary as v
from app.value_added.seeding.derive import Derived

SEED = 20240611
"""The demo catalog's random seed (the catalog is the same on every install)."""
LISTENER, PREMIUM = "demo", "demo_premium"
GRANTING_CREATORS = 3
"""The first creators grant the demo partner app management of their catalog."""
REDIRECT_URIS = ("http://localhost:8000/callback", "http://127.0.0.1:8000/callback")
APPS = (
    # (bff, name, entitlements)
    ("mobile", "Soundstack Demo Mobile", ("read", "write")),
    ("web", "Soundstack Demo Web", ("read", "write", "insights")),
    ("public", "Soundstack Demo Public", ("read", "write")),
    ("partner", "Soundstack Demo Partner", ("read", "partner:catalog", "partner:insights")),
)


def usernames(count: int) -> list[str]:
    """`demo`, `demo_premium`, then creator-like names (`midnight_echo` …), always the same."""
    pairs = [f"{a}_{b}" for a, b in itertools.product(v.ADJECTIVES, v.NOUNS)]
    random.Random(SEED).shuffle(pairs)
    return [LISTENER, PREMIUM, *pairs[: max(0, count - 2)]]


def password(derived: Derived) -> str:
    """The demo accounts' shared password, derived from SECRET_KEY."""
    return "demo-" + derived.derive("demo-password", 16)


def client_credentials(derived: Derived, bff: str) -> tuple[str, str]:
    """(client_id, client_secret) of the demo app of `bff`, derived from SECRET_KEY."""
    return (
        f"demo-{bff}-" + derived.derive(f"client-id:{bff}", 16),
        derived.derive(f"client-secret:{bff}", 43),
    )
