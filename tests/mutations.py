"""Structured mutations of activity files, shared by the fuzz test and ``bench/fuzz.py``.

Each mutation is a pure function of (data, rng) -> bytes, so a failing case is
reproduced from its seed file, mutation name and random seed alone.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Callable

Mutation = Callable[[bytes, random.Random], bytes]


def bit_flips(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    """Cut at a random point, often at a boundary (a FIT message header or an XML tag)."""
    if rng.random() < 0.5:
        marks = [i for i in range(len(data)) if data[i] in (0x40, 0x41, ord("<"))]
        if marks:
            return data[: rng.choice(marks)]
    return data[: rng.randrange(len(data))]


def insert_bytes(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data) + 1)
    junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return data[:i] + junk + data[i:]


def delete_bytes(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, 64) :]


def swap_chunks(data: bytes, rng: random.Random) -> bytes:
    """Swap two chunks: for FIT this moves messages before their definitions."""
    n = len(data)
    size = rng.randint(1, max(1, n // 20))
    a, b = sorted(rng.randrange(max(1, n - size)) for _ in range(2))
    if b < a + size:
        return data
    return (
        data[:a] + data[b : b + size] + data[a + size : b] + data[a : a + size] + data[b + size :]
    )


def corrupt_definition(data: bytes, rng: random.Random) -> bytes:
    """Change a field size or base type inside a FIT definition message."""
    out = bytearray(data)
    starts = [i for i in range(14, len(out) - 8) if out[i] & 0xF0 == 0x40 and out[i + 1] == 0]
    if not starts:
        return bit_flips(data, rng)
    i = rng.choice(starts)
    fields = out[i + 5]
    if fields == 0 or i + 6 + 3 * fields > len(out):
        out[i + 5] = rng.randrange(256)
        return bytes(out)
    j = i + 6 + 3 * rng.randrange(fields)
    out[j + rng.choice((1, 2))] = rng.randrange(256)
    return bytes(out)


def oversize_fields(data: bytes, rng: random.Random) -> bytes:
    """Claim a huge size: the FIT header's data size, or a definition's field count."""
    out = bytearray(data)
    if len(out) >= 12 and out[8:12] == b".FIT":
        struct.pack_into("<I", out, 4, rng.choice((0xFFFFFFFF, 0x7FFFFFFF, len(out) * 1000)))
        return bytes(out)
    return corrupt_definition(data, rng) if rng.random() < 0.5 else insert_bytes(data, rng)


MUTATIONS: dict[str, Mutation] = {
    "bit_flips": bit_flips,
    "truncate": truncate,
    "insert_bytes": insert_bytes,
    "delete_bytes": delete_bytes,
    "swap_chunks": swap_chunks,
    "corrupt_definition": corrupt_definition,
    "oversize_fields": oversize_fields,
}


def mutate(data: bytes, name: str, seed: int) -> bytes:
    rng = random.Random(seed)
    if not data:
        return data
    return MUTATIONS[name](data, rng)
