"""Files, folders, ``.gz`` and ``.zip`` (nested too) flattened into activity entries.

Archives are read in memory, never extracted to disk, so no entry name can write
anywhere. Unsafe names are skipped with a warning; sizes are capped to refuse bombs.
"""

from __future__ import annotations

import gzip
import io
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from analyzer.errors import AnalyzerError, UnreadableFile

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")


@dataclass(frozen=True)
class Limits:
    """Caps on what an archive may expand to (bytes, and uncompressed/compressed ratio)."""

    max_entry_bytes: int = 512 * 1024 * 1024
    max_total_bytes: int = 4 * 1024 * 1024 * 1024
    max_ratio: float = 200.0
    max_depth: int = 4


@dataclass
class Entry:
    """One activity file found in the input, or the error that stopped reading it."""

    name: str
    loader: Callable[[], bytes] | None = None
    error: AnalyzerError | None = None
    warnings: list[str] = field(default_factory=list)

    def data(self) -> bytes:
        if self.loader is None:
            raise self.error or UnreadableFile(self.name, "nothing to read")
        return self.loader()


def inner_suffix(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return os.path.splitext(lower)[1]


def is_candidate(name: str) -> bool:
    lower = name.lower()
    return inner_suffix(name) in ACTIVITY_SUFFIXES or lower.endswith(".zip")


def expand(path: Path, limits: Limits | None = None) -> Iterator[Entry]:
    """Yield every activity entry under ``path``: a file, a folder, a .gz or a .zip."""
    limits = limits or Limits()
    if path.is_dir():
        yield from _walk(path, limits)
        return
    if not path.exists():
        yield Entry(str(path), error=UnreadableFile(path, "no such file"))
        return
    yield from _expand_file(path, limits)


def _walk(root: Path, limits: Limits) -> Iterator[Entry]:
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:  # a symlink loop: do not walk the same folder twice
            dirnames[:] = []
            continue
        seen.add(key)
        dirnames.sort()
        for name in sorted(filenames):
            if is_candidate(name):
                yield from _expand_file(Path(dirpath) / name, limits)


def _expand_file(path: Path, limits: Limits) -> Iterator[Entry]:
    name = str(path)
    lower = name.lower()
    if path.is_dir():
        yield Entry(name, error=UnreadableFile(path, "is a folder, not a file"))
        return
    if lower.endswith(".zip"):
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Entry(name, error=UnreadableFile(path, f"cannot read ({exc.strerror})"))
            return
        yield from _zip_entries(data, name, limits, depth=1)
        return
    yield Entry(_display_name(name), loader=lambda: _load_plain(path, limits))


def _display_name(name: str) -> str:
    return name


def _load_plain(path: Path, limits: Limits) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableFile(path, "the file vanished before it could be read") from exc
    except OSError as exc:
        raise UnreadableFile(path, f"cannot read ({exc.strerror})") from exc
    if str(path).lower().endswith(".gz"):
        return gunzip(data, str(path), limits)
    return data


def gunzip(data: bytes, name: str, limits: Limits) -> bytes:
    """Decompress with a cap: a gzip bomb stops at the limit instead of filling memory."""
    cap = min(limits.max_entry_bytes, int(max(len(data), 1) * limits.max_ratio) + 1024 * 1024)
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(cap + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise UnreadableFile(name, f"damaged gzip data ({exc})") from exc
    if len(out) > cap:
        raise UnreadableFile(
            name, f"expands beyond {cap} bytes: refused as a possible decompression bomb"
        )
    return out


def safe_member_name(name: str) -> bool:
    p = PurePosixPath(name.replace("\\", "/"))
    return not (p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]))


def _zip_entries(data: bytes, name: str, limits: Limits, depth: int) -> Iterator[Entry]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Entry(name, error=UnreadableFile(name, f"not a readable zip archive ({exc})"))
        return
    total = 0
    for info in infos:
        inner = f"{name}!{info.filename}"
        if info.is_dir() or not is_candidate(info.filename):
            continue
        if not safe_member_name(info.filename):
            yield Entry(inner, error=UnreadableFile(inner, "unsafe path in archive: skipped"))
            continue
        problem = _zip_limit_problem(info, total, limits)
        if problem:
            yield Entry(inner, error=UnreadableFile(inner, problem))
            continue
        total += info.file_size
        yield from _zip_member(archive, info, inner, limits, depth)


def _zip_limit_problem(info: zipfile.ZipInfo, total: int, limits: Limits) -> str | None:
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.max_entry_bytes or total + info.file_size > limits.max_total_bytes:
        return "uncompressed size over the limit: refused as a possible zip bomb"
    if ratio > limits.max_ratio and info.file_size > 1024 * 1024:
        return f"compression ratio {ratio:.0f}:1 over the limit: refused as a possible zip bomb"
    return None


def _zip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, inner: str, limits: Limits, depth: int
) -> Iterator[Entry]:
    def load() -> bytes:
        try:
            with archive.open(info) as fh:
                out = fh.read(limits.max_entry_bytes + 1)
        except (zipfile.BadZipFile, OSError, zlib.error, EOFError, RuntimeError) as exc:
            raise UnreadableFile(inner, f"damaged archive entry ({exc})") from exc
        if len(out) > limits.max_entry_bytes:
            raise UnreadableFile(inner, "expands beyond the size limit: refused")
        if inner.lower().endswith(".gz"):
            return gunzip(out, inner, limits)
        return out

    if info.filename.lower().endswith(".zip"):
        if depth >= limits.max_depth:
            yield Entry(inner, error=UnreadableFile(inner, "zip nested too deeply: skipped"))
            return
        try:
            nested = load()
        except UnreadableFile as exc:
            yield Entry(inner, error=exc)
            return
        yield from _zip_entries(nested, inner, limits, depth + 1)
        return
    yield Entry(inner, loader=load)


def activity_name(entry_name: str) -> str:
    """The name whose suffix picks the reader: ``x.fit.gz`` reads as ``x.fit``."""
    return entry_name[:-3] if entry_name.lower().endswith(".gz") else entry_name
