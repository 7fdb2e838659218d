"""STYLE rule 5: every importer validates the frame it returns against the schema, after
distance and speed were filled in (``geo.fill_distance_speed``) and, in FIT, measured from
the session's own start (``fit._own_distance``): a rewrite that broke the schema there
must fail loudly, not reach the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from analyzer import geo
from analyzer.importers import fit, gpx, tcx
from analyzer.schema import COLUMNS, SchemaError, validate
from tests.conftest import DATA

FIT = DATA / "workoutizer" / "2020-08-31-17-41-11.fit"
GPX = DATA / "runpandas" / "strava_export.gpx"
TCX = DATA / "runpandas" / "run_garmin.tcx"


def read_gpx_stream(path: Path) -> list[object]:
    with path.open("rb") as fh:
        return list(gpx.read_file(fh, path.name))


READERS: dict[str, tuple[Path, Callable[[Path], list[object]]]] = {
    "fit": (FIT, lambda p: list(fit.read_bytes(p.read_bytes(), p.name))),
    "gpx": (GPX, lambda p: list(gpx.read_bytes(p.read_bytes(), p.name))),
    "gpx-stream": (GPX, read_gpx_stream),
    "tcx": (TCX, lambda p: list(tcx.read_bytes(p.read_bytes(), p.name))),
}


def single_precision_speed(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame whose speed is float32: the schema wants every column float64."""
    return frame.astype({"speed_mps": "float32"})


@pytest.mark.parametrize("reader", sorted(READERS))
def test_each_importer_returns_a_valid_frame(reader: str) -> None:
    path, read = READERS[reader]
    activities = read(path)
    assert activities
    for activity in activities:
        frame = activity.frame  # type: ignore[attr-defined]
        assert validate(frame) is frame
        assert list(frame.columns) == list(COLUMNS)
        assert frame["distance_m"].notna().any()
        assert frame["speed_mps"].notna().any()


@pytest.mark.parametrize("reader", sorted(READERS))
def test_distance_and_speed_filled_in_are_validated(
    reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, read = READERS[reader]
    filled = geo.fill_distance_speed
    monkeypatch.setattr(geo, "fill_distance_speed", lambda f: single_precision_speed(filled(f)))
    with pytest.raises(SchemaError, match="speed_mps must be float64"):
        read(path)


def test_the_fit_session_distance_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    own = fit._own_distance

    def broken(frame: pd.DataFrame, end: float | None) -> tuple[pd.DataFrame, float | None]:
        out, counter = own(frame, end)
        return single_precision_speed(out), counter

    monkeypatch.setattr(fit, "_own_distance", broken)
    with pytest.raises(SchemaError, match="speed_mps must be float64"):
        fit.read_bytes(FIT.read_bytes(), FIT.name)
