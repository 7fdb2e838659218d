"""Parquet streams: atomic writes, one schema for all, an Activity rebuilt from the stream."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from analyzer.activity import analyse
from analyzer.importers import read
from analyzer.settings import Settings
from analyzer.store import streams
from tests.store.conftest import SMALL


def test_activity_round_trips_through_its_stream(tmp_path: Path) -> None:
    original = read(SMALL[0])[0]
    path = streams.write_stream(tmp_path / f"{original.activity_id}.parquet", original)
    rebuilt = streams.read_activity(path)
    pd.testing.assert_frame_equal(rebuilt.frame, original.frame)
    for name in ("activity_id", "source_path", "source_format", "sport", "sub_sport", "name"):
        assert getattr(rebuilt, name) == getattr(original, name)
    assert rebuilt.device == original.device
    assert rebuilt.utc_offset_s == original.utc_offset_s
    assert rebuilt.pauses == original.pauses
    assert [(lap.start, lap.end) for lap in rebuilt.laps] == [
        (lap.start, lap.end) for lap in original.laps
    ]


def test_summary_from_the_stream_equals_the_summary_from_the_file(tmp_path: Path) -> None:
    settings = Settings(hr_max_bpm=185)
    for source in SMALL:
        original = read(source)[0]
        path = streams.write_stream(tmp_path / f"{original.activity_id}.parquet", original)
        again = analyse(streams.read_activity(path), settings).to_json()
        first = analyse(original, settings).to_json()
        # the device summary is stored as JSON: timestamps come back as ISO text
        again.pop("device_summary")
        first.pop("device_summary")
        assert again == first, source.name


def test_streams_read_as_one_dataset(tmp_path: Path) -> None:
    ids = []
    for source in SMALL:
        activity = read(source)[0]
        streams.write_stream(tmp_path / f"{activity.activity_id}.parquet", activity)
        ids.append(activity.activity_id)
        assert pq.read_schema(tmp_path / f"{activity.activity_id}.parquet").remove_metadata() == (
            streams.SCHEMA
        )
    table = ds.dataset(tmp_path, format="parquet").to_table()
    assert sorted(set(table.column("activity_id").to_pylist())) == sorted(ids)
    assert streams.leftover_temp_files(tmp_path) == []
