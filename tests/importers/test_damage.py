"""Damage is marked where the readers detect it, apart from odd but valid content, and
``strict`` refuses exactly the files whose reading hit it."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable

import pytest

from analyzer.errors import UnreadableFile
from analyzer.importers import damage, fit, read, read_bytes
from analyzer.importers.damage import Damage, is_damage
from tests.conftest import DATA
from tests.importers.test_fit_repair import SMALL, _misalign_first_uint32

INVALID = DATA / "invalid"
GPX = DATA / "workoutizer/garmin_example.gpx"
TCX = DATA / "runpandas/run_garmin.tcx"


def damage_of(warnings: list[str]) -> list[str]:
    return [w for w in warnings if is_damage(w)]


def test_damage_reads_as_its_text_and_keeps_its_mark_through_pickling() -> None:
    w = Damage("x.fit: cut; kept 3", "cut")
    assert w == "x.fit: cut; kept 3"
    assert str(w) == "x.fit: cut; kept 3"
    for again in (pickle.loads(pickle.dumps(w)), copy.deepcopy(w)):
        assert is_damage(again)
        assert again.problem == "cut"
    assert not is_damage("x.fit: cut; kept 3")


@pytest.mark.parametrize("decoder", fit.DECODERS)
@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("activity-filecrc.fit", fit.CRC_PROBLEM),
        ("activity-unexpected-eof.fit", "the file is truncated (unexpected end of file)"),
        ("activity-settings-corruptheader.fit", "invalid FIT header"),
        ("strava-android-app-201.10-b1218918.fit", "damaged FIT data"),
    ],
)
def test_fit_damage_is_marked_by_both_decoders(decoder: str, name: str, problem: str) -> None:
    [activity] = read(INVALID / name, decoder)
    [marked] = damage_of(activity.warnings)
    assert marked.problem.startswith(problem)
    with pytest.raises(UnreadableFile, match=r"refused as damaged \(--damaged strict\)") as err:
        read(INVALID / name, decoder, damaged="strict")
    assert err.value.path == str(INVALID / name)
    assert err.value.problem.startswith(problem)


def test_a_clock_jump_and_a_missing_session_are_not_damage() -> None:
    # the 2085 record of the Strava file: a record that decodes whole, dated wrong
    [activity] = read(INVALID / "strava-android-app-201.10-b1218918.fit")
    stray = [w for w in activity.warnings if "dropped 1 record(s)" in w]
    assert stray
    assert not is_damage(stray[0])
    data = (DATA / "python-fitparse/activity-small-fenix2-run.fit").read_bytes()
    [cut] = read_bytes(data[: len(data) // 2], "cut.fit")
    missing = [w for w in cut.warnings if w.startswith("no session message")]
    assert missing
    assert not is_damage(missing[0])
    assert len(damage_of(cut.warnings)) == 1  # the truncation


def test_repaired_field_sizes_are_not_damage() -> None:
    broken = _misalign_first_uint32(SMALL.read_bytes(), skip=1)  # after the file_id
    [activity] = read_bytes(broken, "misaligned.fit", damaged="strict")
    assert any("field definition(s) declare a size" in w for w in activity.warnings)
    assert damage_of(activity.warnings) == []


@pytest.mark.parametrize("parser", ["stream", "gpxpy"])
def test_a_cut_gpx_is_damage_and_untimed_points_are_not(
    monkeypatch: pytest.MonkeyPatch, parser: str
) -> None:
    monkeypatch.setenv("ANALYZER_GPX_PARSER", parser)
    data = GPX.read_bytes()
    at = data.index(b"</trkpt>", len(data) // 2) + len(b"</trkpt>")
    first = data.index(b"<time>", data.index(b"<trkpt"))
    cut = data[:first] + b"<time>x" + data[first + 6 : at]  # one point's time unreadable
    [activity] = read_bytes(cut, "cut.gpx")
    assert "1 track points without a valid time were skipped" in activity.warnings
    [marked] = damage_of(activity.warnings)
    assert marked.startswith("cut.gpx: the GPX file is cut off at line ")
    assert marked.problem == marked.removeprefix("cut.gpx: ").split(";")[0]
    with pytest.raises(UnreadableFile, match="cut off at line"):
        read_bytes(cut, "cut.gpx", damaged="strict")
    assert read_bytes(data, "whole.gpx", damaged="strict")


@pytest.mark.parametrize(
    ("cut", "problem"),
    [
        (lambda d: d[: d.index(b"</Trackpoint>", len(d) // 2) + 13], "is cut off"),
        (lambda d: _mistyped(d, len(d) // 2), "is damaged"),
    ],
)
def test_a_cut_or_damaged_tcx_is_damage(cut: Callable[[bytes], bytes], problem: str) -> None:
    data = cut(TCX.read_bytes())
    activities = read_bytes(data, "cut.tcx")
    for activity in activities:
        [marked] = damage_of(activity.warnings)
        assert problem in marked.problem
    with pytest.raises(UnreadableFile, match=problem):
        read_bytes(data, "cut.tcx", damaged="strict")


def _mistyped(data: bytes, after: int) -> bytes:
    """``data`` with the first ``</Trackpoint>`` after byte ``after`` mistyped."""
    at = data.index(b"</Trackpoint>", after)
    return data[:at] + b"</Trackpont>" + data[at + 13 :]


def test_ignore_keeps_the_warnings_the_reader_gave() -> None:
    [warned] = read(INVALID / "activity-unexpected-eof.fit")
    [quiet] = read(INVALID / "activity-unexpected-eof.fit", damaged="ignore")
    assert quiet.warnings == warned.warnings
    assert damage.shown(quiet.warnings, "ignore") == ()
    assert damage.shown(quiet.warnings, "warn") == tuple(warned.warnings)


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown --damaged mode"):
        read(SMALL, damaged="loose")
