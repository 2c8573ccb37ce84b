"""AIP-161 field masks: validation, remembered per immutable set of allowed paths."""

from __future__ import annotations

import pytest

from app.value_added.common.errors import InvalidArgument
from app.value_added.common.fieldmask import FieldMask

TRACK = ("title", "stats", "stats.likes")
USER = ("username", "stats")


def test_a_mask_checked_once_is_still_checked_against_other_paths() -> None:
    mask = FieldMask(["title", "stats.likes"])
    assert mask.validate(TRACK, "track") is mask
    assert mask.validate(TRACK, "track") is mask  # (remembered: the same constant)
    with pytest.raises(InvalidArgument) as refused:
        mask.validate(USER, "user")
    assert (refused.value.reason, refused.value.field) == ("unknown_field", "stats.likes")
    with pytest.raises(InvalidArgument):  # (a refusal is never remembered)
        mask.validate(USER, "user")


def test_paths_given_as_a_list_are_checked_every_time() -> None:
    allowed = ["title"]
    mask = FieldMask(["title"])
    mask.validate(allowed, "track")
    allowed.remove("title")
    with pytest.raises(InvalidArgument):
        mask.validate(allowed, "track")
