"""End-to-end import benchmark: a synthetic year of runs through ``analyzer import``.

Generates a year of one-hour 1 Hz runs (250 FIT files by default, garmin-fit-sdk's
Encoder: position, barometric altitude over rolling hills, distance, speed, heart rate,
cadence, power, 1 km laps, a stop at a crossing) and caches them under the temp folder
(or ``--keep DIR``). Then:

- decode only, reusing bench/decode.py: fitparse against the fast path on a subset of the
  year and on the corpus's undamaged FIT files (median of ``--decode-runs``);
- end to end, ``analyzer import`` of the year into an empty store, as a subprocess: wall
  time (median of ``--runs``), CPU time and peak memory, with ``--decoder fitparse
  --jobs 1`` (``--fitparse-runs``, default 1: about a minute each), with ``--jobs 1``
  and with the defaults (fast decoder, all cores), and a re-import of the same files.

    .venv/bin/python bench/import.py
    .venv/bin/python bench/import.py --keep /tmp/year --runs 5
    .venv/bin/python bench/import.py --fitparse-runs 0   # no reference run, no ratio

The last line reads ``fast/fitparse decode speedup: N.Nx; end-to-end speedup: M.Mx``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SEMICIRCLES_PER_DEG = 2**31 / 180.0
YEAR_VERSION = 1  # bump when year_run changes: the cache is keyed by it
SECONDS = 3600
PAGE = os.sysconf("SC_PAGE_SIZE")


def bench_decode() -> ModuleType:
    """bench/decode.py as a module (its timing helpers and decoders)."""
    spec = importlib.util.spec_from_file_location("bench_decode", REPO / "bench" / "decode.py")
    if spec is None or spec.loader is None:
        raise ImportError("bench/decode.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_decode"] = module
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------ the year


@dataclass(frozen=True)
class Track:
    """Per-second arrays of one synthetic run."""

    speed: np.ndarray  # m/s
    distance: np.ndarray  # m
    altitude: np.ndarray  # m
    heart: np.ndarray  # 1/min
    cadence: np.ndarray  # FIT cadence (strides/min)
    lat: np.ndarray  # deg
    lon: np.ndarray  # deg


def hills_m(d: np.ndarray, phase: float) -> np.ndarray:
    """A rolling course: a 2.4 km swell of +-20 m and 600 m bumps of +-4 m (grades to 9%)."""
    return (
        300.0
        + 20.0 * np.sin(2 * np.pi * d / 2400.0 + phase)
        + 4.0 * np.sin(2 * np.pi * d / 600.0 + 2 * phase)
    )


def track(index: int) -> Track:
    """Speed follows the grade (walks on the steepest bits), one stop at a crossing,
    heart rate follows effort with a 30 s lag."""
    rng = np.random.default_rng(1000 + index)
    base = rng.uniform(2.7, 3.4)
    phase = rng.uniform(0, 2 * np.pi)
    grade = np.gradient(hills_m(np.arange(SECONDS) * base, phase)) / base
    speed = np.clip(base * (1 - 4 * grade) + rng.normal(0, 0.05, SECONDS), 0.8, 5.0)
    walking = grade > 0.075
    speed[walking] = 1.4
    stop = int(rng.integers(900, 2700))
    speed[stop : stop + 25] = 0.0
    distance = np.cumsum(speed)
    altitude = np.round((hills_m(distance, phase) + rng.normal(0, 0.15, SECONDS)) * 5) / 5
    effort = 80 + 20 * speed * np.clip(1 + 8 * grade, 0.3, None)
    heart = np.empty(SECONDS)
    heart[0] = 95.0
    for i in range(1, SECONDS):
        heart[i] = heart[i - 1] + (effort[i] - heart[i - 1]) / 30.0
    heart = np.clip(heart + rng.normal(0, 1.0, SECONDS), 60, 195).round()
    cadence = np.where(speed == 0, 0, np.where(walking, 55, 84 + rng.integers(0, 4, SECONDS)))
    heading = np.cumsum(rng.normal(0, 0.03, SECONDS))
    lat = 47.3 + np.cumsum(speed * np.cos(heading)) / 111_320.0
    lon = 8.5 + np.cumsum(speed * np.sin(heading)) / 75_500.0
    return Track(speed, distance, altitude, heart, cadence, lat, lon)


def year_run(index: int) -> bytes:
    """One synthetic one-hour run, day ``index`` of the year, as FIT bytes."""
    from garmin_fit_sdk import Encoder, Profile

    num = Profile["mesg_num"]
    t = track(index)
    start = datetime(2025, 1, 1, 6, 30, tzinfo=UTC) + timedelta(days=index * 365 // 250)
    enc = Encoder()
    enc.on_mesg(
        num["FILE_ID"],
        {
            "type": "activity",
            "manufacturer": "garmin",
            "product": 3113,
            "serial_number": 3_900_000_001,
            "time_created": start,
        },
    )
    enc.on_mesg(num["EVENT"], {"timestamp": start, "event": "timer", "event_type": "start"})
    for i in range(SECONDS):
        enc.on_mesg(
            num["RECORD"],
            {
                "timestamp": start + timedelta(seconds=i),
                "position_lat": int(t.lat[i] * SEMICIRCLES_PER_DEG),
                "position_long": int(t.lon[i] * SEMICIRCLES_PER_DEG),
                "distance": float(t.distance[i]),
                "enhanced_speed": float(t.speed[i]),
                "enhanced_altitude": float(t.altitude[i]),
                "heart_rate": int(t.heart[i]),
                "cadence": int(t.cadence[i]),
                "fractional_cadence": 0.0,
                "power": int(200 + 40 * t.speed[i]),
            },
        )
    end = start + timedelta(seconds=SECONDS - 1)
    enc.on_mesg(num["EVENT"], {"timestamp": end, "event": "timer", "event_type": "stop_all"})
    auto_laps = laps(start, t.distance)
    for lap in auto_laps:
        enc.on_mesg(num["LAP"], lap)
    summary = {
        "timestamp": end,
        "start_time": start,
        "total_elapsed_time": float(SECONDS - 1),
        "total_timer_time": float(SECONDS - 1),
        "total_distance": float(t.distance[-1]),
        "sport": "running",
    }
    enc.on_mesg(num["SESSION"], {**summary, "num_laps": len(auto_laps)})
    enc.on_mesg(
        num["ACTIVITY"],
        {"timestamp": end, "num_sessions": 1, "local_timestamp": end + timedelta(hours=1)},
    )
    return bytes(enc.close())


def laps(start: datetime, distance: np.ndarray) -> list[dict[str, object]]:
    """Auto laps every km, the last one short."""
    marks = [0, *np.searchsorted(distance, np.arange(1000.0, distance[-1], 1000.0)), SECONDS]
    out: list[dict[str, object]] = []
    for a, b in zip(marks[:-1], marks[1:], strict=True):
        b = min(int(b), SECONDS - 1)
        lap_start = start + timedelta(seconds=int(a))
        out.append(
            {
                "timestamp": start + timedelta(seconds=b),
                "start_time": lap_start,
                "total_elapsed_time": float(b - a),
                "total_timer_time": float(b - a),
                "total_distance": float(distance[b] - distance[int(a)]),
            }
        )
    return out


def _write_run(folder: Path, index: int) -> None:
    path = folder / f"run-{index:03d}.fit"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(year_run(index))
    tmp.replace(path)


def year_folder(count: int, keep: Path | None) -> Path:
    """The generated year, made once (in parallel) and reused while complete."""
    folder = keep or Path(tempfile.gettempdir()) / f"analyzer-bench-year-v{YEAR_VERSION}-{count}"
    marker = folder / ".complete"
    if marker.is_file() and marker.read_text() == f"{YEAR_VERSION} {count}":
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    missing = [i for i in range(count) if not (folder / f"run-{i:03d}.fit").is_file()]
    t0 = time.perf_counter()
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_run, [folder] * len(missing), missing))
    print(f"(generated {len(missing)} runs in {folder} in {time.perf_counter() - t0:.1f} s)")
    marker.write_text(f"{YEAR_VERSION} {count}")
    return folder


# ------------------------------------------------------------------------ decode only


def decode_speedup(year: list[Path], corpus: Path | None, runs: int) -> float:
    """fitparse/fast decode ratio: the lower of the year subset's and the corpus's."""
    decode = bench_decode()
    warnings.simplefilter("ignore")
    names = ["fitparse", "fast"]
    sets = [("synthetic year, subset", [(p.name, p.read_bytes()) for p in year])]
    if corpus is not None and corpus.is_dir():
        files, _damaged = decode.corpus_files(corpus)
        sets.append(("corpus, undamaged FIT files", files))
    print(f"\ndecode only (bench/decode.py, median of {runs} runs per file)")
    print(
        f"  {'set':30s} {'files':>5s} {'records':>9s} {'fitparse':>12s} {'fast':>12s} {'ratio':>7s}"
    )
    ratios = []
    for title, files in sets:
        records = decode.record_count(files)
        totals = decode.bench_set(files, names, runs)
        ratio = totals["fitparse"] / totals["fast"]
        ratios.append(ratio)
        rates = [f"{records / totals[n]:>10,.0f}/s" for n in names]
        print(f"  {title:30s} {len(files):5d} {records:9,d} {rates[0]} {rates[1]} {ratio:6.1f}x")
    return min(ratios)


# ------------------------------------------------------------------------ end to end


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float  # user + system, the import and its workers
    rss_mb: float  # largest single process, sampled
    tree_mb: float  # sum over the import and its workers, sampled
    output: str


def tree_rss_bytes(pid: int) -> tuple[int, int]:
    """Resident bytes of ``pid`` and its children (the pool's workers): the largest
    process, and the sum. (``ru_maxrss`` would not do: Linux keeps the high-water mark
    across exec, so a child would inherit this benchmark's own.)"""
    sizes = [0]
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            sizes.append(int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE)
        except (OSError, IndexError, ValueError):
            continue
    return max(sizes), sum(sizes)


def run_import(year: Path, options: Sequence[str], data: Path) -> Run:
    """``analyzer import`` as a subprocess, timed, its memory sampled every 20 ms."""
    cmd = [sys.executable, "-m", "analyzer", "--data-dir", str(data), "import", "--quiet"]
    peak = [0, 0]
    with tempfile.TemporaryFile("w+") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([*cmd, *options, str(year)], cwd=REPO, stdout=out, stderr=out)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.02):
                one, tree = tree_rss_bytes(proc.pid)
                peak[:] = [max(peak[0], one), max(peak[1], tree)]

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().strip()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(options) or 'defaults'}: exit {proc.returncode}\n{text}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, peak[0] / 2**20, peak[1] / 2**20, text)


