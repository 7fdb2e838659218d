"""The store under faults (issue 8, item 5): SIGKILL at random moments of import, log and
report; a full disk (fault injection, and a real 2 MB tmpfs where mounting is allowed);
``analyzer doctor [--repair]``; ``analyzer backup`` while an import runs."""

from __future__ import annotations

import csv
import errno
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from analyzer.cli import cli
from analyzer.store import Store, catalog, maintenance, streams
from tests.conftest import DATA, REPO

SMALL = [
    DATA / "workoutizer" / "2020-08-31-17-41-11.fit",
    DATA / "sport-activities-features" / "fit_format_test_File.FIT",
    DATA / "runpandas" / "run_garmin.tcx",
]
OTHER = DATA / "python-fitparse" / "activity-small-fenix2-run.fit"
SYMPTOMS = REPO / "sample_data" / "symptoms.csv"
DISK_FULL = "free space and rerun"
WEEK = "2020-W36"  # the week of SMALL[0]: one page, quick to build


def cli_run(data: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--data-dir", str(data), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def state(data: Path) -> dict[str, object]:
    """Everything a failed write must leave as it was."""
    with sqlite3.connect(data / "catalog.sqlite") as conn:
        tables = ("activities", "hills", "imports", "checkins", "heel_drops", "visa_a")
        rows = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    rows["streams"] = sorted(p.name for p in (data / "streams").iterdir())
    return rows


def healthy(data: Path) -> maintenance.DoctorReport:
    """The store opens, passes integrity_check, and every row's stream is there."""
    with Store.open(data) as store:
        assert store.integrity_check() == "ok"
        report = maintenance.doctor(store)
    serious = [f for f in report.findings if f.kind not in ("orphan_stream", "temp_file")]
    assert serious == [], serious
    return report


# --- SIGKILL at random moments ---------------------------------------------------------------


def spawn(data: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "analyzer", "--data-dir", str(data), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def timed(data: Path, *args: str) -> float:
    """Run a command to the end; its duration bounds the random kill moments."""
    start = time.monotonic()
    proc = spawn(data, *args)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    return time.monotonic() - start


def csv_rows(days: int) -> tuple[Path, list[str]]:
    with SYMPTOMS.open(newline="") as fh:
        rows = list(csv.DictReader(fh))[:days]
    return SYMPTOMS, [r["date"] for r in rows]


def test_sigkill_at_random_moments_loses_nothing_reported(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "reports"
    rng = random.Random(8)
    confirmed: set[str] = set()  # check-in dates a command said it saved
    trial = tmp_path / "trial"  # full runs, to time each command
    t_import = timed(trial, "import", "--quiet", *map(str, SMALL), str(OTHER))
    t_log = timed(trial, "log", "--date", "2026-09-01", "--stiffness", "1")
    t_report = timed(trial, "report", "--week", WEEK, "--out", str(tmp_path / "trial-reports"))
    plan = [("import", t_import)] * 4 + [("log", t_log)] * 5 + [("report", t_report)] * 3
    for n, (what, duration) in enumerate(plan):
        args = {
            "import": ("import", "--quiet", *map(str, SMALL), str(OTHER)),
            "log": ("log", "--date", f"2026-09-{n + 1:02d}", "--stiffness", "2")
            if n % 2
            else ("log", "import", "--replace", str(SYMPTOMS)),
            "report": ("report", "--week", WEEK, "--out", str(out)),
        }[what]
        proc = spawn(data, *args)
        time.sleep(rng.uniform(0.1, 1.0) * duration)
        proc.send_signal(signal.SIGKILL)
        said, _ = proc.communicate(timeout=60)
        if "saved" in said:
            confirmed.add(args[2])
        elif "check-ins:" in said:
            confirmed.update(csv_rows(1000)[1])
        healthy(data)
        with Store.open(data) as store:
            assert confirmed <= {c.date.isoformat() for c in store.checkins()}, (n, what)
    # reruns complete; the store is whole
    assert timed(data, "import", "--quiet", *map(str, SMALL), str(OTHER)) > 0
    timed(data, "log", "import", "--replace", str(SYMPTOMS))
    timed(data, "report", "--week", WEEK, "--out", str(out))
    report = healthy(data)
    assert report.findings == []  # the rerun import pruned what the kills left
    assert report.activities == len(SMALL) + 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_mid_import_says_what_is_kept_and_exits_130(tmp_path: Path, jobs: str) -> None:
    data = tmp_path / "data"
    # each file's transaction waits 3 s before it commits: Ctrl-C lands inside the first
    env = {**os.environ, catalog.PAUSE_ENV: "3"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analyzer", "--data-dir", str(data), "import", "--jobs", jobs]
        + [str(p) for p in SMALL],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as a terminal's job is
    )
    deadline = time.monotonic() + 60
    while not list((data / "streams").glob("*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.05)  # the first stream is written: its transaction now waits
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole group, workers too
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Stopped. Every file stored before the stop is kept whole" in err
    assert "Traceback" not in err
    healthy(data)
    assert timed(data, "import", "--quiet", *map(str, SMALL)) > 0
    assert healthy(data).activities == len(SMALL)


# --- a full disk -----------------------------------------------------------------------------


def no_space(*_args: object, **_kw: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def one_run(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    assert cli_run(data, "import", "--quiet", str(SMALL[0])).exit_code == 0
    assert cli_run(data, "log", "--date", "2026-10-01", "--stiffness", "2").exit_code == 0
    return data


def test_disk_full_writing_a_stream(one_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = state(one_run)
    monkeypatch.setattr(streams.os, "fsync", no_space)  # the stream's bytes hit the disk
    result = cli_run(one_run, "import", "--quiet", *map(str, SMALL[1:]))
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: disk full while writing stream ")
    assert line.endswith(DISK_FULL)
    assert state(one_run) == before
    monkeypatch.undo()
    assert cli_run(one_run, "import", "--quiet", *map(str, SMALL[1:])).exit_code == 0


def test_disk_full_in_the_catalog(one_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = state(one_run)

    def full(*_a: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "_insert_activity", full)
    result = cli_run(one_run, "import", "--quiet", str(SMALL[1]))
    assert result.exit_code == 1
    assert f"disk full while writing {one_run / 'catalog.sqlite'}: {DISK_FULL}" in result.output
    assert state(one_run) == before, "the stream written before the row went with it"


def test_disk_full_logging_a_check_in(one_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = state(one_run)

    def full() -> str:  # called inside the check-in's transaction
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(catalog, "_now", full)
    result = cli_run(one_run, "log", "--date", "2026-10-02", "--stiffness", "3")
    assert result.exit_code == 1
    assert result.output.strip().endswith(DISK_FULL)
    assert state(one_run) == before


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB tmpfs, where this process may mount one (root, not in a locked box)."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a size-limited tmpfs needs root; the fault-injection tests cover it")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"mount -t tmpfs not permitted here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\1" * 4096):
            pass
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
    finally:
        os.close(fd)
    return filler


def test_a_real_full_disk(small_disk: Path) -> None:
    data = small_disk / "data"
    assert cli_run(data, "import", "--quiet", str(SMALL[0])).exit_code == 0
    assert cli_run(data, "log", "--date", "2026-10-01", "--stiffness", "2").exit_code == 0
    before = state(data)
    filler = fill(small_disk)
    for args in (("import", "--quiet", str(OTHER)), ("log", "--date", "2026-10-02")):
        result = cli_run(data, *args, *(("--stiffness", "3") if args[0] == "log" else ()))
        assert result.exit_code == 1
        [line] = result.output.strip().splitlines()
        assert line.startswith("Error: disk full while writing ")
        assert line.endswith(DISK_FULL)
    filler.unlink()  # even reading a WAL catalog needs a little space (its -shm file)
    assert state(data) == before
    healthy(data)
    assert cli_run(data, "import", "--quiet", str(OTHER)).exit_code == 0
    assert len(healthy(data).findings) == 0


# --- doctor ----------------------------------------------------------------------------------


def test_doctor_on_a_sound_store(one_run: Path) -> None:
    result = cli_run(one_run, "doctor")
    assert result.exit_code == 0
    assert "ok: the catalog and the streams agree" in result.output


def test_doctor_finds_and_repairs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli_run(data, "import", "--quiet", *map(str, SMALL)).exit_code == 0
    assert cli_run(data, "log", "import", str(SYMPTOMS)).exit_code == 0
    checkins = state(data)["checkins"]
    with Store.open(data) as store:
        gone, damaged, kept = store.activity_ids()
        store.stream_path(gone).unlink()
        store.stream_path(damaged).write_bytes(b"PAR1 not really")
        shutil.copy(store.stream_path(kept), store.streams_dir / "stray.parquet")
        (store.streams_dir / ".x.123.abcd.tmp").write_bytes(b"half")
        hills = store.conn.execute("SELECT count(*) FROM hills").fetchone()[0]
        store.conn.execute("PRAGMA foreign_keys = OFF")
        store.conn.execute(
            "INSERT INTO hills (activity_id, idx, data_json) VALUES ('nobody', 0, '{}')"
        )
    found = cli_run(data, "doctor")
    assert found.exit_code == 1
    text = found.output
    assert f"activity {gone}: its stream is missing; get it back with: analyzer import" in text
    assert f"activity {damaged}: its stream is unreadable" in text
    assert "stray.parquet: no activity refers to it" in text
    assert ".x.123.abcd.tmp: left by a crash" in text
    assert "points at a missing activities row" in text
    fixed = cli_run(data, "doctor", "--repair")
    assert fixed.exit_code == 0, fixed.output
    assert fixed.output.count("repaired: ") == 5
    assert state(data)["checkins"] == checkins, "symptom entries are never touched"
    assert cli_run(data, "doctor").exit_code == 0
    again = cli_run(data, "import", "--quiet", *map(str, SMALL))
    assert "2 imported" in again.output
    with Store.open(data) as store:
        assert store.conn.execute("SELECT count(*) FROM hills").fetchone()[0] == hills


# --- backup ----------------------------------------------------------------------------------


def restored(backup: Path, into: Path) -> maintenance.DoctorReport:
    with zipfile.ZipFile(backup) as zf:
        assert zf.testzip() is None
        zf.extractall(into)  # our own archive, into an empty folder
    return healthy(into)


def test_backup_while_an_import_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli_run(data, "log", "import", str(SYMPTOMS)).exit_code == 0
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(12):  # distinct content, distinct activities
        for source in SMALL:
            copy = folder / f"{n}-{source.name}"
            copy.write_bytes(source.read_bytes() + (b"" if source.suffix != ".tcx" else b" " * n))
    proc = spawn(data, "import", "--quiet", str(folder), str(OTHER))
    sizes = []
    try:
        for n in range(4):
            target = tmp_path / f"b{n}.zip"
            result = cli_run(data, "backup", str(target))
            assert result.exit_code == 0, result.output
            report = restored(target, tmp_path / f"r{n}")
            sizes.append(report.activities)
            assert report.streams == report.activities
            with Store.open(tmp_path / f"r{n}") as copy:
                assert len(copy.checkins()) == 42
            time.sleep(0.3)
    finally:
        proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert sizes == sorted(sizes)
    final = tmp_path / "final.zip"
    assert cli_run(data, "backup", str(final)).exit_code == 0
    assert cli_run(data, "backup", str(final)).exit_code == 1  # exists: --force to overwrite
    assert cli_run(data, "backup", "--force", str(final)).exit_code == 0
    assert restored(final, tmp_path / "final").activities == healthy(data).activities
    manifest = zipfile.ZipFile(final).read("MANIFEST.json").decode()
    assert '"checkins": 42' in manifest


def test_backup_refuses_a_full_disk(one_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipfile.ZipFile, "writestr", no_space)
    result = cli_run(one_run, "backup", str(one_run.parent / "b.zip"))
    assert result.exit_code == 1
    assert f"disk full while writing backup {one_run.parent / 'b.zip'}" in result.output
    assert not (one_run.parent / "b.zip").exists()
    assert list(one_run.glob(".backup-*")) == []
    assert list(one_run.parent.glob(".b.zip*")) == []


def test_commands_have_help_and_examples() -> None:
    for name in ("doctor", "backup"):
        text = CliRunner().invoke(cli, [name, "--help"]).output
        assert "Example:" in text
    assert "--repair" in CliRunner().invoke(cli, ["doctor", "--help"]).output
