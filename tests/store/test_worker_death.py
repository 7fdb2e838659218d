"""A worker process that dies (the OOM killer, a segfault) fails its file, not the import.

The per-file function is replaced by one that ends its process with ``os._exit`` for
one file name; forked workers inherit the replacement. The other files must come out
exactly as an import without the dying file gives them, and the store stay whole.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from analyzer import pipeline
from analyzer.cli import cli
from analyzer.errors import AnalyzerError
from analyzer.pipeline import WORKER_DIED, FileJob, FileResult, import_paths
from analyzer.store import Store
from tests.conftest import DATA
from tests.store.conftest import SMALL

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(),
    reason="the replaced per-file function reaches the workers by fork",
)

KILLER = "03z-dies.fit"  # sorts between the 4th and 5th of the others
REAL_ANALYSE_FILE = pipeline.analyse_file
OTHERS = [
    *SMALL,
    DATA / "workoutizer" / "hike_with_coordinates_muggenbrunn.fit",
    DATA / "workoutizer" / "garmin_example.gpx",
    DATA / "runpandas" / "strava_export.gpx",
    DATA / "sport-activities-features" / "walking_activity_1.tcx",
    DATA / "python-fitparse" / "activity-small-fenix2-run.fit",
]


def dying_analyse_file(job: FileJob, *args: Any, **kwargs: Any) -> FileResult:
    """The real per-file function, but the process ends abruptly on :data:`KILLER`."""
    if Path(job.name).name == KILLER:
        os._exit(9)
    return REAL_ANALYSE_FILE(job, *args, **kwargs)


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    """The other files, with a readable run named KILLER in the middle (so some files
    are done, some in flight and some not yet sent when its worker dies)."""
    folder = tmp_path / "in"
    folder.mkdir()
    copies = [folder / f"{n:02d}-{p.name}" for n, p in enumerate(OTHERS)]
    for source, copy in zip(OTHERS, copies, strict=True):
        shutil.copy(source, copy)
    killer = folder / KILLER
    shutil.copy(DATA / "workoutizer" / "run_with_coordinates.fit", killer)
    return [*copies[:4], killer, *copies[4:]]


def _stored(store: Store) -> list[tuple[str, str]]:
    return sorted((a.activity_id, Path(a.source_path).name) for a in store.activities())


def test_the_other_files_import_as_without_the_dying_one(
    tmp_path: Path, files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    others = [f for f in files if f.name != KILLER]
    with Store.open(tmp_path / "control") as control:
        expected = import_paths(others, control, jobs=2)
        expected_rows = _stored(control)
    monkeypatch.setattr(pipeline, "analyse_file", dying_analyse_file)
    with Store.open(tmp_path / "data") as store:
        report = import_paths(files, store, jobs=2)
        (failed,) = report.failed
        assert failed.file.endswith(KILLER)
        assert failed.message == f"{failed.file}: {WORKER_DIED}"
        survivors = [o for o in report.outcomes if o.outcome != "failed"]
        assert [(Path(o.file).name, o.outcome, o.activity_id) for o in survivors] == [
            (Path(o.file).name, o.outcome, o.activity_id) for o in expected.outcomes
        ]
        assert report.count("imported") >= len(others) - 1  # a duplicate pair may be in
        # the store is whole: every row has its stream, no stream lacks its row
        assert store.integrity_check() == "ok"
        assert _stored(store) == expected_rows
        streams = sorted(p.stem for p in store.streams_dir.glob("*.parquet"))
        assert streams == sorted(a for a, _ in expected_rows)
        for activity_id, _ in expected_rows:
            assert len(store.load_activity(activity_id).frame) > 0
        logged = [row for row in store.imports() if str(row.get("file", "")).endswith(KILLER)]
        assert logged, "the failure is in the import log"


def test_the_command_names_the_file_and_exits_1_without_a_traceback(
    tmp_path: Path, files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "analyse_file", dying_analyse_file)
    result = CliRunner().invoke(
        cli, ["--data-dir", str(tmp_path / "data"), "import", "--jobs", "2", str(files[0].parent)]
    )
    assert result.exit_code == 1, result.output
    assert KILLER in result.output
    assert WORKER_DIED in result.output
    assert "Traceback" not in result.output
    assert re.search(r"imported\s+8\b", result.output), result.output
    assert re.search(r"failed\s+1\b", result.output), result.output
    # click's exit, not an exception that escaped the command
    assert isinstance(result.exception, SystemExit), repr(result.exception)


def test_inspect_turns_running_out_of_memory_into_an_error_naming_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_memory(*_args: Any, **_kwargs: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(pipeline, "analyse", no_memory)
    path = SMALL[0]
    with pytest.raises(AnalyzerError, match="ran out of memory") as caught:
        pipeline.inspect_file(path)
    assert str(path) in str(caught.value)
    assert isinstance(caught.value.__cause__, MemoryError)
