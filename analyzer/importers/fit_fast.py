"""A vectorised FIT decoder giving the same :class:`~analyzer.importers.fit.FitMessages`
as the fitparse path, about two orders of magnitude faster.

A Python walk over the message headers finds where each data message starts; every
``record`` message of one layout is then decoded at once with numpy gathers. The few
other messages an activity needs are decoded one by one, following fitparse's rules.
Field numbers, types, scales, offsets, components and invalid values all come from
fitparse's own profile and base types, so the two paths agree by construction; the
identity test in ``tests/importers/test_fit_fast.py`` checks it on the corpus.

Anything unusual or damaged (bad CRC, truncation, a data message before its definition,
odd field sizes, accumulated components...) makes :func:`decode` return ``None``, and
the caller falls back to fitparse, which keeps its partial-read behaviour and warnings.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, NamedTuple

import numpy as np
from fitparse.processors import UTC_REFERENCE, FitFileDataProcessor
from fitparse.profile import FIELD_TYPE_TIMESTAMP, MESSAGE_TYPES
from fitparse.records import BASE_TYPES

from analyzer.importers.fit import RECORD_FIELDS, FitMessages, crc_damage

RECORD = 20
FIELD_DESCRIPTION = 206
DEVELOPER_DATA_ID = 207
DEV_MESSAGES = (FIELD_DESCRIPTION, DEVELOPER_DATA_ID)
#: messages other than ``record`` that FitMessages keeps, by profile name
KEPT = ("file_id", "session", "lap", "event", "device_info", "activity")
KEPT_NUMS = frozenset(n for n, t in MESSAGE_TYPES.items() if t.name in KEPT)
TIMESTAMP = FIELD_TYPE_TIMESTAMP.def_num
DATE_TIME_MIN = 0x10000000  # fitparse keeps smaller date_time values as plain ints
CACHE_SIZE = 4096  # layouts and their decoding plans kept across files
RUN_MIN = 6  # same header this many times: look for the end of the run with numpy


class Unsupported(Exception):
    """Something the fast path does not handle; the message says what."""


class FastResult(NamedTuple):
    messages: FitMessages | None
    reason: str | None


def decode(data: bytes) -> FitMessages | None:
    """The file's FitMessages, or None when the fitparse path must be used."""
    return try_decode(data).messages


def why_not(data: bytes) -> str | None:
    """Why :func:`decode` gives None for ``data`` (None when it does not)."""
    return try_decode(data).reason


def try_decode(data: bytes) -> FastResult:
    """Decode, or say why not: damage, or a feature the fast path leaves to fitparse."""
    try:
        walk = Walker(data)
        walk.run()
        messages = _assemble(walk)
        if walk.crc_bad:
            messages.warnings.insert(0, crc_damage())
        return FastResult(messages, None)
    except Unsupported as exc:
        return FastResult(None, str(exc))
    except (struct.error, IndexError, ValueError, KeyError, TypeError, OverflowError) as exc:
        return FastResult(None, f"{type(exc).__name__}: {exc}")


# ----------------------------------------------------------------------------- CRC


@cache
def _crc_tables() -> tuple[np.ndarray, list[np.ndarray]]:
    """CRC-16 (FIT's, reflected 0xA001, init 0) of every byte pair, and state maps.

    ``shifts[k][state]`` is the state after 2**(k+1) zero bytes. The CRC is linear with
    a zero start, so ``crc(a + b) == shift(crc(a), len(b)) ^ crc(b)``: pairs of blocks
    combine level by level, in numpy, instead of one Python step per byte.
    """
    byte = np.zeros(256, dtype=np.uint32)
    for b in range(256):
        c = b
        for _ in range(8):
            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
        byte[b] = c
    state = np.arange(65536, dtype=np.uint32)
    one = ((state >> 8) ^ byte[state & 0xFF]).astype(np.uint16)
    first = byte[state & 0xFF]
    pair = ((first >> 8) ^ byte[(first ^ (state >> 8)) & 0xFF]).astype(np.uint16)
    shifts = [one[one]]
    for _ in range(31):
        shifts.append(shifts[-1][shifts[-1]])
    return pair, shifts


