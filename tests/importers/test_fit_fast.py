"""The fast FIT decoder against fitparse: identical frames and summaries on every corpus
file, and hand-built files for the cases real files rarely show (compressed timestamps,
big-endian definitions, developer fields, chained files, damage)."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fitparse.processors import FitFileDataProcessor
from fitparse.records import Crc

from analyzer.errors import AnalyzerError
from analyzer.importers import fit, fit_fast
from analyzer.importers.fit import CRC_WARNING, FitMessages

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
DATA = REPO / "tests" / "data"

#: Files the fast path leaves to fitparse, and why. Each is damaged: fitparse itself
#: stops early on them (or reads them without the CRC check) and warns, and only its
#: partial read gives that behaviour. A file missing from here must decode fast.
EXPECTED_FALLBACKS = {
    # a second, broken FIT header after the first file
    "invalid/activity-settings-corruptheader.fit": "no FIT header",
    # a second header announcing data that is not there
    "invalid/activity-settings-nodata.fit": "truncated",
    # the header announces more data than the file holds
    "invalid/activity-unexpected-eof.fit": "truncated",
    # 3 bytes short of its header's data size (fitparse stops earlier, at a data
    # message whose local type was never defined)
    "invalid/strava-android-app-201.10-b1218918.fit": "truncated",
    # cut off in the middle of a message
    "invalid/nick.fit": "past the end",
    # an event field of 1 byte declared as a 2-byte type: fitparse refuses it and stops
    "python-fitparse/coros-pace-2-cycling-misaligned-fields.fit": "size",
}


def fit_files() -> list[tuple[str, Path]]:
    """Every FIT file of the corpus, plus tests/data files that the corpus lacks."""
    found: dict[str, Path] = {}
    for root in (DATA, CORPUS):
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.suffix.lower() == ".fit":
                    found[str(path.relative_to(root))] = path
    return sorted(found.items())


def corpus_or_skip() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the test corpus is absent ({CORPUS}); it lies beside the checkout")


def assert_same_messages(fast: FitMessages, slow: FitMessages) -> None:
    assert list(fast.records) == list(slow.records)
    for name in slow.records:
        np.testing.assert_array_equal(fast.records[name], slow.records[name], err_msg=name)
    for name in ("file_id", "sessions", "laps", "events", "device_infos", "activity"):
        assert getattr(fast, name) == getattr(slow, name), name
    assert fast.warnings == slow.warnings


def build(msgs: FitMessages, name: str) -> Any:
    """The activities, or the error they raise (both paths must agree on either)."""
    try:
        return fit.build_activities(msgs, name)
    except AnalyzerError as exc:
        return exc


# ------------------------------------------------------------------------ corpus


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "path"), fit_files(), ids=[n for n, _ in fit_files()])
def test_fast_and_fitparse_give_identical_activities(name: str, path: Path) -> None:
    data = path.read_bytes()
    result = fit_fast.try_decode(data)
    if result.messages is None:
        assert name in EXPECTED_FALLBACKS, f"{name} fell back: {result.reason}"
        return
    slow = build(fit.decode_fitparse(data, name), name)
    fast = build(result.messages, name)
    if isinstance(slow, AnalyzerError):
        assert type(fast) is type(slow)
        assert str(fast) == str(slow)
        return
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
        assert a.device_summary == b.device_summary
        assert (a.sport, a.sub_sport, a.device, a.utc_offset_s) == (
            b.sport,
            b.sub_sport,
            b.device,
            b.utc_offset_s,
        )
        assert (a.laps, a.pauses, a.warnings) == (b.laps, b.pauses, b.warnings)


@pytest.mark.corpus
def test_only_damaged_files_fall_back() -> None:
    corpus_or_skip()
    fallbacks = {}
    for name, path in fit_files():
        reason = fit_fast.why_not(path.read_bytes())
        if reason is not None:
            fallbacks[name] = reason
    print("\nfell back to fitparse:")
    for name, reason in fallbacks.items():
        print(f"  {name}: {reason}")
    assert set(fallbacks) == set(EXPECTED_FALLBACKS)
    for name, reason in fallbacks.items():
        assert EXPECTED_FALLBACKS[name] in reason, name


@pytest.mark.corpus
def test_corpus_messages_are_identical_too() -> None:
    """Stricter than the frames: every kept message and record value, for a few files."""
    corpus_or_skip()
    for name in ("python-fitparse/developer-types-sample.fit", "sports-lib/7739869618.fit"):
        data = (CORPUS / name).read_bytes()
        fast = fit_fast.decode(data)
        assert fast is not None
        assert_same_messages(fast, fit.decode_fitparse(data, name))


# -------------------------------------------------------------- hand-built files

RECORD, EVENT, FILE_ID, SESSION = 20, 21, 0, 18
UINT8, UINT16, SINT32, UINT32, ENUM = 0x02, 0x84, 0x85, 0x86, 0x00
FIT_EPOCH_2024 = 1388534400  # 2024-01-01 in FIT seconds (since 1989-12-31)


def definition(
    local: int,
    mesg_num: int,
    fields: list[tuple[int, int, int]],
    big: bool = False,
    dev: list[tuple[int, int, int]] | None = None,
) -> bytes:
    header = 0x40 | local | (0x20 if dev is not None else 0)
    out = bytes([header, 0, int(big)]) + struct.pack(">H" if big else "<H", mesg_num)
    out += bytes([len(fields)]) + b"".join(bytes(f) for f in fields)
    if dev is not None:
        out += bytes([len(dev)]) + b"".join(bytes(d) for d in dev)
    return out


def fit_file(body: bytes) -> bytes:
    """A 14-byte header, the messages, and the CRC, computed with fitparse's own Crc."""
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", Crc.calculate(header))
    return header + body + struct.pack("<H", Crc.calculate(header + body))


