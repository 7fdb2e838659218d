"""The streaming GPX parser must give exactly what the gpxpy path gives."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analyzer.importers import gpx
from tests.conftest import CORPUS, DATA

REPO_SAMPLES = sorted((DATA.parent.parent / "sample_data").glob("*.gpx"))
LOCAL = sorted(DATA.rglob("*.gpx"))


def _corpus_gpx() -> list[Path]:
    return sorted(CORPUS.rglob("*.gpx")) if CORPUS.is_dir() else []


def _assert_same(path: Path) -> None:
    data = path.read_bytes()
    reference = gpx.read_bytes(data, str(path), parser="gpxpy")
    streamed = gpx.read_bytes(data, str(path), parser="stream")
    assert len(reference) == len(streamed)
    for ref, got in zip(reference, streamed, strict=True):
        pd.testing.assert_frame_equal(ref.frame, got.frame, check_exact=True)
        assert (ref.sport, ref.name, ref.device, ref.pauses) == (
            got.sport,
            got.name,
            got.device,
            got.pauses,
        )
        assert ref.warnings == got.warnings


@pytest.mark.parametrize("path", LOCAL + REPO_SAMPLES, ids=lambda p: p.name)
def test_stream_equals_gpxpy_on_local_files(path: Path) -> None:
    _assert_same(path)


@pytest.mark.corpus
def test_stream_equals_gpxpy_on_every_corpus_gpx() -> None:
    files = _corpus_gpx()
    if not files:
        pytest.skip(f"the test corpus is absent ({CORPUS})")
    assert len(files) == 17  # the corpus README: 17 GPX files
    for path in files:
        _assert_same(path)


def test_gpx_without_namespace_streams_too() -> None:
    text = (
        b'<gpx version="1.0" creator="old"><trk><name>n</name><trkseg>'
        b'<trkpt lat="1.0" lon="2.0"><time>2020-01-01T00:00:00Z</time></trkpt>'
        b'<trkpt lat="1.0001" lon="2.0"><time>2020-01-01T00:00:01Z</time></trkpt>'
        b"</trkseg></trk></gpx>"
    )
    [ref] = gpx.read_bytes(text, "old.gpx", parser="gpxpy")
    [got] = gpx.read_bytes(text, "old.gpx", parser="stream")
    pd.testing.assert_frame_equal(ref.frame, got.frame, check_exact=True)
    assert len(got.frame) == 2
