"""Repair a FIT file whose definitions declare a field size that does not fit its type.

Some devices (the COROS PACE 2 in the corpus) declare, say, a 1-byte field of type
uint32. The FIT SDK reads such a field as raw bytes; fitparse refuses the whole rest of
the file. The repair re-types those fields as ``byte`` (their value is then invalid,
which is what a misaligned value is) and rewrites the file CRCs, so every decoder reads
the full file the same way. Nothing else changes; the caller adds a warning.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

from fitparse.records import BASE_TYPES

BYTE_TYPE = 0x0D
HEADER_SIZES = (12, 14)


class Realigned(NamedTuple):
    data: bytes
    fields: int  # how many field definitions were re-typed


class _Damaged(Exception):
    """The walk met something it cannot follow: leave the file to the normal readers."""


def _base_size(base_type: int) -> int:
    base = BASE_TYPES.get(base_type)
    return base.size if base is not None else 1


def _definition(buf: bytearray, pos: int, developer: bool) -> tuple[int, int, int]:
    """Re-type misaligned fields of the definition at ``pos`` (after its header byte).

    Returns (position after it, data message size, fields re-typed)."""
    if pos + 5 > len(buf):
        raise _Damaged
    count = buf[pos + 4]
    p, size, fixed = pos + 5, 0, 0
    for _ in range(count):
        if p + 3 > len(buf):
            raise _Damaged
        field_size, base_type = buf[p + 1], buf[p + 2]
        if field_size % _base_size(base_type):
            buf[p + 2] = BYTE_TYPE
            fixed += 1
        size += field_size
        p += 3
    if developer:
        if p + 1 > len(buf):
            raise _Damaged
        dev_count = buf[p]
        p += 1
        for _ in range(dev_count):
            if p + 3 > len(buf):
                raise _Damaged
            size += buf[p + 1]
            p += 3
    return p, size, fixed


def _walk_chunk(buf: bytearray, start: int) -> tuple[int, int]:
    """Walk one FIT file of a chain from its header; (end incl. CRC, fields re-typed)."""
    header_size = buf[start]
    if header_size not in HEADER_SIZES or buf[start + 8 : start + 12] != b".FIT":
        raise _Damaged
    (data_size,) = struct.unpack_from("<I", buf, start + 4)
    pos, end = start + header_size, start + header_size + data_size
    if end + 2 > len(buf):
        raise _Damaged
    sizes: dict[int, int] = {}
    fixed = 0
    while pos < end:
        header = buf[pos]
        pos += 1
        if header & 0x80:  # compressed timestamp: a data message of local type bits 5-6
            local, is_definition = (header >> 5) & 0x3, False
        else:
            local, is_definition = header & 0xF, bool(header & 0x40)
        if is_definition:
            pos, sizes[local], n = _definition(buf, pos, bool(header & 0x20))
            fixed += n
        elif local in sizes:
            pos += sizes[local]
        else:
            raise _Damaged
    if pos != end:
        raise _Damaged
    from analyzer.importers.fit_fast import crc16

    struct.pack_into("<H", buf, end, crc16(bytes(buf[start:end])))
    return end + 2, fixed


def realign(data: bytes) -> Realigned | None:
    """The repaired file, or None where nothing was misaligned or the walk failed."""
    buf = bytearray(data)
    pos, fixed = 0, 0
    try:
        while pos < len(buf):
            pos, n = _walk_chunk(buf, pos)
            fixed += n
    except (_Damaged, IndexError, struct.error):
        return None
    return Realigned(bytes(buf), fixed) if fixed else None
