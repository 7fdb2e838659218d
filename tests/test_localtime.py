"""One rule for an activity's local time: the file's offset, else the profile's zone."""

from __future__ import annotations

import pandas as pd
import pytest

from analyzer.errors import InvalidEntry
from analyzer.localtime import local_date, local_start, local_starts, offset_s_in, zone

# Europe/London switched to BST at 01:00 UTC on 2026-03-29 and back at 01:00 UTC on
# 2026-10-25 (the last Sundays of March and October, by UK law).
STARTS = [
    ("2026-03-29T00:30:00+00:00", None, "2026-03-29T00:30:00"),  # GMT still
    ("2026-03-29T01:30:00+00:00", None, "2026-03-29T02:30:00"),  # BST now
    ("2026-10-24T23:30:00+00:00", None, "2026-10-25T00:30:00"),  # BST: the next day
    ("2026-10-25T23:30:00+00:00", None, "2026-10-25T23:30:00"),  # GMT again
    ("2026-10-24T23:30:00+00:00", -5 * 3600, "2026-10-24T18:30:00"),  # the file's offset wins
    ("2026-06-01T22:30:00+00:00", 9 * 3600, "2026-06-02T07:30:00"),
]


@pytest.mark.parametrize(("utc", "offset", "local"), STARTS)
def test_local_start_follows_the_offset_else_the_zone(
    utc: str, offset: int | None, local: str
) -> None:
    start = local_start(utc, offset, "Europe/London")
    assert start.replace(tzinfo=None).isoformat() == local
    assert local_date(utc, offset, "Europe/London") == local[:10]


def test_the_column_rule_equals_the_scalar_rule() -> None:
    utc = pd.Series([u for u, _, _ in STARTS])
    offsets = pd.Series([float("nan") if o is None else float(o) for _, o, _ in STARTS])
    column = local_starts(utc, offsets, "Europe/London")
    assert [t.isoformat() for t in column] == [local for _, _, local in STARTS]


def test_no_zone_and_no_offset_is_utc_and_a_naive_start_is_utc() -> None:
    assert local_start("2026-06-01T22:30:00", None, None).isoformat() == (
        "2026-06-01T22:30:00+00:00"
    )


def test_offset_in_a_zone_and_an_unknown_zone() -> None:
    assert offset_s_in(pd.Timestamp("2026-07-01T12:00Z"), "Europe/London") == 3600
    assert offset_s_in(pd.Timestamp("2026-01-01T12:00Z"), "America/New_York") == -5 * 3600
    with pytest.raises(InvalidEntry, match="unknown time zone 'Mars/Olympus'"):
        zone("Mars/Olympus")
