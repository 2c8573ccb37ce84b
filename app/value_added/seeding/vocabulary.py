"""Word lists the generator draws names, titles, tags and comments from."""

from __future__ import annotations

ADJECTIVES = (
    "midnight", "golden", "electric", "velvet", "neon", "silent", "crystal", "wild",
    "lunar", "broken", "hidden", "northern", "paper", "summer", "static", "distant",
)  # fmt: skip
NOUNS = (
    "echo", "river", "signal", "garden", "horizon", "machine", "tide", "parade",
    "mirror", "forest", "engine", "satellite", "harbor", "kingdom", "fever", "orbit",
)  # fmt: skip
FIRST_NAMES = ("Ada", "Bo", "Chloe", "Dario", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas")
LAST_NAMES = ("Adler", "Berg", "Costa", "Dahl", "Eze", "Fischer", "Gomez", "Hart", "Ito", "Jung")
GENRES = (
    "electronic", "hip-hop", "ambient", "techno", "house", "jazz",
    "indie", "rock", "classical", "lo-fi", "drum & bass", "pop",
)  # fmt: skip
TAGS = ("chill", "night", "dance", "live", "remix", "demo", "vinyl", "summer", "deep", "vocal")
KEYS = ("C major", "A minor", "G major", "E minor", "D major", "B minor", "F major", "")
LICENSES = ("all-rights-reserved", "cc-by", "cc-by-sa", "cc-by-nc")
LABELS = ("", "", "Night Shift Records", "Paper Tiger", "Lunar Sound", "Static Age")
COUNTRIES = ("DE", "US", "GB", "FR", "SE", "BR", "JP", "NL", "CA", "AU", "ES", "IT")
CITIES = ("Berlin", "New York", "London", "Paris", "Stockholm", "São Paulo", "Tokyo", "Amsterdam")
COMMENTS = (
    "this drop!", "on repeat all week", "love the bassline here", "goosebumps",
    "what synth is this?", "perfect for late nights", "the vocals at this part",
    "underrated", "need this on vinyl", "so clean",
)  # fmt: skip
WEB_SERVICES = ("instagram", "bandcamp", "personal", "youtube")
POLICY_KINDS = ("public",) * 15 + ("private", "unreleased", "territory", "premium", "taken_down")
"""A track's policy kind is POLICY_KINDS[id % 20]: every kind appears in any 20 tracks."""
VISIBLE_KINDS = frozenset({"public", "territory", "premium"})
"""Kinds other users can see (and so like, repost, comment on and play)."""
RESTRICTED_TERRITORIES = (["DE", "AT", "CH"], ["US", "CA"], ["GB", "IE"], ["JP"])
