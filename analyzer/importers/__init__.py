"""Importers: one module per format, each with ``read_bytes(data, name) -> list[Activity]``.

Dispatch goes through the explicit :data:`READERS` table keyed by suffix; containers
(``.gz``, ``.zip``, folders) are unpacked by :mod:`analyzer.importers.containers`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from analyzer.errors import UnreadableFile
from analyzer.importers import fit, gpx, tcx
from analyzer.importers.damage import DEFAULT as DAMAGED_DEFAULT
from analyzer.importers.damage import refuse_damaged
from analyzer.schema import Activity

Reader = Callable[[bytes, str], list[Activity]]

READERS: dict[str, Reader] = {
    ".fit": fit.read_bytes,
    ".gpx": gpx.read_bytes,
    ".tcx": tcx.read_bytes,
}


def suffix_of(name: str) -> str:
    """The suffix that picks the reader: ``run.fit.gz`` reads as ``.fit``."""
    from analyzer.importers.containers import inner_suffix

    return inner_suffix(name)


def is_activity_name(name: str) -> bool:
    return suffix_of(name) in READERS


def read_bytes(
    data: bytes, name: str, decoder: str | None = None, damaged: str = DAMAGED_DEFAULT
) -> list[Activity]:
    """Read one activity file's bytes; ``name`` is what messages call it.

    ``decoder`` picks the FIT decoder ("fast" or "fitparse", see :mod:`.fit`);
    ``damaged`` ("warn", "strict", "ignore"): "strict" refuses a damaged file with
    UnreadableFile, the others keep what was read (see :mod:`.damage`).
    """
    reader = READERS.get(suffix_of(name))
    if reader is None:
        *first, last = sorted(READERS)
        raise UnreadableFile(
            name,
            f"unknown file type; expected {', '.join(first)} or {last} (also zipped or gzipped)",
        )
    if not data:
        raise UnreadableFile(name, "the file is empty")
    if reader is fit.read_bytes:
        activities = fit.read_bytes(data, name, decoder)
    else:
        activities = reader(data, name)
    refuse_damaged(activities, name, damaged)
    digest = hashlib.sha256(data).hexdigest()[:20]
    for activity in activities:
        activity.source_hash = digest
    return activities


HASH_CHUNK = 1024 * 1024  # bytes hashed at a time: a huge file is never read whole


def file_digest(path: str | Path, name: str) -> str:
    """The content hash :func:`read_bytes` gives, computed in 1 MB chunks."""
    from analyzer.importers.containers import os_problem

    sha = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(HASH_CHUNK):
                sha.update(block)
    except OSError as exc:
        raise UnreadableFile(name, os_problem(exc)) from exc
    return sha.hexdigest()[:20]


def streams(name: str) -> bool:
    """Whether a plain file of this name is read from an open file rather than whole."""
    return (
        suffix_of(name) == ".gpx"
        and not name.lower().endswith(".gz")
        and os.environ.get(gpx.PARSER_ENV, "stream") == "stream"
    )


def read_path(
    path: str | Path,
    name: str | None = None,
    decoder: str | None = None,
    digest: str | None = None,
    damaged: str = DAMAGED_DEFAULT,
) -> list[Activity]:
    """Read one plain file (not ``.gz``) from disk. A GPX streams from the open file and
    is hashed in chunks; other formats are read whole. ``name`` is what messages call it;
    ``digest``: its :func:`file_digest`, where the caller has it already; ``damaged``
    as for :func:`read_bytes`."""
    from analyzer.importers.containers import display_name, os_problem, read_plain

    name = name or display_name(str(path))
    if not streams(name):
        return read_bytes(read_plain(path, name), name, decoder, damaged)
    digest = digest or file_digest(path, name)
    try:
        with open(path, "rb") as fh:
            if not fh.read(1):
                raise UnreadableFile(name, "the file is empty")
            fh.seek(0)
            activities = gpx.read_file(fh, name)
    except OSError as exc:
        raise UnreadableFile(name, os_problem(exc)) from exc
    refuse_damaged(activities, name, damaged)
    for activity in activities:
        activity.source_hash = digest
    return activities


def read(
    path: str | Path, decoder: str | None = None, damaged: str = DAMAGED_DEFAULT
) -> list[Activity]:
    """Read one file (``.fit``, ``.gpx``, ``.tcx``, or any of them ``.gz``-compressed);
    ``damaged`` as for :func:`read_bytes`."""
    from analyzer.importers import containers

    entries = list(containers.expand(Path(path)))
    activities: list[Activity] = []
    for entry in entries:
        if entry.error is not None:
            raise entry.error
        if entry.skipped is not None:
            continue
        if entry.path is not None:
            activities.extend(read_path(entry.path, entry.name, decoder, damaged=damaged))
        else:
            activities.extend(read_bytes(entry.data(), entry.name, decoder, damaged))
    return activities
