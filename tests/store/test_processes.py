"""Real processes: two imports at once, and imports killed with SIGKILL mid-way."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from analyzer.store import Store
from analyzer.store.catalog import PAUSE_ENV
from tests.conftest import REPO
from tests.store.conftest import NOT_AN_ACTIVITY, SMALL

FILES = [str(p) for p in SMALL]


def analyzer(data: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "analyzer", "--data-dir", str(data), *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def activity_rows(data: Path) -> list[tuple[str, float]]:
    with sqlite3.connect(data / "catalog.sqlite") as conn:
        return conn.execute("SELECT id, start_epoch_s FROM activities ORDER BY id").fetchall()


def test_two_imports_at_once_give_no_error_and_no_duplicates(tmp_path: Path) -> None:
    data = tmp_path / "data"
    procs = [analyzer(data, "import", "--quiet", *FILES, *reversed(FILES)) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
    rows = activity_rows(data)
    assert len(rows) == len(FILES)
    starts = sorted(start for _, start in rows)
    assert all(b - a > 60 for a, b in zip(starts, starts[1:], strict=False))
    with Store.open(data) as store:
        assert store.integrity_check() == "ok"
        assert len(list(store.streams_dir.glob("*.parquet"))) == len(FILES)
        outcomes = [r["outcome"] for r in store.imports(limit=1000)]
    # every file was seen twice by each process: once imported in all, the rest present
    assert outcomes.count("imported") == len(FILES)
    assert outcomes.count("present") == 3 * len(FILES)


def wait_for_stream(data: Path, timeout_s: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if list((data / "streams").glob("*.parquet")):
            return True
        time.sleep(0.02)
    return False


def test_killed_between_stream_and_commit_then_rerun_completes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = analyzer(data, "import", "--quiet", *FILES, env={PAUSE_ENV: "30"})
    assert wait_for_stream(data), "the import never wrote a stream"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    with Store.open(data) as store:
        assert store.integrity_check() == "ok"
        assert store.activity_ids() == [], "the killed transaction left no row"
        assert len(list(store.streams_dir.glob("*.parquet"))) == 1  # harmless orphan
    rerun = analyzer(data, "import", "--quiet", *FILES)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    with Store.open(data) as store:
        assert len(store.activity_ids()) == len(FILES)
        assert sorted(p.stem for p in store.streams_dir.glob("*.parquet")) == sorted(
            store.activity_ids()
        )
        assert list(store.streams_dir.glob(".*.tmp")) == []


def test_killed_at_random_moments_then_rerun_completes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    files = [*FILES, str(NOT_AN_ACTIVITY)]
    rng = random.Random(4)
    for _ in range(4):
        proc = analyzer(data, "import", "--quiet", *files)
        time.sleep(rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        with Store.open(data) as store:
            assert store.integrity_check() == "ok"
    rerun = analyzer(data, "import", "--quiet", *files)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 1, "the settings file fails, every time"
    assert "not an activity" in err
    with Store.open(data) as store:
        assert store.integrity_check() == "ok"
        assert len(store.activity_ids()) == len(FILES)
        assert sorted(p.stem for p in store.streams_dir.glob("*.parquet")) == sorted(
            store.activity_ids()
        )


# each child imports first, then waits for a common instant, so the opens really collide
OPEN = (
    "import sys, time; from analyzer.store import Store; "
    "time.sleep(max(0.0, float(sys.argv[2]) - time.time())); Store.open(sys.argv[1]).close()"
)


def test_a_new_catalog_opened_by_three_processes_at_once(tmp_path: Path) -> None:
    """The switch to WAL on a brand-new catalog raced: SQLite says "locked" at once there."""
    for n in range(8):
        data = tmp_path / f"data{n}"
        start = str(time.time() + 1.0)
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN, str(data), start],
                cwd=REPO,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        for proc in procs:
            _out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