@dataclass(frozen=True)
class Row:
    label: str
    runs: list[Run]

    @property
    def wall_s(self) -> float:
        return statistics.median(r.wall_s for r in self.runs)

    def line(self, records: int, reference: float | None) -> str:
        cpu = statistics.median(r.cpu_s for r in self.runs)
        rss = max(r.rss_mb for r in self.runs)
        tree = max(r.tree_mb for r in self.runs)
        ratio = f"{reference / self.wall_s:7.1f}x" if reference else "      -"
        return (
            f"  {self.label:34s} {len(self.runs):4d} {self.wall_s:8.2f} {cpu:8.2f} "
            f"{records / self.wall_s:11,.0f} {rss:8.0f} {tree:8.0f} {ratio}"
        )


def measure(
    label: str, year: Path, options: Sequence[str], runs: int, keep_store: Path | None = None
) -> Row:
    """``runs`` imports into a fresh store each (the last one kept in ``keep_store``)."""
    done = []
    for n in range(runs):
        data = Path(tempfile.mkdtemp(prefix="analyzer-bench-store-"))
        run = run_import(year, options, data)
        done.append(run)
        if keep_store is not None and n == runs - 1:
            shutil.rmtree(keep_store, ignore_errors=True)
            shutil.move(str(data), keep_store)
        else:
            shutil.rmtree(data, ignore_errors=True)
        print(f"    {label}: {run.wall_s:.2f} s ({run.output.splitlines()[0]})", flush=True)
    return Row(label, done)


