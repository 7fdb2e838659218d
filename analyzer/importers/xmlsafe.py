"""Refuse XML with DTDs or entity declarations before any parser expands them.

defusedxml stops at the declaration itself, so only the prolog is read: the check costs
the same for a 1 kB and a 200 MB file, and nothing is fetched from disk or network.
"""

from __future__ import annotations

import io
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from analyzer.errors import UnreadableFile


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
        raise UnreadableFile(name, f"not well-formed XML ({exc})") from exc
