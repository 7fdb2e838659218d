"""Decode-only benchmark: FIT bytes to messages, four decoders side by side.

The fitparse path and the fast path both produce ``FitMessages`` (the fast path falls
back to fitparse where it must, and that time counts). fitdecode and garmin-fit-sdk
only decode, as a reference. Each file is decoded by every decoder in turn, ``--runs``
times; a decoder's time is the sum over files of its median per file.

    .venv/bin/python bench/decode.py                  # corpus + 6 synthetic one-hour runs
    .venv/bin/python bench/decode.py --synthetic 250 --runs 1   # a year of runs

The last line reads ``fast/fitparse decode speedup: N.Nx`` (the lower of the two sets).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from analyzer.importers import fit, fit_fast

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SEMICIRCLES_PER_DEG = 2**31 / 180.0

Decoder = Callable[[bytes], object]


def decode_fitparse(data: bytes) -> object:
    return fit.decode_fitparse(data, "bench.fit")


def decode_fast(data: bytes) -> object:
    """The importer's default: fast, or fitparse where the fast path declines."""
    return fit.decode(data, "bench.fit", "fast")


def decode_fitdecode(data: bytes) -> object:
    import fitdecode

    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        return [frame for frame in reader if frame.frame_type == fitdecode.FIT_FRAME_DATA]


def decode_garmin(data: bytes) -> object:
    from garmin_fit_sdk import Decoder as GarminDecoder
    from garmin_fit_sdk import Stream

    messages, _errors = GarminDecoder(Stream.from_byte_array(bytearray(data))).read()
    return messages


DECODERS: dict[str, Decoder] = {
    "fitparse": decode_fitparse,
    "fast": decode_fast,
    "fitdecode": decode_fitdecode,
    "garmin-fit-sdk": decode_garmin,
}


# ------------------------------------------------------------------------ inputs


def synthetic_run(index: int, seconds: int = 3600) -> bytes:
    """A one-hour 1 Hz run with GPS, altitude, heart rate, cadence and power."""
    from garmin_fit_sdk import Encoder, Profile

    num = Profile["mesg_num"]
    rng = np.random.default_rng(index)
    start = datetime(2024, 1, 1, 7, tzinfo=UTC) + timedelta(days=index)
    speed = np.clip(3.0 + np.cumsum(rng.normal(0, 0.02, seconds)), 2.0, 4.5)
    distance = np.cumsum(speed)
    heading = np.cumsum(rng.normal(0, 0.02, seconds))
    lat = 47.0 + np.cumsum(speed * np.cos(heading)) / 111_320.0
    lon = 8.0 + np.cumsum(speed * np.sin(heading)) / 75_900.0
    altitude = 400 + 30 * np.sin(np.arange(seconds) / 600.0)
    heart = np.clip(140 + np.cumsum(rng.normal(0, 0.3, seconds)), 90, 190).round()
    enc = Encoder()
    enc.on_mesg(
        num["FILE_ID"],
        {
            "type": "activity",
            "manufacturer": "garmin",
            "product": 3113,
            "serial_number": 1234567 + index,
            "time_created": start,
        },
    )
    enc.on_mesg(num["EVENT"], {"timestamp": start, "event": "timer", "event_type": "start"})
    for i in range(seconds):
        enc.on_mesg(
            num["RECORD"],
            {
                "timestamp": start + timedelta(seconds=i),
                "position_lat": int(lat[i] * SEMICIRCLES_PER_DEG),
                "position_long": int(lon[i] * SEMICIRCLES_PER_DEG),
                "distance": float(distance[i]),
                "enhanced_speed": float(speed[i]),
                "enhanced_altitude": float(altitude[i]),
                "heart_rate": int(heart[i]),
                "cadence": 85,
                "fractional_cadence": 0.5,
                "power": 250 + i % 20,
            },
        )
    end = start + timedelta(seconds=seconds - 1)
    enc.on_mesg(num["EVENT"], {"timestamp": end, "event": "timer", "event_type": "stop_all"})
    summary = {
        "timestamp": end,
        "start_time": start,
        "total_elapsed_time": float(seconds - 1),
        "total_timer_time": float(seconds - 1),
        "total_distance": float(distance[-1]),
        "sport": "running",
    }
    enc.on_mesg(num["LAP"], summary)
    enc.on_mesg(num["SESSION"], {**summary, "num_laps": 1})
    enc.on_mesg(
        num["ACTIVITY"],
        {"timestamp": end, "num_sessions": 1, "local_timestamp": end + timedelta(hours=1)},
    )
    return bytes(enc.close())