def summaries(data: Path) -> list[tuple[object, ...]]:
    """The stored summaries, without the times they were written."""
    with sqlite3.connect(data / "catalog.sqlite") as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT * FROM activities ORDER BY id").fetchall()
    skip = {"analysed_at", "imported_at"}
    return [tuple(r[k] for k in r.keys() if k not in skip) for r in rows]  # noqa: SIM118


def reimport(year: Path, data: Path) -> Row:
    """The same files again into the store they are in: skipped by content hash."""
    run = run_import(year, [], data)
    print(f"    re-import: {run.wall_s:.2f} s ({run.output.splitlines()[0]})", flush=True)
    return Row("defaults, re-import (all present)", [run])


# ------------------------------------------------------------------------ main


def goal(text: str, value: str, ok: bool | None) -> str:
    verdict = "n/a" if ok is None else ("met" if ok else "NOT met")
    return f"  {text:58s} {value:>14s}  {verdict}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=250, help="one-hour runs in the year")
    parser.add_argument("--keep", type=Path, default=None, help="generate the year here")
    parser.add_argument("--runs", type=int, default=3, help="runs of the fast imports")
    parser.add_argument("--fitparse-runs", type=int, default=1, help="runs of the reference")
    parser.add_argument("--decode-files", type=int, default=12, help="year files decoded")
    parser.add_argument("--decode-runs", type=int, default=3, help="decode runs per file")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus folder ('' skips)")
    args = parser.parse_args()
    year = year_folder(args.files, args.keep)
    files = sorted(year.glob("run-*.fit"))[: args.files]
    records = args.files * SECONDS
    print(f"year: {len(files)} one-hour runs at 1 Hz ({records:,} records) in {year}")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    corpus = args.corpus if str(args.corpus) not in ("", ".") else None
    decode_x = decode_speedup(files[: args.decode_files], corpus, args.decode_runs)

    print("\nend to end: analyzer import of the year into an empty store")
    print(f"  (load average before: {os.getloadavg()[0]:.2f}; other work on the machine slows it)")
    work = Path(tempfile.mkdtemp(prefix="analyzer-bench-"))
    rows: list[Row] = []
    reference: Row | None = None
    try:
        if args.fitparse_runs:
            reference = measure(
                "--decoder fitparse --jobs 1",
                year,
                ["--decoder", "fitparse", "--jobs", "1"],
                args.fitparse_runs,
                work / "fitparse",
            )
            rows.append(reference)
        rows.append(measure("--jobs 1 (fast decoder)", year, ["--jobs", "1"], args.runs))
        defaults = measure(
            f"defaults (fast, --jobs {os.cpu_count()})", year, [], args.runs, work / "fast"
        )
        rows.append(defaults)
        rows.append(reimport(year, work / "fast"))
        same = summaries(work / "fitparse") == summaries(work / "fast") if reference else None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(rows, records, reference, defaults, decode_x, same)


