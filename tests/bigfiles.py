"""Large synthetic GPX files, written in blocks so the writer itself stays small.

Shared by the hardening test (tens of MB) and ``bench/huge.py`` (200 MB).
"""

from __future__ import annotations

from pathlib import Path

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<gpx version="1.1" creator="analyzer big-file generator"'
    b' xmlns="http://www.topografix.com/GPX/1/1"'
    b' xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
    b"<trk><name>long</name><type>running</type><trkseg>\n"
)
TAIL = b"</trkseg></trk></gpx>\n"

#: Python source for a measuring subprocess: resident size, its high-water mark since the
#: last ``reset()`` (lxml's C memory included), and the reset itself (Linux /proc).
MEMORY_PROBE = """
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096

def peak():  # the resident high-water mark since the last reset
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024

def reset():
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
"""


def _points(start: int, count: int) -> bytes:
    """``count`` 1 Hz points from second ``start`` (days roll over within January 2026)."""
    rows = []
    for n in range(start, start + count):
        day, sec = divmod(n, 86400)
        hh, rest = divmod(sec, 3600)
        mm, ss = divmod(rest, 60)
        lat = 51.0 + (n % 5000) * 1e-5
        lon = -0.1 + (n // 5000 % 100) * 1e-4
        rows.append(
            f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{10 + n % 300 / 10:.1f}</ele>'
            f"<time>2026-01-{1 + day:02d}T{hh:02d}:{mm:02d}:{ss:02d}Z</time><extensions>"
            f"<ns3:TrackPointExtension><ns3:hr>{120 + n % 40}</ns3:hr><ns3:cad>{80 + n % 5}"
            "</ns3:cad></ns3:TrackPointExtension></extensions></trkpt>\n"
        )
    return "".join(rows).encode()


def write_gpx(path: Path, target_bytes: int, block: int = 5000) -> int:
    """A 1 Hz single-track GPX of about ``target_bytes``; returns its point count."""
    n = 0
    with path.open("wb") as fh:
        fh.write(HEAD)
        size = len(HEAD)
        while size < target_bytes:
            data = _points(n, block)
            fh.write(data)
            size += len(data)
            n += block
        fh.write(TAIL)
    return n
