"""Symptom check-ins and heel-drop sessions: validation and the CSV formats.

The CSV formats are those of ``sample_data/symptoms.csv`` and ``sample_data/heel_drops.csv``.
A CSV is checked whole: every bad line is reported, and no entry comes back unless all
lines are good.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any, TypeVar

from analyzer.errors import AnalyzerError, InvalidEntry
from analyzer.localtime import zone

SCORES = ("morning_stiffness", "morning_pain", "pain_during", "pain_after", "pinch_tenderness")
SIDES = ("left", "right", "both")
CHECKIN_COLUMNS = (
    "date",
    "morning_stiffness",
    "morning_stiffness_minutes",
    "morning_pain",
    "pain_during",
    "pain_after",
    "pinch_tenderness",
    "swelling",
    "side",
    "note",
)
DROPS_COLUMNS = ("time", "straight_knee_sets", "bent_knee_sets", "reps", "added_load_kg", "note")
MAX_MINUTES = 24 * 60
MAX_SETS = 20
MAX_REPS = 100
MAX_LOAD_KG = 200.0
TRUE = ("true", "yes", "y", "1")
FALSE = ("false", "no", "n", "0")

T = TypeVar("T")


@dataclass(frozen=True)
class CheckIn:
    """One morning's check-in. Scores are 0-10 (10 = worst); minutes of stiffness."""

    date: date
    morning_stiffness: float | None = None
    morning_stiffness_minutes: float | None = None
    morning_pain: float | None = None  # on getting up: the first steps of the morning
    pain_during: float | None = None
    pain_after: float | None = None
    pinch_tenderness: float | None = None
    swelling: bool | None = None
    side: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class HeelDropSession:
    """One session of eccentric heel drops; ``time`` is aware, in the local offset logged."""

    time: datetime
    straight_knee_sets: int = 3
    bent_knee_sets: int = 3
    reps: int = 15
    added_load_kg: float = 0.0
    note: str | None = None


class InvalidRows(AnalyzerError):
    """A CSV file with bad lines; ``errors`` holds one :class:`InvalidEntry` per problem."""

    def __init__(self, name: str, errors: Sequence[InvalidEntry]) -> None:
        self.name = name
        self.errors = list(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(
            f"{name}: {len(self.errors)} bad line(s), nothing was written; "
            f"fix them and import again:\n{lines}"
        )


# --- single values --------------------------------------------------------------------


def check_score(field: str, value: float | None, line: int | None = None) -> float | None:
    """A 0-10 score (10 = worst), or None."""
    if value is None:
        return None
    if not math.isfinite(value) or not 0 <= value <= 10:
        raise InvalidEntry(field, f"score {value:g} is outside 0-10; give a number 0-10", line)
    return float(value)


def check_date(field: str, value: date, today: date, line: int | None = None) -> date:
    if value > today:
        raise InvalidEntry(
            field, f"{value.isoformat()} is in the future (today is {today.isoformat()})", line
        )
    return value


def check_side(value: str | None, line: int | None = None) -> str | None:
    if value is None or not value.strip():
        return None
    side = value.strip().lower()
    if side not in SIDES:
        raise InvalidEntry("side", f"{value!r} is not one of {', '.join(SIDES)}", line)
    return side


def check_range(
    field: str, value: float, low: float, high: float, line: int | None = None
) -> float:
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidEntry(field, f"{value:g} is outside {low:g}-{high:g}", line)
    return value


def parse_time(text: str, tz: str, now: datetime, line: int | None = None) -> datetime:
    """``2026-10-12T07:49:00+01:00``; a time without offset is local in ``tz``;
    ``07:49`` alone means today; a date alone is refused (the session had a time, and
    "within 2 h of a run" depends on it). The result is aware."""
    raw = text.strip()
    usage = "use 2026-10-12T07:49 or 07:49"
    if ":" not in raw:  # a date alone would be read as midnight
        with contextlib.suppress(ValueError):
            date.fromisoformat(raw)
            raise InvalidEntry("time", f"{text!r} has no time of day; {usage}", line)
        raise InvalidEntry("time", f"{text!r} is not a time; {usage}", line)
    if re.fullmatch(r"\d:\d\d(:\d\d)?", raw):  # 7:45, as people write it
        raw = "0" + raw
    try:
        if len(raw) <= 8 and "-" not in raw:
            local_today = now.astimezone(zone(tz)).date()
            value = datetime.combine(local_today, time.fromisoformat(raw))
        else:
            value = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidEntry("time", f"{text!r} is not a time; {usage}", line) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    # to the minute: a session logged at 07:45:30 is the one of 07:45, not a second one
    return value.replace(second=0, microsecond=0)


def parse_date(text: str, field: str = "date", line: int | None = None) -> date:
    """A date written YYYY-MM-DD; anything else is InvalidEntry saying what is wrong
    (:func:`date_problem`)."""
    raw = text.strip()
    with contextlib.suppress(ValueError):
        return datetime.strptime(raw, "%Y-%m-%d").date()
    raise InvalidEntry(field, date_problem(raw), line)


MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)


