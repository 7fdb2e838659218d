"""Check-ins and heel-drop sessions: validation and the CSV formats, line by line."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.errors import InvalidEntry
from analyzer.symptoms.entries import (
    CHECKIN_COLUMNS,
    CheckIn,
    HeelDropSession,
    InvalidRows,
    check_checkin,
    check_heel_drops,
    checkins_csv,
    heel_drops_csv,
    parse_checkins_csv,
    parse_heel_drops_csv,
    parse_time,
)
from tests.conftest import REPO

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
#: the columns of a symptoms.csv written before morning_pain (v0.5): still read
OLD_COLUMNS = tuple(c for c in CHECKIN_COLUMNS if c != "morning_pain")
HEADER = ",".join(OLD_COLUMNS)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_a_good_check_in_csv_parses() -> None:
    data = csv_bytes(
        HEADER,
        "2026-10-12,2,11,,,2,false,left,Week 5",
        '2026-10-18,5,27,1,0,4,true,LEFT,"Physio: ""walk the hill"", rest days"',
    )
    a, b = parse_checkins_csv(data, "s.csv", TODAY)
    assert a == CheckIn(
        date(2026, 10, 12),
        morning_stiffness=2,
        morning_stiffness_minutes=11,
        pinch_tenderness=2,
        swelling=False,
        side="left",
        note="Week 5",
    )
    assert a.morning_pain is None  # a CSV written before morning pain was logged
    assert b.swelling is True
    assert b.side == "left"
    assert b.note == 'Physio: "walk the hill", rest days'


def test_every_bad_line_is_reported_with_its_number_and_reason() -> None:
    data = csv_bytes(
        HEADER,
        "2026-10-12,2,11,,,2,false,left,",
        "2026-10-13,11,10,,,2,false,left,",  # score outside 0-10
        "2099-01-01,1,1,,,1,false,left,",  # in the future
        "2026-10-15,1,1,,,1,false,left,,extra",  # malformed row
        "2026-10-16,1,-5,,,1,false,left,",  # negative minutes
        "2026-10-17,1,1,,,1,maybe,left,",  # not a boolean
        "2026-10-18,1,1,,,1,false,top,",  # not a side
        "2026-10-12,1,1,,,1,false,left,",  # same date twice
        "yesterday,1,1,,,1,false,left,",  # not a date
    )
    with pytest.raises(InvalidRows) as caught:
        parse_checkins_csv(data, "s.csv", TODAY)
    errors = caught.value.errors
    assert [e.line for e in errors] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert [e.field for e in errors] == [
        "morning_stiffness",
        "date",
        "row",
        "morning_stiffness_minutes",
        "swelling",
        "side",
        "row",
        "date",
    ]
    message = str(caught.value)
    assert "nothing was written" in message
    assert "line 3: morning_stiffness: score 11 is outside 0-10" in message
    assert "is on line 2 too: one entry each, keep one of the two" in message


def test_an_unknown_column_is_named() -> None:
    with pytest.raises(InvalidRows, match="unknown column 'mood'"):
        parse_checkins_csv(csv_bytes(HEADER + ",mood", "2026-10-12,,,,,,,,,happy"), "s", TODAY)


def test_a_missing_date_column_is_named() -> None:
    with pytest.raises(InvalidRows, match="'date' is missing"):
        parse_checkins_csv(csv_bytes("morning_stiffness", "3"), "s", TODAY)


def test_a_file_that_is_not_utf8_is_refused() -> None:
    data = HEADER.encode() + b"\n2026-10-12,2,,,,,,left,caf\xe9\n"
    with pytest.raises(InvalidEntry, match="not UTF-8 text .*save it as UTF-8"):
        parse_checkins_csv(data, "s.csv", TODAY)


def test_a_utf8_bom_is_fine() -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(HEADER, "2026-10-12,2,,,,,,,")
    assert parse_checkins_csv(data, "s.csv", TODAY)[0].morning_stiffness == 2


def test_single_entries_are_checked() -> None:
    with pytest.raises(InvalidEntry, match="outside 0-10"):
        check_checkin(CheckIn(TODAY, pain_after=-1), TODAY)
    with pytest.raises(InvalidEntry, match="in the future"):
        check_checkin(CheckIn(TODAY + timedelta(days=1)), TODAY)
    with pytest.raises(InvalidEntry, match="outside 0-100"):
        check_heel_drops(HeelDropSession(NOW, reps=101), NOW)
    with pytest.raises(InvalidEntry, match="in the future"):
        check_heel_drops(HeelDropSession(NOW + timedelta(minutes=5)), NOW)


def test_times_without_offset_are_local_to_the_profile_zone() -> None:
    assert parse_time("2026-10-12T07:49", "Europe/London", NOW).utcoffset() == timedelta(hours=1)
    assert parse_time("2026-11-12T07:49", "Europe/London", NOW).utcoffset() == timedelta(0)
    assert parse_time("07:49", "UTC", NOW) == datetime(2026, 11, 30, 7, 49, tzinfo=UTC)
    keep = parse_time("2026-10-12T07:49:00+01:00", "UTC", NOW)
    assert keep.isoformat() == "2026-10-12T07:49:00+01:00"
    with pytest.raises(InvalidEntry, match="not a time"):
        parse_time("soon", "UTC", NOW)


scores = st.none() | st.integers(0, 10).map(float) | st.sampled_from([0.5, 2.5, 9.5])
notes = st.none() | st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).map(str.strip).filter(bool)


@given(
    st.lists(
        st.builds(
            CheckIn,
            date=st.dates(date(2020, 1, 1), TODAY),
            morning_stiffness=scores,
            morning_stiffness_minutes=st.none() | st.integers(0, 300).map(float),
            pain_during=scores,
            pain_after=scores,
            pinch_tenderness=scores,
            swelling=st.none() | st.booleans(),
            side=st.none() | st.sampled_from(["left", "right", "both"]),
            note=notes,
        ),
        unique_by=lambda c: c.date,
        max_size=8,
    )
)
def test_check_ins_round_trip_through_csv(entries: list[CheckIn]) -> None:
    text = checkins_csv(entries)
    assert parse_checkins_csv(text.encode(), "x.csv", TODAY) == entries


@pytest.mark.parametrize(
    ("name", "parse", "write"),
    [
        ("symptoms.csv", lambda d: parse_checkins_csv(d, "s", TODAY), checkins_csv),
        (
            "heel_drops.csv",
            lambda d: parse_heel_drops_csv(d, "h", "Europe/London", NOW),
            heel_drops_csv,
        ),
    ],
)
def test_the_sample_logs_export_byte_for_byte(name: str, parse, write) -> None:  # type: ignore[no-untyped-def]
    path = REPO / "sample_data" / name
    if not path.exists():
        pytest.skip(f"sample_data/{name} has not been generated")
    data = path.read_bytes()
    assert write(parse(data)).encode() == data


@pytest.mark.parametrize(
    ("text", "said"),
    [("2026-11-24", "has no time of day"), ("0749", "is not a time"), ("soon", "is not a time")],
)
def test_a_heel_drop_time_needs_a_time_of_day(text: str, said: str) -> None:
    # a date alone would be stored as midnight, which moves "within 2 h of a run"
    with pytest.raises(InvalidEntry, match=said):
        parse_time(text, "UTC", NOW)


def test_a_heel_drop_time_reads_as_people_write_it_to_the_minute() -> None:
    assert parse_time("7:45", "UTC", NOW) == datetime(2026, 11, 30, 7, 45, tzinfo=UTC)
    assert parse_time("2026-11-24T07:45:30", "UTC", NOW) == datetime(
        2026, 11, 24, 7, 45, tzinfo=UTC
    )  # the same session as 07:45, not a second one