def activity_file_id() -> bytes:
    return definition(0, FILE_ID, [(0, 1, ENUM)]) + bytes([0, 4])  # type: activity


def record_body(local: int, big: bool, times: list[int]) -> bytes:
    """Records with timestamp, position, heart rate and speed (with its component)."""
    e = ">" if big else "<"
    fields = [(253, 4, UINT32), (0, 4, SINT32), (1, 4, SINT32), (3, 1, UINT8), (6, 2, UINT16)]
    out = definition(local, RECORD, fields, big=big)
    for i, t in enumerate(times):
        hr = 0xFF if i == 2 else 120 + i % 60  # one invalid heart rate
        out += bytes([local]) + struct.pack(e + "IiiBH", t, 560_000_000 + i, 10**8, hr, 3000 + i)
    return out


def both(data: bytes) -> tuple[FitMessages, FitMessages]:
    fast = fit_fast.try_decode(data)
    assert fast.messages is not None, fast.reason
    slow = fit.decode_fitparse(data, "test.fit")
    assert_same_messages(fast.messages, slow)
    return fast.messages, slow


@pytest.mark.parametrize("big", [False, True], ids=["little-endian", "big-endian"])
def test_records_in_either_byte_order(big: bool) -> None:
    times = [FIT_EPOCH_2024 + i for i in range(5)]
    fast, _ = both(fit_file(activity_file_id() + record_body(1, big, times)))
    assert fast.records["heart_rate"][2] != fast.records["heart_rate"][2]  # NaN
    # speed's component fills enhanced_speed, as fitparse does
    np.testing.assert_array_equal(fast.records["enhanced_speed"], fast.records["speed"])


def test_a_long_run_of_records_is_found_whole() -> None:
    times = [FIT_EPOCH_2024 + i for i in range(300)]
    fast, _ = both(fit_file(activity_file_id() + record_body(1, False, times)))
    assert fast.records["timestamp"].size == 300