def date_problem(text: str) -> str:
    """Why ``text`` is not a date written YYYY-MM-DD: a day its month does not have
    (``there is no 30 February 2026``), the order (``12/08/2020``: each date it could
    be, ``2020-12-08 or 2020-08-12?``), else the format to use."""
    parts = text.replace("/", "-").replace(".", "-").split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        if len(parts[0]) == 4:  # the order is right
            year, month, day = (int(p) for p in parts)
            if not 1 <= month <= 12:
                return f"{text!r}: there is no month {month}; dates are written YYYY-MM-DD"
            try:
                meant = date(year, month, day)
            except ValueError:
                return f"{text!r}: there is no {day} {MONTHS[month - 1]} {year}"
            return f"{text!r}: dates are written YYYY-MM-DD: {meant.isoformat()}?"
        readings = date_readings(parts, month_first="/" in text)
        if readings:  # day or month first: say which dates that could be
            said = " or ".join(d.isoformat() for d in readings)
            return f"{text!r}: dates are written year first, YYYY-MM-DD: {said}?"
    return f"{text!r} is not a date written YYYY-MM-DD, e.g. 2026-11-20"


def date_readings(parts: Sequence[str], month_first: bool) -> list[date]:
    """The dates ``12/08/2020`` can be, the year last: month first (8 December) and day
    first (12 August), each where it is a date, once where both are the same. A slash
    lists month first (the US order), a dot or dash day first."""
    if len(parts[2]) != 4:
        return []
    year, a, b = int(parts[2]), int(parts[0]), int(parts[1])
    found: list[date] = []
    for month, day in ((a, b), (b, a)) if month_first else ((b, a), (a, b)):
        with contextlib.suppress(ValueError):
            if (meant := date(year, month, day)) not in found:
                found.append(meant)
    return found


# --- check-ins -------------------------------------------------------------------------


def check_checkin(entry: CheckIn, today: date, line: int | None = None) -> CheckIn:
    """The entry if every field obeys the rules, else InvalidEntry for the first bad field."""
    check_date("date", entry.date, today, line)
    for field in SCORES:
        check_score(field, getattr(entry, field), line)
    minutes = entry.morning_stiffness_minutes
    if minutes is not None:
        check_range("morning_stiffness_minutes", minutes, 0, MAX_MINUTES, line)
    note = entry.note.strip() if entry.note else None
    return replace(entry, side=check_side(entry.side, line), note=note or None)


def parse_checkin(row: Mapping[str, str | None], today: date, line: int | None = None) -> CheckIn:
    """A check-in from text fields (a CSV row): empty means not logged."""
    raw_date = _text(row.get("date"))
    if raw_date is None:
        raise InvalidEntry("date", "missing; every row needs a date (YYYY-MM-DD)", line)
    entry = CheckIn(
        date=parse_date(raw_date, "date", line),
        morning_stiffness=_number(row, "morning_stiffness", line),
        morning_stiffness_minutes=_number(row, "morning_stiffness_minutes", line),
        morning_pain=_number(row, "morning_pain", line),
        pain_during=_number(row, "pain_during", line),
        pain_after=_number(row, "pain_after", line),
        pinch_tenderness=_number(row, "pinch_tenderness", line),
        swelling=parse_bool("swelling", row.get("swelling"), line),
        side=_text(row.get("side")),
        note=_text(row.get("note")),
    )
    return check_checkin(entry, today, line)


def checkin_row(entry: CheckIn) -> dict[str, str]:
    """The CSV row of a check-in, in the sample format."""
    return {
        "date": entry.date.isoformat(),
        "morning_stiffness": fmt_number(entry.morning_stiffness),
        "morning_stiffness_minutes": fmt_number(entry.morning_stiffness_minutes),
        "morning_pain": fmt_number(entry.morning_pain),
        "pain_during": fmt_number(entry.pain_during),
        "pain_after": fmt_number(entry.pain_after),
        "pinch_tenderness": fmt_number(entry.pinch_tenderness),
        "swelling": "" if entry.swelling is None else str(entry.swelling).lower(),
        "side": entry.side or "",
        "note": entry.note or "",
    }


# --- heel drops ------------------------------------------------------------------------


