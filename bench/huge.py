"""A 200 MB GPX through the streaming reader and a full import: peak memory and time.

    .venv/bin/python bench/huge.py            # 200 MB, in a temporary folder
    .venv/bin/python bench/huge.py --mb 50 --keep /tmp/huge.gpx

Peak memory is the resident high-water mark (VmHWM, reset just before the file is
touched; lxml's C memory included) above what the process held then; each stage runs in
a fresh process so one stage's peak does not hide the next.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bigfiles import MEMORY_PROBE, write_gpx  # noqa: E402

STAGE = (
    """
import json, sys, time
from pathlib import Path

"""
    + MEMORY_PROBE
    + """

stage, path, data = sys.argv[1], sys.argv[2], sys.argv[3]
from analyzer import importers, pipeline
from analyzer.importers import gpx
from analyzer.store import Store
importers.read_path(sys.argv[4])  # warm up lazy imports
reset()
base = rss()
t = time.perf_counter()
if stage == "parse":
    with open(path, "rb") as fh:
        gpx.parse_stream(fh, "huge.gpx")
elif stage == "read":
    importers.read_path(path)
else:
    with Store.open(data) as store:
        report = pipeline.import_paths([path], store)
        assert report.counts()["imported"] == 1, report.to_json()
print(json.dumps({"peak_mb": (peak() - base) / 1e6, "s": time.perf_counter() - t}))
"""
)

SMALL = Path(__file__).resolve().parent.parent / "tests/data/runpandas/strava_export.gpx"


def stage(name: str, path: Path, data: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", STAGE, name, str(path), str(data), str(SMALL)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200.0, help="file size in MB (1e6 bytes)")
    parser.add_argument("--keep", type=Path, default=None, help="write the GPX here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "huge.gpx"
        t = time.perf_counter()
        points = write_gpx(path, int(args.mb * 1e6))
        size = path.stat().st_size / 1e6
        print(f"wrote {path}: {size:.0f} MB, {points} points in {time.perf_counter() - t:.1f} s")
        for name, what in (
            ("parse", "streaming parse (lxml iterparse -> point columns)"),
            ("read", "read: parse + per-second frame"),
            ("import", "import: read, analyse, store (Parquet + catalog)"),
        ):
            got = stage(name, path, Path(tmp) / "data")
            print(
                f"{what:52s} peak +{got['peak_mb']:7.0f} MB "
                f"({got['peak_mb'] / size:4.0%} of the file)  {got['s']:6.1f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