def crc16(data: bytes | memoryview) -> int:
    """FIT CRC of ``data``. Leading zero bytes do not change it, which pads odd sizes."""
    pair, shifts = _crc_tables()
    a = np.frombuffer(data, dtype=np.uint8)
    if a.size & 1:
        a = np.concatenate([np.zeros(1, np.uint8), a])
    v = pair[a.view("<u2")]
    level = 0
    while v.size > 1:
        if v.size & 1:
            v = np.concatenate([np.zeros(1, np.uint16), v])
        v = shifts[level][v[0::2]] ^ v[1::2]
        level += 1
    return int(v[0]) if v.size else 0


# ------------------------------------------------------------------------ profile


def _invalid_raw(base: Any) -> int | None:
    """The raw value fitparse's base type reads as None (probed, never copied)."""
    if base.fmt not in "bBhHiIqQ" or base.name == "byte":
        return None
    bits = 8 * base.size
    for candidate in (0, (1 << (bits - 1)) - 1, (1 << bits) - 1):
        if base.parse(candidate) is None:
            return candidate
    return None


NUMPY_KIND = {"b": "i1", "B": "u1", "h": "i2", "H": "u2", "i": "i4", "I": "u4", "q": "i8"}
NUMPY_KIND |= {"Q": "u8", "f": "f4", "d": "f8"}
INVALID = {num: _invalid_raw(base) for num, base in BASE_TYPES.items()}
PROCESSOR = FitFileDataProcessor()
TYPE_PROCESSORS: dict[str, Callable[[Any], None]] = {
    name.removeprefix("process_type_"): getattr(PROCESSOR, name)
    for name in dir(PROCESSOR)
    if name.startswith("process_type_")
}


def is_scalar(base: Any, size: int) -> bool:
    """One numeric value: fitparse gives tuples for arrays and bytes, str for strings."""
    return base.name not in ("byte", "string") and size == base.size


# ------------------------------------------------------------------------ layouts


@dataclass(frozen=True)
class FieldDef:
    num: int
    size: int
    base: int  # key in fitparse's BASE_TYPES (unknown numbers already mapped to byte)
    offset: int  # from the message's header byte


@dataclass(frozen=True)
class DevDef:
    num: int
    size: int
    index: int
    base: int
    name: Any  # fitparse names the value after the field_description's field_name
    offset: int


@dataclass(frozen=True, eq=False)  # compared by identity: layout_for makes each once
class Layout:
    """One definition message: where each field lies in its data messages."""

    mesg_num: int
    big: bool
    fields: tuple[FieldDef, ...]
    dev: tuple[DevDef, ...]
    size: int  # whole data message, header byte included

    @property
    def endian(self) -> str:
        return ">" if self.big else "<"


def _check_field(fd: FieldDef, layout_num: int) -> None:
    """Refuse what makes fitparse stop: sizes it cannot read, arrays it cannot render."""
    base = BASE_TYPES[fd.base]
    if fd.size == 0 or fd.size % base.size:
        raise Unsupported(f"field {fd.num} of message {layout_num}: size {fd.size}")
    mesg = MESSAGE_TYPES.get(layout_num)
    known = mesg.fields.get(fd.num) if mesg else None
    if known is None or is_scalar(base, fd.size):
        return
    kinds = [known, *(known.subfields or [])]
    kinds += [mesg.fields[c.def_num] for k in kinds for c in (k.components or [])]
    if any(k.type.name in TYPE_PROCESSORS and k.type.name != "bool" for k in kinds):
        raise Unsupported(f"{known.name}: an array or text where fitparse expects a time")
    if base.name != "byte" and any(k.components for k in kinds):
        raise Unsupported(f"{known.name}: components of an array")


_LAYOUTS: dict[tuple[bytes, tuple[tuple[int, Any], ...]], Layout] = {}