def check_heel_drops(
    entry: HeelDropSession, now: datetime, line: int | None = None
) -> HeelDropSession:
    if entry.time.tzinfo is None:
        raise InvalidEntry("time", "needs a time zone", line)
    if entry.time > now:
        raise InvalidEntry("time", f"{entry.time.isoformat()} is in the future", line)
    check_range("straight_knee_sets", entry.straight_knee_sets, 0, MAX_SETS, line)
    check_range("bent_knee_sets", entry.bent_knee_sets, 0, MAX_SETS, line)
    check_range("reps", entry.reps, 0, MAX_REPS, line)
    check_range("added_load_kg", entry.added_load_kg, 0, MAX_LOAD_KG, line)
    if entry.straight_knee_sets + entry.bent_knee_sets == 0:
        raise InvalidEntry("sets", "a session needs at least one set", line)
    note = entry.note.strip() if entry.note else None
    return replace(entry, note=note or None)


def parse_heel_drops(
    row: Mapping[str, str | None],
    tz: str,
    now: datetime,
    line: int | None = None,
    logged: Mapping[datetime, HeelDropSession] | None = None,
) -> HeelDropSession:
    """One session of a CSV row; an empty cell takes the value of the session ``logged``
    at the same time, where there is one (a replace keeps what the row does not give),
    else the programme's default (3 x 3 x 15, no added load)."""
    raw_time = _text(row.get("time"))
    if raw_time is None:
        raise InvalidEntry("time", "missing; every row needs a time (ISO 8601)", line)
    when = parse_time(raw_time, tz, now, line)
    base = (logged or {}).get(when) or HeelDropSession(when)
    load = _number(row, "added_load_kg", line)
    entry = HeelDropSession(
        time=when,
        straight_knee_sets=_integer(row, "straight_knee_sets", base.straight_knee_sets, line),
        bent_knee_sets=_integer(row, "bent_knee_sets", base.bent_knee_sets, line),
        reps=_integer(row, "reps", base.reps, line),
        added_load_kg=base.added_load_kg if load is None else load,
        note=_text(row.get("note")) or base.note,
    )
    return check_heel_drops(entry, now, line)


def heel_drops_row(entry: HeelDropSession) -> dict[str, str]:
    return {
        "time": entry.time.isoformat(),
        "straight_knee_sets": str(entry.straight_knee_sets),
        "bent_knee_sets": str(entry.bent_knee_sets),
        "reps": str(entry.reps),
        "added_load_kg": fmt_number(entry.added_load_kg),
        "note": entry.note or "",
    }


# --- CSV -------------------------------------------------------------------------------


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is allowed). Anything else is refused, naming the line and how
    it reads in Windows-1252 (what a spreadsheet on Windows saves as plain "CSV"), so
    the user sees which character it is; nothing is guessed into the store."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        end = data.find(b"\n", exc.start)
        text = data[start : end if end >= 0 else len(data)].decode("cp1252", "replace").strip()
        shown = text if len(text) <= SHOWN_LINE else text[: SHOWN_LINE - 1] + "\u2026"
        raise InvalidEntry(
            "file",
            f"{name} is not UTF-8 text (line {line} reads {shown!r} as Windows-1252): "
            'save it as UTF-8 (in Excel: Save As, "CSV UTF-8") and import again',
        ) from exc


SHOWN_LINE = 60  # characters of a line quoted in a message


