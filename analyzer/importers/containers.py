"""Files, folders, ``.gz`` and ``.zip`` (nested too) flattened into activity entries.

Archives are read in memory, never extracted to disk, so no entry name can write
anywhere. Unsafe names are skipped with a warning; sizes are capped to refuse bombs.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
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

    @classmethod
    def from_user(cls, max_unpacked_mb: float | None, max_ratio: float | None) -> Limits:
        """Limits from ``--max-unpacked-mb`` / ``--max-ratio``; None keeps the default."""
        limits = cls()
        if max_unpacked_mb is not None:
            total = int(max_unpacked_mb * 1024 * 1024)
            limits = replace(
                limits, max_total_bytes=total, max_entry_bytes=min(limits.max_entry_bytes, total)
            )
        if max_ratio is not None:
            limits = replace(limits, max_ratio=max_ratio)
        return limits


#: the hint every refusal for size ends with
RAISE_HINT = "if the file is genuine, raise --max-unpacked-mb / --max-ratio"


@dataclass
class _Budget:
    """Uncompressed bytes one top-level archive may still expand to (nested ones included)."""

    left: int


@dataclass
class Entry:
    """One activity file found in the input, or the error that stopped reading it."""

    name: str
    loader: Callable[[], bytes] | None = None
    error: AnalyzerError | None = None
    warnings: list[str] = field(default_factory=list)
    path: str | None = None  # a plain file on disk (not .gz): readers may stream it
    skipped: str | None = None  # nothing to read, only this warning for the summary

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
        yield from _odd_folder(str(path))
        yield from _walk(path, limits)
        return
    if not path.exists():
        name = display_name(str(path))
        why = "a broken symlink or a symlink loop" if path.is_symlink() else "no such file"
        yield Entry(name, error=UnreadableFile(name, why))
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
            yield Entry(
                display_name(dirpath),
                skipped=f"{display_name(dirpath)}: a symlink back to a folder already read; "
                "skipped",
            )
            continue
        seen.add(key)
        dirnames.sort()
        yield from _odd_folders(dirpath, dirnames)
        for name in sorted(filenames):
            if is_candidate(name):
                yield from _expand_file(Path(dirpath) / name, limits)


def _odd_folders(dirpath: str, dirnames: list[str]) -> Iterator[Entry]:
    """A warning for each sub-folder named like an activity file (``x.fit/``)."""
    for sub in dirnames:
        yield from _odd_folder(os.path.join(dirpath, sub))


def _odd_folder(folder: str) -> Iterator[Entry]:
    if inner_suffix(os.path.basename(folder.rstrip(os.sep))) in ACTIVITY_SUFFIXES:
        shown = display_name(folder)
        yield Entry(shown, skipped=f"{shown}: a folder, not a file; searched inside it")


def _expand_file(path: Path, limits: Limits) -> Iterator[Entry]:
    name = display_name(str(path))
    lower = name.lower()
    if path.is_dir():
        yield Entry(name, error=UnreadableFile(name, "is a folder, not a file"))
        return
    if lower.endswith(".zip"):
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Entry(name, error=UnreadableFile(name, os_problem(exc)))
            return
        budget = _Budget(limits.max_total_bytes)
        yield from _zip_entries(data, name, limits, depth=1, budget=budget)
        return
    plain = None if lower.endswith(".gz") else str(path)
    yield Entry(name, loader=lambda: _load_plain(path, limits, name), path=plain)


def outer_file(name: str) -> str:
    """The file on disk an entry's name comes from: ``export.zip`` for
    ``export.zip!activities/run.fit`` (an archive member, nested or not), else ``name``."""
    match = re.match(r"(.+?\.zip)!", name, flags=re.IGNORECASE)
    return match.group(1) if match else name


def display_name(name: str) -> str:
    """``name`` printable and storable: undecodable bytes (non-UTF-8 file names, which
    Python keeps as lone surrogates) are shown as ``\\xff`` escapes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def os_problem(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "the file vanished before it could be read"
    return f"cannot read ({exc.strerror or exc})"


def read_plain(path: str | Path, name: str) -> bytes:
    """The bytes of a plain file; a vanished or unreadable file names itself in the error."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableFile(name, os_problem(exc)) from exc


def _load_plain(path: Path, limits: Limits, name: str | None = None) -> bytes:
    name = name or display_name(str(path))
    data = read_plain(path, name)
    if name.lower().endswith(".gz"):
        return gunzip(data, name, limits)
    return data


def gunzip(data: bytes, name: str, limits: Limits) -> bytes:
    """Decompress with a cap: a gzip bomb stops at the limit instead of filling memory."""
    cap = min(
        limits.max_entry_bytes,
        limits.max_total_bytes,
        int(max(len(data), 1) * limits.max_ratio) + 1024 * 1024,
    )
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(cap + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise UnreadableFile(name, f"damaged gzip data ({exc})") from exc
    if len(out) > cap:
        raise UnreadableFile(
            name,
            f"expands beyond {cap / 1024 / 1024:.1f} MB ({len(data)} bytes compressed): "
            f"refused as a possible decompression bomb; {RAISE_HINT}",
        )
    return out


def safe_member_name(name: str) -> bool:
    p = PurePosixPath(name.replace("\\", "/"))
    return not (p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]))


def _zip_entries(
    data: bytes, name: str, limits: Limits, depth: int, budget: _Budget | None = None
) -> Iterator[Entry]:
    budget = budget if budget is not None else _Budget(limits.max_total_bytes)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Entry(name, error=UnreadableFile(name, f"not a readable zip archive ({exc})"))
        return
    for info in infos:
        inner = display_name(f"{name}!{info.filename}")
        if info.is_dir() or not is_candidate(info.filename):
            continue
        if not safe_member_name(info.filename):
            # never extracted anyway (all reading is in memory); skipped, not a failure
            why = "an absolute path or '..' in the archive entry name: skipped, nothing written"
            yield Entry(inner, skipped=f"{inner}: {why}")
            continue
        problem = _zip_limit_problem(info, budget, limits, outer_file(inner))
        if problem:
            yield Entry(inner, error=UnreadableFile(inner, problem))
            continue
        budget.left -= info.file_size
        yield from _zip_member(archive, info, inner, limits, depth, budget)


def _zip_limit_problem(
    info: zipfile.ZipInfo, budget: _Budget, limits: Limits, archive: str
) -> str | None:
    """Judged on the sizes the archive declares: zipfile never reads past them. Says
    which limit: the file's own size, or the ``archive``'s total (nested zips included),
    which the files read before this one had nearly used up."""
    ratio = info.file_size / max(info.compress_size, 1)
    size = megabytes(info.file_size)
    if info.file_size > limits.max_entry_bytes:
        return (
            f"unpacks to {size}, over the size limit of "
            f"{megabytes(limits.max_entry_bytes)} a file: refused as a possible zip bomb; "
            f"{RAISE_HINT}"
        )
    if info.file_size > budget.left:
        total = limits.max_total_bytes
        return (
            f"the archive {archive} unpacks to more than {megabytes(total)} in all, over "
            f"the size limit: the files before this one came to "
            f"{megabytes(total - budget.left)} and this one is {size}; refused as a "
            f"possible zip bomb; {RAISE_HINT}"
        )
    if ratio > limits.max_ratio and info.file_size > 1024 * 1024:
        return (
            f"compression ratio {ratio:.0f}:1 ({size} unpacked) over the limit of "
            f"{limits.max_ratio:g}:1: refused as a possible zip bomb; {RAISE_HINT}"
        )
    return None


def megabytes(n: int) -> str:
    """``12.0 MB``, ``0.25 MB``: a size as --max-unpacked-mb takes it; a small file is
    ``under 0.01 MB``, never ``0.0 MB``."""
    mb = n / 1024 / 1024
    if mb >= 1:
        return f"{mb:.1f} MB"
    return f"{mb:.2f} MB" if mb >= 0.01 else "under 0.01 MB"


def _zip_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    inner: str,
    limits: Limits,
    depth: int,
    budget: _Budget,
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
        yield from _zip_entries(nested, inner, limits, depth + 1, budget)
        return
    yield Entry(inner, loader=load)


def activity_name(entry_name: str) -> str:
    """The name whose suffix picks the reader: ``x.fit.gz`` reads as ``x.fit``."""
    return entry_name[:-3] if entry_name.lower().endswith(".gz") else entry_name
