"""Fuzz the importers with structured mutations of real files.

    .venv/bin/python bench/fuzz.py --cases 20000 [--jobs 2] [--seed 1]

Every case must end in an import (with warnings where data was dropped) or an
AnalyzerError naming the file: never another exception, never more than a few seconds,
never memory that grows with a size field instead of with the file. Failures are saved
under bench/fuzz-failures/ with the seed that reproduces them.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.errors import AnalyzerError  # noqa: E402
from analyzer.importers import read_bytes  # noqa: E402
from tests.mutations import MUTATIONS, mutate  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
TIME_LIMIT_S = 5
MAX_SEED_BYTES = 600_000  # keep cases quick: the big seeds add time, not coverage


def seeds() -> list[Path]:
    roots = [CORPUS, ROOT / "tests" / "data", ROOT / "sample_data"]
    found: dict[str, Path] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if (
                path.suffix.lower() in (".fit", ".gpx", ".tcx")
                and path.stat().st_size <= MAX_SEED_BYTES
            ):
                found.setdefault(path.name, path)
    return sorted(found.values())


class Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise Timeout


def run_case(case: tuple[str, str, int]) -> tuple[str, str, str, int, str, float, int]:
    """(outcome, seed file, mutation, seed, detail, seconds, peak rss growth kB)."""
    path, mutation, seed = case
    data = mutate(Path(path).read_bytes(), mutation, seed)
    name = f"{path}#{mutation}-{seed}{Path(path).suffix}"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT_S)
    start = time.perf_counter()
    try:
        activities = read_bytes(data, name)
        outcome = "imported with warnings" if any(a.warnings for a in activities) else "imported"
        detail = ""
    except AnalyzerError as exc:
        outcome = "refused: AnalyzerError" if name in str(exc) else "BUG: message without file"
        detail = str(exc)[:200]
    except Timeout:
        outcome, detail = "BUG: timeout", ""
    except Exception:  # the point of fuzzing: anything else is a bug to record
        outcome, detail = "BUG: exception", traceback.format_exc(limit=6)
    finally:
        signal.alarm(0)
    seconds = time.perf_counter() - start
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    return outcome, path, mutation, seed, detail, seconds, growth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = [str(p) for p in seeds()]
    names = sorted(MUTATIONS)
    cases = [
        (files[i % len(files)], names[(i // len(files)) % len(names)], args.seed * 1_000_003 + i)
        for i in range(args.cases)
    ]
    counts: collections.Counter[str] = collections.Counter()
    per_mutation: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    failures = ROOT / "bench" / "fuzz-failures"
    slowest, most_memory = 0.0, 0
    start = time.perf_counter()
    with multiprocessing.Pool(args.jobs, maxtasksperchild=200) as pool:
        for n, result in enumerate(pool.imap_unordered(run_case, cases, chunksize=8), 1):
            outcome, path, mutation, seed, detail, seconds, growth = result
            counts[outcome] += 1
            per_mutation[mutation][outcome] += 1
            slowest, most_memory = max(slowest, seconds), max(most_memory, growth)
            if outcome.startswith("BUG"):
                failures.mkdir(exist_ok=True)
                report = failures / f"{Path(path).name}-{mutation}-{seed}.txt"
                report.write_text(f"{path}\n{mutation}\n{seed}\n{outcome}\n{detail}\n")
            if n % 1000 == 0:
                print(f"  {n}/{len(cases)} cases, {time.perf_counter() - start:.0f} s", flush=True)
    print(
        f"\n{len(cases)} cases over {len(files)} seed files in {time.perf_counter() - start:.0f} s"
    )
    for outcome, count in counts.most_common():
        print(f"  {outcome:28s} {count:7d}")
    print("\nby mutation:")
    for mutation in names:
        row = ", ".join(f"{k}: {v}" for k, v in per_mutation[mutation].most_common())
        print(f"  {mutation:20s} {row}")
    print(
        f"\nslowest case: {slowest:.2f} s; "
        f"largest peak-RSS growth in a worker: {most_memory / 1024:.0f} MB"
    )
    bugs = sum(v for k, v in counts.items() if k.startswith("BUG"))
    print(f"bugs: {bugs}")
    return 1 if bugs else 0


if __name__ == "__main__":
    sys.exit(main())