def parse_csv(
    data: bytes,
    name: str,
    columns: Sequence[str],
    parse_row: Callable[[Mapping[str, str | None], int], T],
    key: Callable[[T], Any],
) -> list[T]:
    """Every row of a CSV parsed by ``parse_row(row, line)``; InvalidRows lists every bad line.

    ``key`` identifies an entry: the same key twice in one file is an error.
    """
    text = decode_text(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    errors: list[InvalidEntry] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InvalidRows(name, [InvalidEntry("header", f"malformed CSV ({exc})", 1)]) from exc
    if header is None:
        raise InvalidRows(name, [InvalidEntry("header", "the file is empty", 1)])
    header = column_names(header)
    errors += _header_errors(header, columns)
    if errors:
        raise InvalidRows(name, errors)
    entries, errors = _parse_rows(reader, header, parse_row, key)
    if errors:
        raise InvalidRows(name, errors)
    return entries


def _parse_rows(
    reader: Iterable[list[str]],
    header: list[str],
    parse_row: Callable[[Mapping[str, str | None], int], T],
    key: Callable[[T], Any],
) -> tuple[list[T], list[InvalidEntry]]:
    entries: list[T] = []
    errors: list[InvalidEntry] = []
    seen: dict[Any, int] = {}
    rows = iter(reader)
    line = 1
    while True:
        line += 1
        try:
            values = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(InvalidEntry("row", f"malformed CSV ({exc})", line))
            break
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problem = f"malformed row: {len(values)} fields, the header has {len(header)}"
            errors.append(InvalidEntry("row", problem, line))
            continue
        try:
            entry = parse_row(dict(zip(header, values, strict=True)), line)
        except InvalidEntry as exc:
            errors.append(exc)
            continue
        k = key(entry)
        if k in seen:
            problem = f"{k} is on line {seen[k]} too: one entry each, keep one of the two"
            errors.append(InvalidEntry("row", problem, line))
            continue
        seen[k] = line
        entries.append(entry)
    return entries, errors


def csv_header(data: bytes, name: str) -> list[str]:
    """The column names of a CSV (its first row), as :func:`parse_csv` reads them; empty
    for an empty or malformed file (the parse says what is wrong)."""
    try:
        row = next(csv.reader(io.StringIO(decode_text(data, name), newline="")), [])
    except csv.Error:
        return []
    return column_names(row)


def column_names(row: Sequence[str]) -> list[str]:
    """A CSV header's names as the formats spell them: ``Date `` is ``date`` (a
    spreadsheet capitalises and pads them)."""
    return [h.strip().lower() for h in row]


def _header_errors(header: list[str], columns: Sequence[str]) -> list[InvalidEntry]:
    known = ", ".join(columns)
    for sep, what in ((";", "semicolons"), ("\t", "tabs")):
        if len(header) == 1 and sep in header[0] and columns[0] in header[0].split(sep):
            problem = (
                f"the columns are separated by {what}, not commas (a spreadsheet set to "
                "another language saves CSV so): save it as CSV with commas, decimals with "
                "a point"
            )
            return [InvalidEntry("header", problem, 1)]
    errors = []
    for name in header:
        if name not in columns:
            errors.append(
                InvalidEntry("header", f"unknown column {name!r}; the columns are: {known}", 1)
            )
    if columns[0] not in header:
        errors.append(InvalidEntry("header", f"the column {columns[0]!r} is missing", 1))
    if len(set(header)) != len(header):
        errors.append(InvalidEntry("header", "a column appears twice", 1))
    return errors


def parse_checkins_csv(data: bytes, name: str, today: date) -> list[CheckIn]:
    """Check-ins of a ``symptoms.csv``; one per date."""
    return parse_csv(
        data, name, CHECKIN_COLUMNS, lambda row, line: parse_checkin(row, today, line), _date_key
    )


def parse_heel_drops_csv(
    data: bytes,
    name: str,
    tz: str,
    now: datetime,
    logged: Mapping[datetime, HeelDropSession] | None = None,
) -> list[HeelDropSession]:
    """Sessions of a ``heel_drops.csv``; one per time (``logged``: see parse_heel_drops)."""
    return parse_csv(
        data,
        name,
        DROPS_COLUMNS,
        lambda row, line: parse_heel_drops(row, tz, now, line, logged),
        _time_key,
    )


def write_csv(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def checkins_csv(entries: Iterable[CheckIn]) -> str:
    return write_csv(CHECKIN_COLUMNS, (checkin_row(e) for e in entries))


def heel_drops_csv(entries: Iterable[HeelDropSession]) -> str:
    return write_csv(DROPS_COLUMNS, (heel_drops_row(e) for e in entries))


# --- helpers ---------------------------------------------------------------------------


def _date_key(entry: CheckIn) -> date:
    return entry.date


def _time_key(entry: HeelDropSession) -> datetime:
    return entry.time


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _parse(raw: str, conv: Callable[[str], T], field: str, what: str, line: int | None) -> T:
    try:
        return conv(raw)
    except ValueError as exc:
        raise InvalidEntry(field, f"{raw!r} is not {what}", line) from exc


def _number(row: Mapping[str, str | None], field: str, line: int | None) -> float | None:
    raw = _text(row.get(field))
    if raw is None:
        return None
    value = _parse(raw, float, field, "a number", line)
    if not math.isfinite(value):
        raise InvalidEntry(field, f"{raw!r} is not a number", line)
    return value


def _integer(row: Mapping[str, str | None], field: str, default: int, line: int | None) -> int:
    raw = _text(row.get(field))
    if raw is None:
        return default
    return _parse(raw, int, field, "a whole number", line)


def parse_bool(field: str, value: str | None, line: int | None = None) -> bool | None:
    raw = _text(value)
    if raw is None:
        return None
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise InvalidEntry(field, f"{raw!r} is not true or false", line)


def fmt_number(value: float | None) -> str:
    """``3`` for 3.0, ``2.5`` for 2.5, empty for None."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