def report(
    rows: list[Row],
    records: int,
    reference: Row | None,
    defaults: Row,
    decode_x: float,
    same: bool | None,
) -> None:
    base = reference.wall_s if reference else None
    print(f"  (load average after: {os.getloadavg()[0]:.2f})")
    print(
        f"\n  {'import':34s} {'runs':>4s} {'wall s':>8s} {'CPU s':>8s} {'records/s':>11s} "
        f"{'RSS MB':>8s} {'tree MB':>8s} {'speedup':>8s}"
    )
    for row in rows:
        print(row.line(records, base))
    print(
        "  (wall: median; RSS: largest process; tree: import + workers; memory sampled every 20 ms)"
    )
    if same is not None:
        print(f"  stored summaries, fitparse vs fast: {'identical' if same else 'DIFFERENT'}")
    e2e = base / defaults.wall_s if base else float("nan")
    peak = max(max(r.rss_mb, r.tree_mb) for r in defaults.runs)
    print("\ngoals")
    print(
        goal(
            "decode speedup over fitparse (lower of the sets)", f"{decode_x:.1f}x", decode_x >= 100
        )
    )
    print(
        goal(
            "end to end, defaults vs fitparse --jobs 1", f"{e2e:.1f}x", e2e >= 20 if base else None
        )
    )
    print(goal("the year, defaults, wall time", f"{defaults.wall_s:.2f} s", defaults.wall_s < 10))
    print(goal("peak memory for the year, defaults", f"{peak:.0f} MB", peak < 1024))
    print(f"\nfast/fitparse decode speedup: {decode_x:.1f}x; end-to-end speedup: {e2e:.1f}x")


if __name__ == "__main__":
    main()