def layout_for(definition: bytes, dev_types: tuple[tuple[int, Any], ...]) -> Layout:
    """The layout of a definition (flag byte + definition bytes from the architecture on).

    Kept across files: a watch writes the same few definitions into every activity.
    """
    key = (definition, dev_types)
    layout = _LAYOUTS.get(key)
    if layout is None:
        if len(_LAYOUTS) >= CACHE_SIZE:
            _LAYOUTS.clear()
        layout = _LAYOUTS[key] = _parse_layout(definition, dev_types)
    return layout


def _parse_layout(definition: bytes, dev_types: tuple[tuple[int, Any], ...]) -> Layout:
    big = definition[1] != 0
    mesg_num = int.from_bytes(definition[2:4], "big" if big else "little")
    specs_end = 5 + 3 * definition[4]
    fields, offset = [], 1
    for i in range(5, specs_end, 3):
        num, size, base = definition[i], definition[i + 1], definition[i + 2]
        fd = FieldDef(num, size, base if base in BASE_TYPES else 0x0D, offset)
        _check_field(fd, mesg_num)
        fields.append(fd)
        offset += size
    devs = []
    dev_specs = definition[specs_end + 1 :] if definition[0] else b""
    for i, (base, name) in zip(range(0, len(dev_specs), 3), dev_types, strict=True):
        num, size, index = dev_specs[i], dev_specs[i + 1], dev_specs[i + 2]
        if size == 0 or size % BASE_TYPES[base].size:
            raise Unsupported(f"developer field {name!r}: size {size}")
        devs.append(DevDef(num, size, index, base, name, offset))
        offset += size
    return Layout(mesg_num, big, tuple(fields), tuple(devs), offset)


# ---------------------------------------------------------------------------- walk


@dataclass
class Sink:
    """Start offsets of the data messages of one layout, as ints and numpy runs."""

    starts: list[int] = field(default_factory=list)
    runs: list[np.ndarray] = field(default_factory=list)

    def offsets(self) -> np.ndarray:
        parts = [*self.runs, np.asarray(self.starts, dtype=np.int64)]
        return np.sort(np.concatenate(parts))