def corpus_files(root: Path) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The corpus's undamaged FIT files, and the damaged ones left out.

    invalid/ is left out whole. A damaged file elsewhere is read by fitparse on both
    paths (the fast path declines it), so it would only measure fitparse against itself.
    """
    paths = sorted(p for p in root.rglob("*") if p.suffix.lower() == ".fit")
    files, damaged = [], []
    for path in paths:
        if "invalid" in path.parts:
            continue
        name, data = str(path.relative_to(root)), path.read_bytes()
        if fit.decode_fitparse(data, name).warnings:
            damaged.append(name)
        else:
            files.append((name, data))
    return files, damaged


# -------------------------------------------------------------------------- timing


def median_time(decoder: Decoder, data: bytes, runs: int, budget_s: float = 0.5) -> float:
    """Median of ``runs`` runs; a slow decoder stops once it has spent ``budget_s``."""
    times: list[float] = []
    while len(times) < runs and (not times or sum(times) < budget_s):
        t0 = time.perf_counter()
        decoder(data)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_set(files: list[tuple[str, bytes]], names: list[str], runs: int) -> dict[str, float]:
    """Seconds per decoder: the sum over files of each file's median."""
    totals = dict.fromkeys(names, 0.0)
    for _name, data in files:
        for decoder in names:
            totals[decoder] += median_time(DECODERS[decoder], data, runs)
    return totals


def record_count(files: list[tuple[str, bytes]]) -> int:
    return sum(len(fit.decode(data, name).records["timestamp"]) for name, data in files)


def build_time(files: list[tuple[str, bytes]], runs: int) -> tuple[float, float]:
    """Seconds for fast decoding and for build_activities, over all files (medians)."""
    decode_s = build_s = 0.0
    for name, data in files:
        msgs = fit.decode(data, name, "fast")
        decode_s += median_time(decode_fast, data, runs)
        try:
            build_s += median_time(
                lambda _d, m=msgs, n=name: fit.build_activities(m, n), data, runs
            )
        except Exception:  # noqa: BLE001 - a file without an activity builds nothing
            continue
    return decode_s, build_s


def report(title: str, files: list[tuple[str, bytes]], names: list[str], runs: int) -> float:
    records = record_count(files)
    print(f"\n{title}: {len(files)} files, {records:,} records, median of {runs} runs per file")
    print("  (a decoder stops early on a file once it has spent 0.5 s on it)")
    totals = bench_set(files, names, runs)
    base = totals.get("fitparse")
    print(f"  {'decoder':16s} {'seconds':>9s} {'records/s':>12s} {'vs fitparse':>12s}")
    for decoder, seconds in totals.items():
        ratio = f"{base / seconds:10.1f}x" if base else "-"
        print(f"  {decoder:16s} {seconds:9.3f} {records / seconds:12,.0f} {ratio:>12s}")
    decode_s, build_s = build_time(files, runs)
    print(
        f"  build_activities after the fast path: {build_s:.3f} s "
        f"({build_s / max(decode_s, 1e-9):.1f}x the fast decode, "
        f"{1000 * build_s / len(files):.1f} ms/file)"
    )
    fallbacks = [name for name, data in files if fit_fast.decode(data) is None]
    if fallbacks:
        print(f"  fell back to fitparse: {', '.join(fallbacks)}")
    return base / totals["fast"] if base and "fast" in totals else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per file and decoder")
    parser.add_argument("--synthetic", type=int, default=6, help="one-hour runs to generate")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus folder")
    parser.add_argument(
        "--decoders",
        default=",".join(DECODERS),
        help=f"comma-separated, from {', '.join(DECODERS)}",
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # fitdecode warns about the corpus's odd definitions
    names = [n for n in args.decoders.split(",") if n]
    fit_fast.decode(synthetic_run(0, 60))  # build the CRC tables before timing
    speedups = []
    if args.corpus.is_dir():
        files, damaged = corpus_files(args.corpus)
        print(f"damaged corpus files left out (fitparse reads them on both paths): {damaged}")
        speedups.append(report("corpus", files, names, args.runs))
    else:
        print(f"corpus absent ({args.corpus}): synthetic runs only")
    if args.synthetic:
        t0 = time.perf_counter()
        runs = [(f"synthetic-{i}.fit", synthetic_run(i)) for i in range(args.synthetic)]
        print(f"\n(generated {len(runs)} synthetic runs in {time.perf_counter() - t0:.1f} s)")
        speedups.append(report("synthetic one-hour runs", runs, names, args.runs))
    print(f"\nlowest of the sets: {', '.join(f'{s:.1f}x' for s in speedups)}")
    print(f"fast/fitparse decode speedup: {min(speedups):.1f}x")


if __name__ == "__main__":
    main()
