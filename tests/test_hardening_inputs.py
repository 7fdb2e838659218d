"""Huge and odd inputs (issue 8, item 4): a large GPX streams from disk with memory far
below its size; empty files, folders named like files, symlink loops, vanishing files and
non-UTF-8 names each give a message naming the file, never a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from analyzer.cli import cli
from analyzer.importers import containers
from analyzer.pipeline import FileJob, analyse_file
from analyzer.settings import Settings
from analyzer.store import Store
from tests.bigfiles import MEMORY_PROBE, write_gpx
from tests.conftest import DATA, REPO

RUN_FIT = DATA / "sport-activities-features" / "fit_format_test_File.FIT"
RUN_GPX = DATA / "runpandas" / "strava_export.gpx"
HUGE_MB = 30


@pytest.fixture(scope="module")
def huge_gpx(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("huge") / "huge.gpx"
    return path, write_gpx(path, HUGE_MB * 1_000_000)


MEASURE = (
    """
import json, sys
from analyzer import importers
from analyzer.importers import gpx

"""
    + MEMORY_PROBE
    + """

with open(sys.argv[2], "rb") as fh:  # warm up: lazy imports are not the file's cost
    importers.read_path(sys.argv[2])
reset()
base = rss()
with open(sys.argv[1], "rb") as fh:
    raw = gpx.parse_stream(fh, "huge.gpx")
parsed = peak() - base
del raw
reset()
base = rss()
acts = importers.read_path(sys.argv[1])
print(json.dumps({"parse": parsed, "read": peak() - base, "points": len(acts[0].frame),
                  "hash": acts[0].source_hash}))
"""
)


def test_a_large_gpx_streams_with_memory_far_below_its_size(huge_gpx: tuple[Path, int]) -> None:
    path, points = huge_gpx
    size = path.stat().st_size
    # a fresh process; the resident high-water mark counts lxml's C memory too
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(RUN_GPX)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    got = json.loads(out.stdout)
    assert got["points"] == points
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            sha.update(block)
    assert got["hash"] == sha.hexdigest()[:20]
    # the document is never held: parsing costs 64 bytes a point (~30% of this file)
    assert got["parse"] < 0.5 * size, got
    # the per-second frame itself is about half the XML; analysis copies it a few times
    assert got["read"] < 3 * size, got


def test_the_pipeline_reads_a_plain_gpx_by_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def whole(*_a: object) -> bytes:
        raise AssertionError("the GPX was read whole")

    monkeypatch.setattr(Path, "read_bytes", whole)
    result = analyse_file(FileJob(str(RUN_GPX), path=str(RUN_GPX)), Settings())
    monkeypatch.undo()
    assert result.error is None
    assert result.file_hash == hashlib.sha256(RUN_GPX.read_bytes()).hexdigest()[:20]
    [entry] = containers.expand(RUN_GPX)
    assert entry.path == str(RUN_GPX)


def run(data: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "import", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def test_zero_byte_file(tmp_path: Path) -> None:
    for name in ("empty.fit", "empty.gpx", "empty.tcx"):
        (tmp_path / name).write_bytes(b"")
    result = run(tmp_path / "data", "--quiet", str(tmp_path))
    assert result.exit_code == 1
    for name in ("empty.fit", "empty.gpx", "empty.tcx"):
        assert f"{tmp_path / name}: the file is empty" in result.output


def test_a_folder_named_like_a_file(tmp_path: Path) -> None:
    odd = tmp_path / "x.fit"
    odd.mkdir()
    result = run(tmp_path / "data", "--quiet", str(odd))
    assert result.exit_code == 0, "nothing failed"
    assert f"warning: {odd}: a folder, not a file" in result.output
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "y.gpx").mkdir()
    (tmp_path / "inbox" / "run.fit").write_bytes(RUN_FIT.read_bytes())
    result = run(tmp_path / "data", str(tmp_path / "inbox"))
    assert result.exit_code == 0
    assert "y.gpx: a folder, not a file" in result.output


def test_symlink_loops_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    (folder / "week").mkdir(parents=True)
    (folder / "week" / "run.fit").write_bytes(RUN_FIT.read_bytes())
    os.symlink(folder, folder / "week" / "back")  # a folder loop
    os.symlink(folder / "self.fit", folder / "self.fit")  # a file link to itself
    result = run(tmp_path / "data", "--quiet", str(folder))
    assert result.exit_code == 1, "self.fit cannot be read"
    assert "1 imported" in result.output
    assert f"{folder / 'self.fit'}: cannot read (Too many levels of symbolic links)" in (
        result.output
    )
    assert "back: a symlink back to a folder already read; skipped" in result.output
    direct = run(tmp_path / "data", "--quiet", str(folder / "self.fit"))
    assert "a broken symlink or a symlink loop" in direct.output


@pytest.fixture
def vanishing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Files deleted after the listing and before they are read."""
    doomed: list[Path] = []
    listing = containers.expand

    def expand(path: Path, limits: containers.Limits | None = None) -> Iterator[containers.Entry]:
        entries = list(listing(path, limits))
        for victim in doomed:
            victim.unlink()
        return iter(entries)

    monkeypatch.setattr(containers, "expand", expand)
    return doomed


def test_a_file_that_vanishes_mid_import(tmp_path: Path, vanishing: list[Path]) -> None:
    for name, source in (("gone.fit", RUN_FIT), ("gone.gpx", RUN_GPX)):
        (tmp_path / name).write_bytes(source.read_bytes())
        vanishing.append(tmp_path / name)
    result = run(tmp_path / "data", "--quiet", str(tmp_path))
    assert result.exit_code == 1
    for name in ("gone.fit", "gone.gpx"):
        assert f"{tmp_path / name}: the file vanished before it could be read" in result.output


def test_non_utf8_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    raw = os.fsencode(folder)
    with open(raw + b"/run-\xff.fit", "wb") as fh:
        fh.write(RUN_FIT.read_bytes())
    with open(raw + b"/broken-\xfe\xff.gpx", "wb") as fh:
        fh.write(b"<gpx><trk>")
    data = tmp_path / "data"
    result = run(data, str(folder))
    assert result.exit_code == 1, result.output
    assert "run-\\xff.fit" in result.output
    assert "broken-\\xfe\\xff.gpx: " in result.output
    as_json = run(data, "--json", os.fsdecode(raw + b"/run-\xff.fit"))
    assert as_json.exit_code == 0
    assert json.loads(as_json.output)["files"][0]["outcome"] == "present"
    with Store.open(data) as store:
        assert [a.source_path for a in store.activities()] == [f"{folder}/run-\\xff.fit"]
        assert store.integrity_check() == "ok"
