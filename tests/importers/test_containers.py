"""Folders, .gz and .zip (nested too) flatten to the activity files inside."""

import gzip
import io
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analyzer.importers import read, read_bytes
from analyzer.importers.containers import Limits, expand
from tests.conftest import DATA

SMALL_FIT = DATA / "sport-activities-features/fit_format_test_File.FIT"
SMALL_TCX = DATA / "runpandas/run_garmin.tcx"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_gz_reads_like_the_plain_file(tmp_path: Path) -> None:
    gz = tmp_path / "run.fit.gz"
    gz.write_bytes(gzip.compress(SMALL_FIT.read_bytes()))
    [plain] = read(SMALL_FIT)
    [packed] = read(gz)
    pd.testing.assert_frame_equal(plain.frame, packed.frame)


def test_nested_zip_as_in_bulk_exports(tmp_path: Path) -> None:
    inner = _zip({"activities/run.tcx": SMALL_TCX.read_bytes(), "readme.txt": b"x"})
    outer = _zip(
        {"export/inner.zip": inner, "export/a.fit.gz": gzip.compress(SMALL_FIT.read_bytes())}
    )
    path = tmp_path / "export.zip"
    path.write_bytes(outer)
    entries = list(expand(path))
    names = sorted(e.name for e in entries)
    assert names == [f"{path}!export/a.fit.gz", f"{path}!export/inner.zip!activities/run.tcx"]
    for entry in entries:
        assert entry.error is None
        assert read_bytes(entry.data(), entry.name)


def test_unsafe_zip_names_are_skipped_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    path.write_bytes(_zip({"../evil.fit": b"x", "/abs.fit": b"y"}))
    entries = list(expand(path))
    assert len(entries) == 2
    # skipped with a warning (issue 8), not failures: nothing is ever extracted to disk
    assert all(e.error is None and e.skipped and "'..'" in e.skipped for e in entries)


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(_zip({"big.gpx": b"\0" * (4 * 1024 * 1024)}))
    [entry] = list(expand(path, Limits(max_ratio=50)))
    assert entry.error is not None
    assert "bomb" in str(entry.error)


def test_folders_walk_recursively_and_survive_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "run.fit").write_bytes(SMALL_FIT.read_bytes())
    (tmp_path / "a" / "notes.txt").write_text("not an activity")
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "loop")
    entries = list(expand(tmp_path))
    assert [Path(e.name).name for e in entries if e.skipped is None] == ["run.fit"]
    assert [Path(e.name).name for e in entries if e.skipped] == ["loop"]  # a warning


def test_a_folder_named_like_a_file_gives_a_message(tmp_path: Path) -> None:
    odd = tmp_path / "x.fit"
    odd.mkdir()
    [entry] = list(expand(odd))  # no activity inside, but a message naming it
    assert entry.skipped
    assert "a folder, not a file" in entry.skipped
    entries = list(expand(tmp_path / "missing.fit"))
    assert entries[0].error is not None
    assert "no such file" in str(entries[0].error)


def test_a_file_of_unknown_type_names_what_is_read(tmp_path: Path) -> None:
    from analyzer.errors import AnalyzerError

    notes = tmp_path / "readme.txt"
    notes.write_text("not an activity")
    with pytest.raises(AnalyzerError) as info:
        read(notes)
    assert str(info.value) == (
        f"{notes}: unknown file type; expected .fit, .gpx or .tcx (also zipped or gzipped)"
    )
