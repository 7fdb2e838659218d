"""Refuse XML with DTDs or entity declarations before any parser expands them, and say
where a document that is not well-formed breaks.

defusedxml stops at the declaration itself, so only the prolog is read: the check costs
the same for a 1 kB and a 200 MB file, and nothing is fetched from disk or network.

A document fed in chunks (:class:`Feed`) tells a file cut off (an interrupted download:
every byte parses, the document just ends) from one damaged inside it: libxml2's push
parser never fails on a prefix of a well-formed document, so a cut only shows when the
parser is closed. Messages give the line, never the parser's own words.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from lxml import etree

from analyzer.errors import UnreadableFile
from analyzer.importers.damage import Damage

#: expat's errors that only the end of the data raises: no element, unclosed token,
#: partial character
EXPAT_AT_END = frozenset({3, 5, 6})
CHUNK = 64 * 1024  # bytes fed to the parser at a time


@dataclass(frozen=True)
class Break:
    """Where a document stops being well-formed. ``cut``: it is merely cut short."""

    line: int | None
    cut: bool

    def problem(self, kind: str) -> str:
        """``the GPX file is cut off at line 12`` or ``... is damaged at line 12 (...)``."""
        where = f" at line {self.line}" if self.line else ""
        if self.cut:
            return f"the {kind} file is cut off{where}"
        return f"the {kind} file is damaged{where} (not well-formed XML)"


def line_of(exc: SyntaxError) -> int | None:
    """The line of a parse error (lxml or ElementTree), None where the parser gave none."""
    position = getattr(exc, "position", None)
    line = position[0] if position else exc.lineno
    return line if isinstance(line, int) and line > 0 else None


def check(data: bytes | IO[bytes], name: str) -> None:
    """Raise UnreadableFile if the document declares a DTD or entities.

    ``data``: the bytes, or an open binary file (read only up to the root element).
    """
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        for _event, _elem in iterparse(source, events=("start",), forbid_dtd=True):
            return  # the root element started: the prolog held no DTD
    except DefusedXmlException as exc:
        raise UnreadableFile(
            name, f"refused: the XML declares a DTD or entities ({type(exc).__name__})"
        ) from exc
    except SyntaxError as exc:  # ParseError
        broke = Break(line_of(exc), cut=getattr(exc, "code", None) in EXPAT_AT_END)
        problem = f"{broke.problem('XML')}, before its first element"
        raise UnreadableFile(name, problem if broke.cut else not_well_formed(broke)) from exc


def not_well_formed(broke: Break) -> str:
    return f"not well-formed XML{f' at line {broke.line}' if broke.line else ''}"


class Feed:
    """The events of a document fed to ``parser`` (an ``XMLPullParser``) in chunks.

    Iteration stops at the first error, after every event parsed before it; ``broke``
    then says where. Memory stays with the caller: it frees what it has read.
    """

    def __init__(self, source: IO[bytes], parser: Any) -> None:
        self.source = source
        self.parser = parser
        self.broke: Break | None = None

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        parser, read, closing = self.parser, self.source.read, False
        try:
            while chunk := read(CHUNK):
                parser.feed(chunk)
                yield from parser.read_events()
            closing = True
            parser.close()
        except etree.XMLSyntaxError as exc:
            self.broke = Break(line_of(exc), cut=closing)
        yield from parser.read_events()


def kept_warning(name: str, kind: str, broke: Break, points: int, times_ns: np.ndarray) -> Damage:
    """The warning for a damaged or cut document kept up to its break, in the FIT
    reader's words: ``...; kept the 109 track points read before it (0:18:04, ...)``.

    ``times_ns``: the kept points' times (Unix ns, any order), for the span.
    """
    noun = "track point" if points == 1 else "track points"
    kept = f"kept the {points} {noun} read before it{_span(times_ns)}"
    return Damage(f"{name}: {broke.problem(kind)}; {kept}", broke.problem(kind))


def nothing_kept(name: str, kind: str, broke: Break) -> UnreadableFile:
    """The error for a document that breaks before its first complete track point."""
    if broke.cut:
        return UnreadableFile(name, f"{broke.problem(kind)}, before its first complete track point")
    return UnreadableFile(name, f"not a readable {kind} file ({not_well_formed(broke)})")


def _span(times_ns: np.ndarray) -> str:
    """`` (0:18:04, 2019-07-12 10:00:01 to 10:18:05 UTC)``; empty without times."""
    if times_ns.size == 0:
        return ""
    first = pd.Timestamp(int(times_ns.min()), tz="UTC").floor("s")
    last = pd.Timestamp(int(times_ns.max()), tz="UTC").floor("s")
    seconds = int((last - first).total_seconds())
    hours, rest = divmod(seconds, 3600)
    end = last.strftime("%H:%M:%S" if last.date() == first.date() else "%Y-%m-%d %H:%M:%S")
    return (
        f" ({hours}:{rest // 60:02d}:{rest % 60:02d}, "
        f"{first.strftime('%Y-%m-%d %H:%M:%S')} to {end} UTC)"
    )
