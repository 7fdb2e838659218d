"""Misaligned field definitions are re-typed as bytes so the whole file is read."""

from __future__ import annotations

import io
import struct

import fitparse
import pytest

from analyzer.importers import fit_fast
from analyzer.importers.fit_repair import realign
from tests.conftest import CORPUS, DATA

SMALL = DATA / "sport-activities-features/fit_format_test_File.FIT"


def test_a_sound_file_needs_no_repair() -> None:
    assert realign(SMALL.read_bytes()) is None


def _misalign_first_uint32(data: bytes, skip: int = 0) -> bytes:
    """Declare the first 4-byte uint32 field of a definition as 4 bytes of... uint16z x2?
    No: as a 3-byte uint32 is impossible to keep sizes; instead make a 1-byte enum field
    claim type uint32 (size 1 % 4 != 0), which is what the COROS file does. ``skip``:
    leave the first definitions holding one alone."""
    buf = bytearray(data)
    pos = buf[0]
    end = pos + struct.unpack_from("<I", buf, 4)[0]
    sizes: dict[int, int] = {}
    while pos < end:
        header = buf[pos]
        pos += 1
        local = header & 0xF
        if header & 0x40:
            count = buf[pos + 4]
            p = pos + 5
            for _ in range(count):
                if buf[p + 1] == 1 and buf[p + 2] == 0x00:  # a 1-byte enum
                    if skip == 0:
                        buf[p + 2] = 0x86  # now claims uint32
                        return bytes(buf)
                    skip -= 1
                    break
                p += 3
            p = pos + 5 + 3 * count
            sizes[local] = sum(buf[pos + 5 + 3 * i + 1] for i in range(count))
            pos = p
        else:
            pos += sizes[local]
    raise AssertionError("no 1-byte enum field found")


def test_misaligned_file_is_read_whole_and_crc_rewritten() -> None:
    broken = _misalign_first_uint32(SMALL.read_bytes())
    with pytest.raises(fitparse.FitParseError, match="Invalid field size"):
        list(fitparse.FitFile(io.BytesIO(broken)).get_messages())
    repaired = realign(broken)
    assert repaired is not None
    assert repaired.fields == 1
    messages = list(fitparse.FitFile(io.BytesIO(repaired.data)).get_messages("record"))
    original = list(fitparse.FitFile(str(SMALL)).get_messages("record"))
    assert len(messages) == len(original)
    assert fit_fast.crc16(repaired.data[:-2]) == struct.unpack("<H", repaired.data[-2:])[0]


def test_coros_pace_2_reads_to_its_session_total() -> None:
    path = CORPUS / "python-fitparse/coros-pace-2-cycling-misaligned-fields.fit"
    if not path.is_file():
        pytest.skip(f"the test corpus is absent ({CORPUS})")
    from analyzer.importers import read

    for decoder in ("fast", "fitparse"):
        [activity] = read(path, decoder)
        # fit_sessions.tsv: total_distance 32145.76 m over 12718 s of elapsed time
        assert activity.frame["distance_m"].iloc[-1] == pytest.approx(32145.76, rel=1e-3)
        assert any("raw bytes" in w for w in activity.warnings)
