"""Corpus-wide checks of the importers against ../shared/corpus and the devices' summaries.

Each file is read once per session (module-scoped cache) to keep the suite fast.
"""

from __future__ import annotations

import io
import signal
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import fitparse
import numpy as np
import pytest

from analyzer.errors import AnalyzerError
from analyzer.importers import read
from analyzer.importers.fit_repair import realign
from analyzer.schema import Activity
from tests.conftest import CORPUS, corpus_or_skip, fit_sessions

pytestmark = pytest.mark.corpus

SUFFIXES = {".fit", ".gpx", ".tcx"}

TWIN_SETS = [
    ["sweatpy/4801048867.fit", "sweatpy/activity_4801048867.gpx",
     "sweatpy/activity_4801048867.tcx", "sweatpy/4801048867_strava.gpx"],
    ["sweatpy/4078723797.fit", "sweatpy/4078723797_strava.gpx"],
    ["sports-lib/6782987395.fit", "sports-lib/6782987395.gpx", "sports-lib/6782987395.tcx"],
    ["sports-lib/3939576645.fit", "sports-lib/3939576645.gpx"],
    ["sports-lib/2067489619.fit", "sports-lib/2067489619.gpx"],
]  # fmt: skip


def activity_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        p for p in CORPUS.rglob("*") if p.suffix.lower() in SUFFIXES and "invalid" not in p.parts
    )


@cache
def cached_read(rel: str) -> tuple[Activity, ...]:
    return tuple(read(CORPUS / rel))


def test_every_activity_file_imports() -> None:
    corpus_or_skip()
    files = activity_files()
    assert len(files) == 70  # the corpus README: 34 FIT, 17 GPX and 19 TCX files
    for path in files:
        activities = cached_read(str(path.relative_to(CORPUS)))
        assert activities, path
        assert all(len(a.frame) > 0 for a in activities), path


def _fitparse_record_times(path: Path) -> tuple[int, int]:
    """(record messages, distinct record timestamps) as fitparse reads them.

    A file with misaligned field definitions is given to fitparse as the importer reads
    it: realigned (fitparse alone stops at the first such definition).
    """
    data = path.read_bytes()
    realigned = realign(data)
    count, times = 0, set()
    try:
        fit = fitparse.FitFile(io.BytesIO(realigned.data if realigned else data))
        for message in fit.get_messages("record"):
            count += 1
            times.add(message.get_value("timestamp"))
    except fitparse.FitParseError:
        pass  # damaged tail: compare what fitparse could read
    return count, len(times - {None})


def test_fit_rows_match_fitparse_records() -> None:
    """One row per distinct record time: records sharing a second are merged into one row."""
    corpus_or_skip()
    for path in activity_files():
        if path.suffix.lower() != ".fit":
            continue
        rows = sum(len(a.frame) for a in cached_read(str(path.relative_to(CORPUS))))
        count, distinct = _fitparse_record_times(path)
        assert rows == distinct, path
        assert rows <= count, path


def test_last_distance_matches_the_session_total() -> None:
    sessions = fit_sessions()
    checked = 0
    for row in sessions:
        if not row["total_distance"]:
            continue
        activities = cached_read(row["file"])
        index = int(row["session_index"])
        activity = next(a for a in activities if a.session_index == index)
        last = activity.frame["distance_m"].iloc[-1]
        assert last == pytest.approx(float(row["total_distance"]), rel=1e-3), row["file"]
        checked += 1
    assert checked >= 35


def _time_weighted_hr(activity: Activity) -> float:
    frame = activity.frame
    t = frame["elapsed_s"].to_numpy()
    dt = np.minimum(np.diff(t, append=t[-1]), 10.0)
    hr = frame["heart_rate_bpm"].to_numpy()
    ok = np.isfinite(hr)
    return float((hr[ok] * dt[ok]).sum() / dt[ok].sum())


@pytest.mark.parametrize("twins", TWIN_SETS, ids=lambda s: Path(s[0]).stem)
def test_twin_sets_agree_across_formats(twins: list[str]) -> None:
    """Corpus README: same distance, duration and heart rate whatever the format."""
    corpus_or_skip()
    [reference] = cached_read(twins[0])
    for other_name in twins[1:]:
        [other] = cached_read(other_name)
        ref_f, oth_f = reference.frame, other.frame
        assert oth_f["elapsed_s"].iloc[-1] == pytest.approx(ref_f["elapsed_s"].iloc[-1], rel=0.01)
        assert oth_f["distance_m"].iloc[-1] == pytest.approx(
            ref_f["distance_m"].iloc[-1], rel=0.025
        )
        assert abs(_time_weighted_hr(other) - _time_weighted_hr(reference)) <= 2.0


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Timeout


def _invalid_files() -> Iterator[Path]:
    yield from sorted((CORPUS / "invalid").glob("*"))


def test_invalid_files_warn_or_fail_with_the_file_named() -> None:
    corpus_or_skip()
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for path in _invalid_files():
            signal.alarm(30)  # no hang: every file must finish well within this
            message, activities = None, ()
            try:
                activities = tuple(read(path))
            except AnalyzerError as exc:
                message = str(exc)
            finally:
                signal.alarm(0)
            if message is not None:
                assert str(path) in message
            else:
                assert activities, path
                assert all(len(a.frame) for a in activities), path
    finally:
        signal.signal(signal.SIGALRM, previous)