def test_compressed_timestamps_roll_over() -> None:
    """A full timestamp, then 5-bit offsets that wrap past 31, on records and an event."""
    start = FIT_EPOCH_2024 + 30  # low five bits: 30
    body = activity_file_id() + definition(1, RECORD, [(253, 4, UINT32), (3, 1, UINT8)])
    body += bytes([1]) + struct.pack("<IB", start, 100)
    body += definition(2, RECORD, [(3, 1, UINT8)])
    for step in (1, 3, 6):  # 31, then 33 and 36: offsets 1 and 4 after the wrap
        body += bytes([0x80 | (2 << 5) | ((start + step) & 0x1F), 100 + step])
    body += definition(3, EVENT, [(0, 1, ENUM), (1, 1, ENUM)])
    body += bytes([0x80 | (3 << 5) | ((start + 8) & 0x1F), 0, 4])  # timer stop_all
    fast, _ = both(fit_file(body))
    epoch = fast.records["timestamp"] - fast.records["timestamp"][0]
    np.testing.assert_array_equal(epoch, [0, 1, 3, 6])
    assert len(fast.events) == 1


def test_developer_fields_are_skipped_by_size_or_kept_by_name() -> None:
    """A developer field described in the file; its name becomes a key, as in fitparse."""
    body = activity_file_id()
    body += definition(2, 207, [(3, 1, UINT8)]) + bytes([2, 0])  # developer_data_index 0
    fields = [(0, 1, UINT8), (1, 1, UINT8), (2, 1, UINT8), (3, 8, 0x07)]
    body += definition(3, 206, fields)  # index, field number, base type, name
    body += bytes([3, 0, 5, UINT16]) + b"stride\x00\x00"
    body += definition(4, RECORD, [(253, 4, UINT32), (3, 1, UINT8)], dev=[(5, 2, 0)])
    for i in range(8):
        body += bytes([4]) + struct.pack("<IBH", FIT_EPOCH_2024 + i, 130, 1000 + i)
    body += definition(5, SESSION, [(253, 4, UINT32), (2, 4, UINT32)], dev=[(5, 2, 0)])
    body += bytes([5]) + struct.pack("<IIH", FIT_EPOCH_2024 + 8, FIT_EPOCH_2024, 77)
    fast, _ = both(fit_file(body))
    assert fast.sessions[0]["stride"] == 77


def test_chained_files_are_read_one_after_the_other() -> None:
    first = fit_file(
        activity_file_id() + record_body(0, False, [FIT_EPOCH_2024 + i for i in range(3)])
    )
    second = fit_file(record_body(0, True, [FIT_EPOCH_2024 + 10 + i for i in range(4)]))
    fast, _ = both(first + second)
    assert fast.records["timestamp"].size == 7


def encoder_run(seconds: int) -> bytes:
    """A short run written by Garmin's own SDK encoder, with a developer field."""
    from garmin_fit_sdk import Encoder, Profile

    num = Profile["mesg_num"]
    start = 1_100_000_000  # FIT seconds: 2024-11-09
    developer: Any = {"developer_data_index": 0, "application_id": list(range(16))}
    description: Any = {
        "developer_data_index": 0,
        "field_definition_number": 1,
        "fit_base_type_id": UINT16,
        "field_name": "Form Power",
        "native_mesg_num": RECORD,
    }
    enc = Encoder()
    enc.add_developer_field(0, developer, description)
    enc.on_mesg(num["FILE_ID"], {"type": "activity", "manufacturer": "garmin", "product": 3113})
    enc.on_mesg(num["DEVELOPER_DATA_ID"], developer)
    enc.on_mesg(num["FIELD_DESCRIPTION"], description)
    enc.on_mesg(num["EVENT"], {"timestamp": start, "event": "timer", "event_type": "start"})
    for i in range(seconds):
        record = {"timestamp": start + i, "distance": 3.1 * i, "enhanced_speed": 3.1}
        record |= {"heart_rate": 140 + i % 7, "cadence": 88, "enhanced_altitude": 300.0 + i}
        enc.on_mesg(num["RECORD"], record | {"developer_fields": {0: 60 + i % 5}})
    end = start + seconds - 1
    summary = {"timestamp": end, "start_time": start, "total_elapsed_time": seconds - 1.0}
    enc.on_mesg(num["LAP"], summary)
    enc.on_mesg(num["SESSION"], summary | {"sport": "running", "num_laps": 1})
    enc.on_mesg(num["ACTIVITY"], {"timestamp": end, "local_timestamp": end + 3600})
    return bytes(enc.close())


