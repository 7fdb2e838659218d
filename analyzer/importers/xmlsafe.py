"""Refuse XML with DTDs or entity declarations before any parser expands them.

defusedxml stops at the declaration itself, so only the prolog is read: the check costs
the same for a 1 kB and a 200 MB file, and nothing is fetched from disk or network.
"""

from __future__ import annotations

import io

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from analyzer.errors import UnreadableFile


def check(data: bytes, name: str) -> None:
    """Raise UnreadableFile if the document declares a DTD or entities."""
    try:
        for _event, _elem in iterparse(io.BytesIO(data), events=("start",), forbid_dtd=True):
            return  # the root element started: the prolog held no DTD
    except DefusedXmlException as exc:
        raise UnreadableFile(
            name, f"refused: the XML declares a DTD or entities ({type(exc).__name__})"
        ) from exc
    except SyntaxError as exc:  # ParseError
        raise UnreadableFile(name, f"not well-formed XML ({exc})") from exc
