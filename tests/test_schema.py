import numpy as np
import pandas as pd
import pytest

from analyzer.schema import (
    COLUMNS,
    SchemaError,
    build_frame,
    clean_heart_rate,
    clean_position,
    validate,
)


def _times(*seconds: int) -> pd.DatetimeIndex:
    return pd.to_datetime([1_700_000_000 + s for s in seconds], unit="s", utc=True)


def test_build_frame_sorts_merges_duplicates_and_sets_elapsed() -> None:
    # Two records share second 1: one carries heart rate, the other distance.
    frame = build_frame(
        _times(1, 0, 1),
        {"heart_rate_bpm": [np.nan, 100.0, 120.0], "distance_m": [5.0, 0.0, np.nan]},
    )
    assert list(frame.columns) == list(COLUMNS)
    assert list(frame["elapsed_s"]) == [0.0, 1.0]
    assert frame["heart_rate_bpm"].iloc[1] == 120.0
    assert frame["distance_m"].iloc[1] == 5.0
    assert str(frame.index.tz) == "UTC"
    assert frame.index.name == "time"


def test_validate_rejects_naive_index_and_wrong_dtype() -> None:
    frame = build_frame(_times(0, 1), {})
    naive = frame.copy()
    naive.index = naive.index.tz_localize(None)
    with pytest.raises(SchemaError):
        validate(naive)
    wrong = frame.copy()
    wrong["power_w"] = wrong["power_w"].astype("float32")
    with pytest.raises(SchemaError):
        validate(wrong)


def test_invalid_markers_become_nan() -> None:
    hr = clean_heart_rate([0, 255, 140, 19])
    assert np.isnan(hr[[0, 1, 3]]).all()
    assert hr[2] == 140
    lat, lon = clean_position([0.0, 51.5, 180.0], [0.0, -0.1, 179.9999])
    assert np.isnan(lat[0])
    assert np.isnan(lon[0])
    assert lat[1] == 51.5
    assert np.isnan(lat[2])
    assert np.isnan(lon[2])


def test_empty_frame_is_valid() -> None:
    frame = build_frame(pd.to_datetime([], utc=True), {})
    assert frame.empty
    assert list(frame.columns) == list(COLUMNS)