class Walker:
    """Walks the messages of a (possibly chained) FIT file and sorts them by layout."""

    def __init__(self, data: bytes) -> None:
        self.buf = data
        self.arr = np.frombuffer(data, dtype=np.uint8)
        self.timed = False  # compressed timestamps seen: walk again message by message
        self.crc_bad = False
        self._reset()

    def _reset(self) -> None:
        self.sinks: dict[Layout, Sink] = {}
        self.dev_types: dict[Any, dict[Any, tuple[int, Any]]] = {}
        self.compressed: dict[int, int] = {}  # message offset -> rolling timestamp
        self.local: list[Layout | None] = [None] * 16
        self.ts = 0
        # per normal header byte: message size, where its offset goes, decode it now?
        self.sizes = [0] * 256  # definitions and compressed headers stay 0
        self.appends: list[Callable[[int], None] | None] = [None] * 256

    def run(self) -> None:
        try:
            self._walk_file()
        except _Restart:
            self._reset()
            self.timed = True
            self._walk_file()

    def _walk_file(self) -> None:
        pos = 0
        while pos < len(self.buf):
            start, end = self._header(pos)
            for local in range(16):
                self._set_local(local, None)
            self.ts = 0
            if self.timed:
                self._walk_timed(start, end)
            else:
                self._walk_fast(start, end)
            if crc16(memoryview(self.buf)[pos : end + 2]) != 0:
                # decode anyway, as the fitparse path does, and warn: a flipped bit
                # should not send a large file to the slow path
                self.crc_bad = True
            pos = end + 2

    def _header(self, pos: int) -> tuple[int, int]:
        """Check one file header; return where its data starts and ends."""
        head = self.buf[pos : pos + 12]
        if len(head) < 12 or head[8:12] != b".FIT":
            raise Unsupported(f"no FIT header at byte {pos}")
        size, data_size = head[0], int.from_bytes(head[4:8], "little")
        if size != 12 and size < 14:
            raise Unsupported(f"odd header size {size}")
        if size >= 14:
            stored = int.from_bytes(self.buf[pos + 12 : pos + 14], "little")
            if stored not in (0, crc16(head)):
                raise Unsupported("the header CRC does not match")
        end = pos + size + data_size
        if end + 2 > len(self.buf):
            raise Unsupported("the file is truncated")
        return pos + size, end

    # -- definitions

    def _definition(self, pos: int, header: int) -> int:
        buf = self.buf
        fields_end = pos + 6 + 3 * buf[pos + 5]
        end = fields_end + 1 + 3 * buf[fields_end] if header & 0x20 else fields_end
        if end > len(buf):
            raise Unsupported("a definition runs past the end of the file")
        specs = buf[fields_end + 1 : end] if header & 0x20 else b""
        dev = tuple(self._dev_type(specs[i + 2], specs[i]) for i in range(0, len(specs), 3))
        layout = layout_for(bytes([header & 0x20]) + buf[pos + 2 : end], dev)
        self._set_local(header & 0x0F, layout)
        return end

    def _set_local(self, local: int, layout: Layout | None) -> None:
        self.local[local] = layout
        sink = self._sink(layout) if layout else None
        inline = layout is not None and layout.mesg_num in DEV_MESSAGES
        for h in range(local, 64, 16):
            # 0 sends the walk to _special: no definition yet, or decode it right away
            self.sizes[h] = layout.size if layout and not inline else 0
            self.appends[h] = sink.starts.append if sink else None

    def _dev_type(self, index: int, num: int) -> tuple[int, Any]:
        known = self.dev_types.get(index, {}).get(num)
        if known is None:
            raise Unsupported(f"developer field {index}/{num} used before its description")
        return known

    # -- data messages

    def _sink(self, layout: Layout) -> Sink | None:
        if layout.mesg_num != RECORD and layout.mesg_num not in KEPT_NUMS:
            return None
        return self.sinks.setdefault(layout, Sink())

    def _walk_fast(self, pos: int, end: int) -> None:
        """Message by message; a long run of one header is taken in one go."""
        buf, sizes, appends = self.buf, self.sizes, self.appends
        previous, same = -1, 0
        while pos < end:
            h = buf[pos]
            size = sizes[h]
            if not size:
                pos = self._special(pos, h)
                previous = -1
                continue
            if h != previous:
                previous, same = h, 0
            else:
                same += 1
                if same == RUN_MIN:
                    pos += self._run(pos, h, size, end)
                    previous = -1
                    continue
            append = appends[h]
            if append is not None:
                append(pos)
            pos += size
        if pos != end:
            raise Unsupported("a message runs past the end of the data")

    def _special(self, pos: int, h: int) -> int:
        """A definition, a developer description, or a header the fast walk cannot take."""
        if h & 0x80:
            raise _Restart
        if h & 0x40:
            return self._definition(pos, h)
        layout = self.local[h & 0x0F]
        if layout is None:
            raise Unsupported(f"a data message at byte {pos} before its definition")
        self._register(pos, layout)
        return pos + layout.size

    def _run(self, pos: int, h: int, size: int, end: int) -> int:
        """Bytes from ``pos`` taken by consecutive messages with header byte ``h``.

        If the byte one message size on is ``h`` again, the next message has the same
        layout and size, and so on: one strided comparison finds where the run ends.
        """
        done, window = 0, 256
        while True:
            count = min((end - pos - done) // size, window)
            if count <= 0:
                break
            first = pos + done
            differ = np.flatnonzero(self.arr[first : first + count * size : size] != h)
            good = int(differ[0]) if differ.size else count
            done += good * size
            if good < count:
                break
            window *= 8
        layout = self.local[h & 0x0F]
        sink = self._sink(layout) if layout else None
        if done and sink is not None:
            sink.runs.append(np.arange(pos, pos + done, size, dtype=np.int64))
        return done

    def _walk_timed(self, pos: int, end: int) -> None:
        """One message at a time, keeping fitparse's rolling timestamp."""
        buf = self.buf
        while pos < end:
            h = buf[pos]
            if 0x40 <= h < 0x80:
                pos = self._definition(pos, h)
                continue
            layout = self.local[(h >> 5) & 0x03 if h & 0x80 else h & 0x0F]
            if layout is None:
                raise Unsupported(f"a data message at byte {pos} before its definition")
            self._roll_timestamp(layout, pos, h)
            if layout.mesg_num in DEV_MESSAGES:
                self._register(pos, layout)
            sink = self._sink(layout)
            if sink is not None:
                sink.starts.append(pos)
            pos += layout.size
        if pos != end:
            raise Unsupported("a message runs past the end of the data")

    def _roll_timestamp(self, layout: Layout, pos: int, header: int) -> None:
        for fd in layout.fields:
            if fd.num != TIMESTAMP:
                continue
            base = BASE_TYPES[fd.base]
            if not is_scalar(base, fd.size) or base.fmt not in "bBhHiIqQ":
                raise Unsupported("a timestamp field that is not one integer")
            raw = struct.unpack_from(layout.endian + base.fmt, self.buf, pos + fd.offset)[0]
            if raw != INVALID[fd.base]:
                self.ts = raw
        if any(d.num == TIMESTAMP for d in layout.dev):
            raise Unsupported("a developer field numbered like the timestamp")
        if header & 0x80:
            offset = header & 0x1F
            rolled = offset + (self.ts & ~0x1F)
            if offset < (self.ts & 0x1F):
                rolled += 0x20
            self.ts = self.compressed[pos] = rolled

    # -- developer data descriptions, needed while walking

    def _register(self, pos: int, layout: Layout | None) -> None:
        assert layout is not None
        values = message_fields(self.buf, layout, pos, None)
        index = _raw(values, "developer_data_index")
        if layout.mesg_num == DEVELOPER_DATA_ID:
            self.dev_types[index] = {}
            return
        if index not in self.dev_types:
            raise Unsupported(f"a field description for unknown developer {index}")
        num = _raw(values, "field_definition_number")
        base = _raw(values, "fit_base_type_id")
        if base not in BASE_TYPES:
            raise Unsupported(f"developer field {num}: unknown base type {base}")
        name = _raw(values, "field_name") or f"unnamed_dev_field_{num}"
        self.dev_types[int(index)][num] = (base, name)


class _Restart(Exception):
    """Compressed timestamps: walk again, message by message."""


# ------------------------------------------------------------- one message at a time


class _Value:
    """What fitparse's type processors read and write."""

    __slots__ = ("units", "value")

    def __init__(self, value: Any) -> None:
        self.value = value
        self.units: Any = None


class Out(NamedTuple):
    name: Any
    parent: str | None
    value: Any
    raw: Any
    kind: str | None  # type name, for fitparse's type processors


def _raw(values: list[Out], name: str) -> Any:
    """fitparse's ``get_raw_value``: the first field so named, or its parent."""
    return next((v.raw for v in values if name in (v.name, v.parent)), None)


def _scale(f: Any, raw: Any) -> Any:
    if isinstance(raw, tuple):
        return tuple(_scale(f, x) for x in raw)
    if isinstance(raw, int | float):
        if f.scale:
            raw = float(raw) / f.scale
        if f.offset:
            raw = raw - f.offset
    return raw


@lru_cache(maxsize=CACHE_SIZE)
def _struct(layout: Layout) -> tuple[struct.Struct, tuple[tuple[int, int, Any], ...]]:
    """One struct for the whole message, and (first item, item count, base) per field."""
    fmt, spans, item = [layout.endian], [], 0
    defs: tuple[FieldDef | DevDef, ...] = (*layout.fields, *layout.dev)
    for f in defs:
        base = BASE_TYPES[f.base]
        count = f.size // base.size
        if base.fmt == "s":
            fmt.append(f"{f.size}s")
            spans.append((item, 1, base))
            item += 1
        else:
            fmt.append(f"{count}{base.fmt}")
            spans.append((item, count, base))
            item += count
    return struct.Struct("".join(fmt)), tuple(spans)


def _raw_values(buf: bytes, layout: Layout, pos: int) -> list[Any]:
    """Each field's value as fitparse's base types parse it (None when invalid)."""
    unpacker, spans = _struct(layout)
    items = unpacker.unpack_from(buf, pos + 1)
    out = []
    for first, count, base in spans:
        if base.name == "byte":
            out.append(base.parse(items[first : first + count]))
        elif count == 1:
            out.append(base.parse(items[first]))
        else:
            out.append(tuple(base.parse(x) for x in items[first : first + count]))
    return out


def _subfield(f: Any, layout: Layout, raws: list[Any]) -> tuple[Any, Any]:
    for sub in f.subfields or ():
        for ref in sub.ref_fields:
            for fd, raw in zip(layout.fields, raws, strict=False):
                if fd.num == ref.def_num and ref.raw_value == raw:
                    return sub, f
    return f, None


def _components(f: Any, raw: Any, layout: Layout, raws: list[Any]) -> list[Out]:
    out = []
    for comp in f.components or ():
        try:
            value = comp.render(raw)
        except ValueError:
            continue
        if comp.accumulate and value is not None:
            raise Unsupported(f"accumulated component {comp.name}")
        value = _scale(comp, value)
        target, parent = _subfield(
            MESSAGE_TYPES[layout.mesg_num].fields[comp.def_num], layout, raws
        )
        out.append(Out(target.name, _name(parent), target.render(value), value, target.type.name))
    return out


def _name(f: Any) -> str | None:
    return None if f is None else str(f.name)


def message_fields(buf: bytes, layout: Layout, pos: int, ts: int | None) -> list[Out]:
    """One data message as fitparse's list of fields, in its order, processors applied."""
    raws = _raw_values(buf, layout, pos)
    mesg = MESSAGE_TYPES.get(layout.mesg_num)
    out: list[Out] = []
    for fd, raw in zip(layout.fields, raws, strict=False):
        known = mesg.fields.get(fd.num) if mesg else None
        if known is None:
            out.append(Out(f"unknown_{fd.num}", None, raw, raw, None))
            continue
        out.extend(_field_outs(known, raw, layout, raws))
    for dd, raw in zip(layout.dev, raws[len(layout.fields) :], strict=True):
        out.append(Out(dd.name, None, raw, raw, BASE_TYPES[dd.base].name))
    if ts is not None:
        out.append(_timestamp_out(ts))
    return out


def _processed(o: Out) -> Out:
    process = TYPE_PROCESSORS.get(o.kind or "")
    if process is None:
        return o
    holder = _Value(o.value)
    process(holder)
    return o._replace(value=holder.value)


class Step(NamedTuple):
    """How one field of a layout becomes values: directly, or by fitparse's full rules."""

    item: int
    field: Any
    simple: bool  # no subfields and no components
    values: dict[Any, Any] | None  # enum names
    scaled: bool
    process: Callable[[Any], None] | None


@lru_cache(maxsize=CACHE_SIZE)
def _steps(layout: Layout) -> tuple[Step, ...]:
    mesg = MESSAGE_TYPES.get(layout.mesg_num)
    steps = []
    for item, fd in enumerate(layout.fields):
        f = mesg.fields.get(fd.num) if mesg else None
        if f is None:
            continue  # unknown_* fields: decode_fitparse drops them
        simple = not f.subfields and not f.components
        process = TYPE_PROCESSORS.get(f.type.name)
        steps.append(Step(item, f, simple, f.type.values, bool(f.scale or f.offset), process))
    return tuple(steps)


def message_values(buf: bytes, layout: Layout, pos: int, ts: int | None) -> dict[str, Any]:
    """The message's ``get_values()`` minus None and unknown fields (fit._plain)."""
    raws = _raw_values(buf, layout, pos)
    values: dict[Any, Any] = {}
    for step in _steps(layout):
        raw = raws[step.item]
        if not step.simple:
            values.update((o.name, o.value) for o in _field_outs(step.field, raw, layout, raws))
            continue
        value = raw
        if step.values and value in step.values:
            value = step.values[value]
        if step.scaled:
            value = _scale(step.field, value)
        if step.process is not None and value is not None:
            holder = _Value(value)
            step.process(holder)
            value = holder.value
        values[step.field.name] = value
    for dd, raw in zip(layout.dev, raws[len(layout.fields) :], strict=True):
        values[dd.name] = raw
    if ts is not None:
        values.update((o.name, o.value) for o in [_timestamp_out(ts)])
    return {
        k: v
        for k, v in values.items()
        if v is not None and not (isinstance(k, str) and k.startswith("unknown_"))
    }


def _field_outs(known: Any, raw: Any, layout: Layout, raws: list[Any]) -> list[Out]:
    """One known field by fitparse's rules: subfield, then components, then itself."""
    f, parent = _subfield(known, layout, raws)
    outs = _components(f, raw, layout, raws)
    outs.append(Out(f.name, _name(parent), _scale(f, f.render(raw)), raw, f.type.name))
    return [_processed(o) for o in outs]


def _timestamp_out(ts: int) -> Out:
    stamp = FIELD_TYPE_TIMESTAMP
    return _processed(Out(stamp.name, None, stamp.render(ts), ts, stamp.type.name))


# ---------------------------------------------------------------- records, vectorised


@dataclass(frozen=True)
class Writer:
    """Where one RECORD_FIELDS value comes from, and how fitparse turns it into a value."""

    source: FieldDef | DevDef
    field: Any = None  # profile field; None for developer fields
    component: Any = None
    target: Any = None  # the component's field


def _writers(layout: Layout) -> dict[str, Writer | None]:
    """For each record field, its last writer in fitparse's order (later ones win)."""
    fields = MESSAGE_TYPES[RECORD].fields
    found: dict[str, Writer | None] = {}
    for fd in layout.fields:
        f = fields.get(fd.num)
        if f is None:
            continue
        if f.subfields:
            raise Unsupported(f"record field {f.name} has subfields")
        for comp in f.components or ():
            target = fields[comp.def_num]
            found[target.name] = Writer(fd, f, comp, target)
        found[f.name] = Writer(fd, f)
    for dd in layout.dev:
        found[dd.name] = Writer(dd)
    return {name: found.get(name) for name in RECORD_FIELDS}


def _raw_column(view: _Views, layout: Layout, src: FieldDef | DevDef, starts: np.ndarray) -> Any:
    """Raw numbers of one scalar field (float64) and where they are valid."""
    base = BASE_TYPES[src.base]
    raw = view.get(layout.endian + NUMPY_KIND[base.fmt])[starts + src.offset]
    if base.fmt in "fd":
        values = raw.astype(np.float64)
        return values, ~np.isnan(values), None
    return raw.astype(np.float64), raw != INVALID[src.base], raw.astype(np.int64)


class _Views:
    """Overlapping views of the file as each numeric type, one start per byte."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.cache: dict[str, np.ndarray] = {}

    def get(self, kind: str) -> np.ndarray:
        view = self.cache.get(kind)
        if view is None:
            dtype = np.dtype(kind)
            count = max(len(self.data) - dtype.itemsize + 1, 0)
            view = np.ndarray((count,), dtype, buffer=self.data, strides=(1,))
            self.cache[kind] = view
        return view


def _column(name: str, w: Writer | None, views: _Views, layout: Layout, starts: np.ndarray) -> Any:
    nan = np.full(starts.size, np.nan)
    if w is None or not is_scalar(BASE_TYPES[w.source.base], w.source.size):
        if w is not None and w.component is not None:
            raise Unsupported(f"record {name}: a component of an array")
        return nan  # absent, or a tuple or text: fit.py keeps NaN
    values, valid, ints = _raw_column(views, layout, w.source, starts)
    kind = _kind(w)
    if w.component is not None:
        values = _component_values(w, values, ints)
    elif w.field is not None:
        values = _field_values(w.field, values, ints, valid)
    if kind == "date_time":
        return _date_time(name, w, values, valid)
    if kind in TYPE_PROCESSORS:
        raise Unsupported(f"record {name} has type {kind}")
    return np.where(valid, values, np.nan)


def _kind(w: Writer) -> str:
    f = w.target if w.component is not None else w.field
    return str(f.type.name) if f is not None else str(BASE_TYPES[w.source.base].name)


def _field_values(f: Any, values: np.ndarray, ints: Any, valid: np.ndarray) -> np.ndarray:
    if f.type.values:
        if ints is None:
            raise Unsupported(f"record {f.name}: an enum held as a float")
        valid &= ~np.isin(ints, list(f.type.values))  # rendered as text: NaN in fit.py
    if f.scale:
        values = values / f.scale
    if f.offset:
        values = values - f.offset
    return values


def _component_values(w: Writer, values: np.ndarray, ints: Any) -> np.ndarray:
    comp = w.component
    if comp.accumulate:
        raise Unsupported(f"record {w.target.name} accumulates")
    if w.target.type.values:
        raise Unsupported(f"record {w.target.name}: an enum component")
    if ints is not None:
        values = ((ints >> comp.bit_offset) & ((1 << comp.bits) - 1)).astype(np.float64)
    if comp.scale:
        values = values / comp.scale
    if comp.offset:
        values = values - comp.offset
    return values


def _date_time(name: str, w: Writer, values: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """fitparse makes a datetime of values from 0x10000000 on; fit.py keeps only those."""
    if name != "timestamp" or w.component is not None or w.field.scale or w.field.offset:
        raise Unsupported(f"record {name} is a date_time")
    return np.where(valid & (values >= DATE_TIME_MIN), values + UTC_REFERENCE, np.nan)


def _records(walk: Walker) -> dict[str, np.ndarray]:
    views = _Views(walk.buf)
    parts: dict[str, list[np.ndarray]] = {name: [] for name in RECORD_FIELDS}
    offsets = []
    for layout, sink in walk.sinks.items():
        if layout.mesg_num != RECORD:
            continue
        starts = sink.offsets()
        offsets.append(starts)
        for name, w in _writers(layout).items():
            parts[name].append(_column(name, w, views, layout, starts))
    if not offsets:
        return {name: np.array([], dtype=np.float64) for name in RECORD_FIELDS}
    where = np.concatenate(offsets)
    order = np.argsort(where, kind="stable")
    records = {name: np.concatenate(p)[order] for name, p in parts.items()}
    if walk.compressed:
        _compressed_times(records, where[order], walk.compressed)
    return records


def _compressed_times(
    records: dict[str, np.ndarray], where: np.ndarray, ts: dict[int, int]
) -> None:
    """A compressed-timestamp header's time comes last in fitparse, so it wins."""
    at = np.fromiter(ts.keys(), dtype=np.int64)
    raw = np.fromiter(ts.values(), dtype=np.float64)
    rows = np.searchsorted(where, at)
    inside = rows < where.size
    hit = np.zeros(at.size, dtype=bool)
    hit[inside] = where[rows[inside]] == at[inside]
    stamp = np.where(raw >= DATE_TIME_MIN, raw + UTC_REFERENCE, np.nan)
    records["timestamp"][rows[hit]] = stamp[hit]


# ---------------------------------------------------------------------- assembling


def _assemble(walk: Walker) -> FitMessages:
    out = FitMessages(records=_records(walk))
    kept = [
        (int(pos), layout)
        for layout, sink in walk.sinks.items()
        if layout.mesg_num != RECORD
        for pos in sink.offsets()
    ]
    for pos, layout in sorted(kept, key=lambda k: k[0]):
        values = message_values(walk.buf, layout, pos, walk.compressed.get(pos))
        _keep(out, MESSAGE_TYPES[layout.mesg_num].name, values)
    return out


def _keep(out: FitMessages, kind: str, values: dict[str, Any]) -> None:
    if kind == "file_id":
        out.file_id = out.file_id or values
    elif kind == "activity":
        out.activity = values
    else:
        {
            "session": out.sessions,
            "lap": out.laps,
            "event": out.events,
            "device_info": out.device_infos,
        }[kind].append(values)
