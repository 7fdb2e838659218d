"""GPX: the streaming lxml parser against gpxpy, side by side in one run.

    .venv/bin/python bench/gpx.py [--runs 5]

Parse only (bytes to the parsed points, the step the two paths differ in) and whole
read (to the canonical frame), per corpus and sample GPX file, medians of ``--runs``.
The last line is ``stream/gpxpy parse speedup: N.Nx; read speedup: M.Mx``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.importers import gpx  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def files() -> list[Path]:
    found = sorted(CORPUS.rglob("*.gpx")) if CORPUS.is_dir() else []
    return found + sorted((ROOT / "sample_data").glob("*.gpx"))


def median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per file and parser")
    args = parser.parse_args()
    totals = {"gpxpy parse": 0.0, "stream parse": 0.0, "gpxpy read": 0.0, "stream read": 0.0}
    print(f"{'file':48s} {'MB':>6s} {'gpxpy':>8s} {'stream':>8s} {'ratio':>6s}  (parse only, s)")
    for path in files():
        data = path.read_bytes()
        name = str(path)
        cases = {
            "gpxpy parse": lambda d=data, n=name: gpx.parse_gpxpy(d, n),
            "stream parse": lambda d=data, n=name: gpx.parse_stream(io.BytesIO(d), n),
            "gpxpy read": lambda d=data, n=name: gpx.read_bytes(d, n, parser="gpxpy"),
            "stream read": lambda d=data, n=name: gpx.read_bytes(d, n, parser="stream"),
        }
        got = {k: median_s(fn, args.runs) for k, fn in cases.items()}
        for key, value in got.items():
            totals[key] += value
        ratio = got["gpxpy parse"] / got["stream parse"]
        rel = path.relative_to(CORPUS) if path.is_relative_to(CORPUS) else path.relative_to(ROOT)
        print(
            f"{str(rel)[:48]:48s} {len(data) / 1e6:6.2f} {got['gpxpy parse']:8.3f} "
            f"{got['stream parse']:8.3f} {ratio:5.1f}x"
        )
    parse = totals["gpxpy parse"] / totals["stream parse"]
    read = totals["gpxpy read"] / totals["stream read"]
    print(
        f"\nall files, medians summed: parse gpxpy {totals['gpxpy parse']:.2f} s, "
        f"stream {totals['stream parse']:.2f} s; read gpxpy {totals['gpxpy read']:.2f} s, "
        f"stream {totals['stream read']:.2f} s"
    )
    print(f"stream/gpxpy parse speedup: {parse:.1f}x; read speedup: {read:.1f}x")


if __name__ == "__main__":
    main()