def test_an_encoder_file_decodes_identically() -> None:
    fast, slow = both(encoder_run(120))
    [a] = fit.build_activities(fast, "run.fit")
    [b] = fit.build_activities(slow, "run.fit")
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    assert a.device_summary == b.device_summary
    assert a.utc_offset_s == 3600


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda d: d[:-5], "truncated"),
        (lambda d: d + b"\x00" * 5, "no FIT header"),
    ],
    ids=["truncated", "trailing bytes"],
)
def test_damage_falls_back_to_fitparse(damage: Any, reason: str) -> None:
    good = fit_file(
        activity_file_id() + record_body(1, False, [FIT_EPOCH_2024, FIT_EPOCH_2024 + 1])
    )
    assert fit_fast.why_not(good) is None
    why = fit_fast.why_not(damage(good))
    assert why is not None
    assert reason in why


def test_a_data_message_before_its_definition_falls_back() -> None:
    body = activity_file_id() + bytes([5, 1, 2, 3])
    assert "before its definition" in (fit_fast.why_not(fit_file(body)) or "")


def test_crc_matches_fitparse() -> None:
    rng = np.random.default_rng(7)
    for size in (0, 1, 2, 3, 255, 4097, 65_537):
        data = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        assert fit_fast.crc16(data) == Crc.calculate(data), size


def test_fitparse_processors_are_only_type_processors() -> None:
    """The fast path applies fitparse's type processors; any other kind would be missed."""
    names = [n for n in dir(FitFileDataProcessor) if n.startswith("process_")]
    assert names
    assert all(n.startswith("process_type_") for n in names)


def test_decoder_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fit_file(activity_file_id() + record_body(1, False, [FIT_EPOCH_2024]))
    calls = []
    real = fit_fast.decode

    def counted(d: bytes) -> FitMessages | None:
        calls.append(1)
        return real(d)

    monkeypatch.setattr(fit_fast, "decode", counted)
    fit.read_bytes(data, "a.fit")
    assert calls == [1]  # fast by default
    monkeypatch.setenv("ANALYZER_FIT_DECODER", "fitparse")
    fit.read_bytes(data, "a.fit")
    assert calls == [1]
    fit.read_bytes(data, "a.fit", decoder="fast")
    assert calls == [1, 1]
    with pytest.raises(ValueError, match="unknown FIT decoder"):
        fit.read_bytes(data, "a.fit", decoder="other")


def test_a_bad_crc_alone_decodes_fast_with_a_warning() -> None:
    good = fit_file(
        activity_file_id() + record_body(1, False, [FIT_EPOCH_2024, FIT_EPOCH_2024 + 1])
    )
    bad = good[:-1] + bytes([good[-1] ^ 1])
    messages = fit_fast.decode(bad)
    assert messages is not None
    assert messages.warnings == [CRC_WARNING]
    assert len(messages.records["timestamp"]) == 2


def test_crc_mismatch_decodes_fast_with_the_fitparse_warning() -> None:
    """A bad file CRC alone no longer sends a file to the slow path; both paths warn alike."""
    from tests.conftest import DATA

    data = (DATA / "invalid/activity-filecrc.fit").read_bytes()
    fast = fit_fast.decode(data)
    assert fast is not None
    slow = fit.decode_fitparse(data, "x.fit")
    assert fast.warnings == slow.warnings == [fit.CRC_WARNING]
