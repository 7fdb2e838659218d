"""Importers: one module per format, each with ``read_bytes(data, name) -> list[Activity]``.

Dispatch goes through the explicit :data:`READERS` table keyed by suffix; containers
(``.gz``, ``.zip``, folders) are unpacked by :mod:`analyzer.importers.containers`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from analyzer.errors import UnreadableFile
from analyzer.importers import fit, gpx, tcx
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


def read_bytes(data: bytes, name: str, decoder: str | None = None) -> list[Activity]:
    """Read one activity file's bytes; ``name`` is what messages call it.

    ``decoder`` picks the FIT decoder ("fast" or "fitparse", see :mod:`.fit`).
    """
    reader = READERS.get(suffix_of(name))
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise UnreadableFile(name, f"unknown file type; expected one of {known}")
    if not data:
        raise UnreadableFile(name, "the file is empty")
    if reader is fit.read_bytes:
        activities = fit.read_bytes(data, name, decoder)
    else:
        activities = reader(data, name)
    digest = hashlib.sha256(data).hexdigest()[:20]
    for activity in activities:
        activity.source_hash = digest
    return activities


def read(path: str | Path, decoder: str | None = None) -> list[Activity]:
    """Read one file (``.fit``, ``.gpx``, ``.tcx``, or any of them ``.gz``-compressed)."""
    from analyzer.importers import containers

    entries = list(containers.expand(Path(path)))
    activities: list[Activity] = []
    for entry in entries:
        if entry.error is not None:
            raise entry.error
        activities.extend(read_bytes(entry.data(), entry.name, decoder))
    return activities
