"""Terminal rendering: units, durations and small tables. No computing here."""

from __future__ import annotations

import os
import re
import textwrap
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from analyzer.hills.overview import fmt_hill_length, fmt_length
from analyzer.localtime import local_start
from analyzer.weekly.sport import TOO_FAST, kind_of

M_PER_MI = 1609.344
M_PER_FT = 0.3048


def distance(meters: float | None, units: str) -> str:
    if meters is None:
        return "-"
    if units == "km":
        return f"{meters / 1000:.2f} km"
    return f"{meters / M_PER_MI:.2f} mi"


def elevation(meters: float | None, units: str) -> str:
    if meters is None:
        return "no altitude"
    if units == "km":
        return f"{meters:.0f} m"
    return f"{meters / M_PER_FT:.0f} ft"


def hill_length(meters: float | None, units: str) -> str:
    """How long a hill is: miles from a tenth of a mile (``0.23 mi``), feet below it; km
    from 1 km, metres below it. Heights stay in feet or metres (``elevation``)."""
    return fmt_hill_length(meters, units)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def pace(seconds_per_km: float | None, units: str) -> str:
    if seconds_per_km is None:
        return "-"
    if units == "km":
        return f"{duration(seconds_per_km)} /km"
    return f"{duration(seconds_per_km * M_PER_MI / 1000)} /mi"


def local_time(iso_utc: str, offset_s: int | None) -> str:
    """``YYYY-MM-DD HH:MM (UTC+hhmm)`` in the file's offset, else in UTC."""
    if offset_s is None:
        return local_start(iso_utc, None, None).strftime("%Y-%m-%d %H:%M UTC")
    return local_start(iso_utc, offset_s, None).strftime("%Y-%m-%d %H:%M (UTC%z)")


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    width: int | None = None,
    optional: Sequence[str] = (),
    clip_last: bool = False,
    wrap_last: bool = False,
) -> str:
    """Rows under a ruled header, columns two spaces apart.

    Where the table is wider than ``width`` (the terminal's columns; None: never cut), the
    ``optional`` columns are left out, in that order, until it fits (a free-text last
    column counted at ``NOTE_ROOM``), and a line says which;
    then the last column (free text) is cut with an ellipsis (``clip_last``, and a line
    says so) or wrapped onto lines of its own column (``wrap_last``). Where even that
    cannot fit (the last column at ``WRAP_MIN``), each row becomes a block of every
    column (:func:`stacked`).
    """
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    keep = list(range(len(headers)))
    hidden: list[str] = []
    for name in optional:  # a note gets NOTE_ROOM columns before a column is left out
        if width is None or _narrowest(cells, keep, clip_last or wrap_last, NOTE_ROOM) <= width:
            break
        keep.remove(list(headers).index(name))
        hidden.append(name)
    if width is not None and _narrowest(cells, keep, clip_last or wrap_last) > width:
        return stacked(cells[0], cells[1:], width, free_last=clip_last or wrap_last)
    widths = {i: max(len(row[i]) for row in cells) for i in keep}
    cut, wrap = [], 0
    if (clip_last or wrap_last) and width is not None and keep:
        last = keep[-1]
        room = width - (_table_width(cells, keep) - widths[last])
        if room < widths[last]:
            widths[last] = max(room, len(cells[0][last]), WRAP_MIN if wrap_last else 0)
            if wrap_last:
                wrap = widths[last]
            else:
                cut.append(f"{cells[0][last]} cut")
    lines = []
    for n, row in enumerate(cells):
        pieces = (
            textwrap.wrap(row[keep[-1]], wrap, break_on_hyphens=False)
            if wrap and n
            else [row[keep[-1]]]
        )
        texts = [_clip(row[i], widths[i]).ljust(widths[i]) for i in keep[:-1]]
        lines.append(
            "  ".join([*texts, _clip(pieces[0] if pieces else "", widths[keep[-1]])]).rstrip()
        )
        indent = sum(widths[i] + 2 for i in keep[:-1])
        lines.extend(" " * indent + piece for piece in pieces[1:])
        if n == 0:
            lines.append("  ".join("-" * widths[i] for i in keep))
    if hidden or cut:
        said = " and ".join([f"{', '.join(hidden)} not shown"] * bool(hidden) + cut)
        lines.append(legend(f"({said} at this width: widen the window or use --json)", width))
    return "\n".join(lines)


WRAP_MIN = 12  # a wrapped note keeps at least this many columns, even past the window
NOTE_ROOM = 24  # ... and gets this many before an optional column is kept beside it


def legend(text: str, width: int | None) -> str:
    """A line under a table, wrapped to the terminal's ``width`` (None: one line)."""
    return text if width is None else textwrap.fill(text, width)


def _table_width(cells: Sequence[Sequence[str]], keep: Sequence[int]) -> int:
    return sum(max(len(row[i]) for row in cells) for i in keep) + 2 * (len(keep) - 1)


def _narrowest(
    cells: Sequence[Sequence[str]], keep: Sequence[int], free_last: bool, room: int = 0
) -> int:
    """The columns a table needs at least: its last column, where free text (cut or
    wrapped), at its header or ``room`` (at least ``WRAP_MIN``), whichever is wider (no
    wider than it is)."""
    if not keep:
        return 0
    full = _table_width(cells, keep)
    if not free_last:
        return full
    last = max(len(row[keep[-1]]) for row in cells)
    return full - last + min(last, max(len(cells[0][keep[-1]]), WRAP_MIN, room))


INDENT = "    "  # the body of a block, under its title line


def stacked(
    headers: Sequence[str], rows: Sequence[Sequence[str]], width: int, free_last: bool = False
) -> str:
    """Rows too wide for any table, one block each: the first column as a title line, then
    ``header: value`` pairs packed onto indented lines of ``width`` (a pair is never split);
    a free-text last column (``free_last``: a note) wrapped on lines of its own. Every
    column is shown; an empty note is left out."""
    width = max(width, STACK_MIN)
    pairs_of = range(1, len(headers) - 1 if free_last else len(headers))
    out: list[str] = []
    for row in rows:
        out.append(wrap_hanging(row[0], width, ""))
        pairs = "  ".join(_whole(f"{headers[i]}: {row[i] or '-'}") for i in pairs_of)
        if pairs:
            out.append(wrap_hanging(pairs, width, INDENT, INDENT))
        if free_last and row[-1]:
            label = f"{INDENT}{headers[-1]}: "
            out.append(wrap_hanging(row[-1], width, label, " " * len(label)))
    return "\n".join(out)


STACK_MIN = 24  # a block is laid out at least this wide, whatever the window says


def wrap_hanging(text: str, width: int | None, first: str = "", rest: str = "") -> str:
    """``text`` after ``first``, wrapped to ``width`` with ``rest`` before each further line
    (None: one line). Breaks only at plain spaces, never at a hyphen nor inside a value
    kept whole by :func:`_whole`; the output has plain spaces only."""
    if width is None:
        return (first + text).replace("\u00a0", " ")
    wrapper = textwrap.TextWrapper(
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    )
    return (wrapper.fill(text) or first.rstrip()).replace("\u00a0", " ")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "\u2026"


def share(fraction: float | None) -> str:
    return "-" if fraction is None else f"{fraction * 100:.0f}%"


def _hr_line(a: dict[str, Any]) -> str:
    avg, top = a.get("heart_rate_avg_bpm"), a.get("heart_rate_max_bpm")
    if avg is None:
        return "no heart rate"
    return f"avg {avg:.0f}, max {top:.0f} bpm"


def _easy_line(a: dict[str, Any]) -> str:
    source = a.get("hr_max_source")
    if a.get("heart_rate_avg_bpm") is None:
        return "no heart rate"
    if a.get("hr_max_used_bpm") is None:
        return "no maximum heart rate: set it in the profile, or your age"
    limit = a.get("easy_limit_bpm")
    limit_text = "-" if limit is None else f"{limit:.0f}"
    hint = ""
    if source == "observed":
        # one file's own maximum is rarely the runner's true maximum
        hint = " (set yours: analyzer profile set --hr-max N, or --hr-max here)"
    return (
        f"{duration(a.get('time_below_easy_s'))} under {limit_text} bpm "
        f"({share(a.get('easy_share'))} of moving time); "
        f"max {a['hr_max_used_bpm']:.0f} bpm from {HR_MAX_FROM.get(str(source), source)}{hint}"
    )


#: where the maximum heart rate came from, in words (``hr_max_source``)
HR_MAX_FROM = {"option": "--hr-max"}


def _ascent_line(a: dict[str, Any], units: str) -> str:
    if a.get("ascent_m") is None:
        return "no altitude"
    return (
        f"{elevation(a.get('ascent_m'), units)} up, {elevation(a.get('descent_m'), units)} down"
        f" ({a.get('altitude_source')} altitude)"
    )


def _exposure_line(a: dict[str, Any], units: str) -> str:
    e = a.get("hill_exposure") or {}
    if not e or a.get("ascent_m") is None:
        return "no altitude"
    return (
        f"ran {duration(e.get('uphill_running_s'))} uphill "
        f"(+{elevation(e.get('uphill_running_gain_m'), units)}), "
        f"walked {duration(e.get('uphill_walking_s'))}; "
        f"hills run {e.get('hills_run', 0)}, walked {e.get('hills_walked', 0)}"
    )


#: what ``weekly.sport.kind_of`` calls activities done on wheels, skis or in water, where
#: running and walking (gait, pace, uphill running) mean nothing
NOT_ON_FOOT = frozenset({"ride", "swim", "ski session", TOO_FAST[0]})


def not_on_foot(a: dict[str, Any]) -> str | None:
    """What the activity was where it was not done on foot (``ride``...), else None."""
    kind = kind_of(a)
    return kind if kind in NOT_ON_FOOT else None


def speed(seconds_per_km: float | None, units: str) -> str:
    if not seconds_per_km:
        return "-"
    if units == "km":
        return f"{3600 / seconds_per_km:.1f} km/h"
    return f"{3600 / seconds_per_km * 1000 / M_PER_MI:.1f} mph"


def metric_rows(a: dict[str, Any], units: str) -> list[tuple[str, str]]:
    """The metric lines of one activity, in the user's units; a ride (or swim, ski
    session) gets its speed and no gait, pace or uphill running."""
    if "moving_s" not in a:
        return []
    trimp = a.get("trimp")
    other = not_on_foot(a)
    moving = (
        ("Speed", speed(a.get("pace_s_per_km"), units))
        if other
        else (
            "Pace",
            f"{pace(a.get('pace_s_per_km'), units)}  (grade-adjusted "
            f"{pace(a.get('gap_s_per_km'), units)})",
        )
    )
    gait = f"running {duration(a.get('running_s'))}, walking {duration(a.get('walking_s'))}"
    return [
        ("Moving", duration(a.get("moving_s"))),
        moving,
        ("Ascent", _ascent_line(a, units)),
        ("Gait", f"- (a {other}: not on foot)" if other else gait),
        ("Heart rate", _hr_line(a)),
        ("Easy", _easy_line(a)),
        ("TRIMP", "-" if trimp is None else f"{trimp:.0f}"),
        ("Hills", f"- (a {other})" if other else _exposure_line(a, units)),
    ]


def hills_table(hills: Sequence[dict[str, Any]], units: str, width: int | None = None) -> str:
    """The hills of one run as a small table, in the user's units; one block per hill
    where the table is wider than ``width``."""
    rows: list[tuple[str, ...]] = [
        (
            "up" if h["direction"] == "up" else "down",
            distance(h["start_distance_m"], units),
            hill_length(h["length_m"], units),
            ("+" if h["direction"] == "up" else "-") + elevation(h["gain_m"], units),
            f"{h['grade_avg_pct']:.1f}%",
            f"{h['grade_max_pct']:.1f}%",
            f"{h['score']:.0f}",
            duration(h["duration_s"]),
            "walked" if h["walked"] else share(h["walking_share"]) + " walk",
            "-" if h["heart_rate_avg_bpm"] is None else f"{h['heart_rate_avg_bpm']:.0f}",
        )
        for h in hills
    ]
    headers: tuple[str, ...] = ("hill", "at", "length", "height", "avg", "max", "score", "time")
    headers += ("gait", "bpm")
    return table(headers, rows, width)


def activity_block(a: dict[str, Any], units: str, width: int | None = None) -> str:
    """The human view of one activity of ``inspect``: label and value lines, a value
    wrapped to ``width`` under its own column (None: one line each)."""
    rows = [
        ("Sport", " / ".join(x for x in (a.get("sport"), a.get("sub_sport")) if x) or "unknown"),
        ("Device", a.get("device") or "unknown"),
        ("Start", local_time(a["start_time"], a.get("utc_offset_s"))),
        ("Elapsed", duration(a.get("elapsed_s"))),
        ("Timer", duration(a.get("timer_s"))),
        ("Distance", distance(a.get("distance_m"), units)),
        ("Points", str(a.get("points"))),
        ("Channels", ", ".join(a.get("channels", [])) or "none"),
        *metric_rows(a, units),
    ]
    label = max(len(k) for k, _ in rows) + 2
    text = "\n".join(
        wrap_hanging(_units_whole(v), width, k.ljust(label), " " * label) for k, v in rows
    )
    # a session not on foot (a ride...) has no hills to walk: its Hills line says so,
    # and no table follows it (--json keeps the climbs)
    if a.get("hills") and not_on_foot(a) is None:
        text += "\n\n" + hills_table(a["hills"], units, width)
        text += "\n" + legend(
            "Walking hills is a precaution: evidence on hills and Achilles load is thin.",
            width,
        )
    return text


#: a number and its unit (``110 bpm``, ``3.1 mi``, ``10:32 /mi``), never split by a wrap
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(?:bpm|mi|km|ft|m|/mi|/km|mph|km/h)\b)")


def _units_whole(text: str) -> str:
    return _NUMBER_UNIT.sub("\u00a0", text)


def inspect_report(report: dict[str, Any], units: str, width: int | None = None) -> str:
    """``inspect``'s human output, fitted to a ``width``-column terminal (None: as is)."""
    parts = [report["file"]]
    many = len(report["activities"]) > 1
    for n, a in enumerate(report["activities"]):
        if many:
            parts.append(f"\nSession {n + 1} of {len(report['activities'])}")
        parts.append(activity_block(a, units, width))
    if report["warnings"]:
        parts.append("\nWarnings:")
        parts.extend(wrap_hanging(w, width, "  - ", INDENT) for w in report["warnings"])
    return "\n".join(parts)


# --- the store's views (import summary, activities, logs, profile) -------------------------


def percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f}%"


def score(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}"


#: how an import outcome reads in the summaries ("present": stored already, not re-read)
OUTCOME_LABELS = {"present": "already present", "reread": "read again"}


def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome.replace("_", " "))


def file_warnings(report: dict[str, Any]) -> list[str]:
    """What reading each stored file recovered from, led by the file's name, once each."""
    out: list[str] = []
    for o in report["files"]:
        for w in o.get("warnings") or ():
            line = w if w.startswith(o["file"]) else f"{o['file']}: {w}"
            if line not in out:
                out.append(line)
    return out


def import_summary(report: dict[str, Any], units: str, width: int | None = None) -> str:
    """Counts per outcome, then one line per file that was not simply already present.

    Paths are shown from the folder all of them share (named above the table). On a
    terminal (``width``) the table is fitted to it and at most ``SHOWN_ON_TERMINAL``
    files are listed; piped, every file is. Failed files follow the table, each with
    its whole reason.
    """
    counts = report["counts"]
    shown_counts = [(k, v) for k, v in counts.items() if v or k != "reread"]
    head = table(["outcome", "count"], [(k.replace("_", " "), v) for k, v in shown_counts])
    listed = [o for o in report["files"] if o["outcome"] not in ("present", "reread")]
    root = _common_folder([o["file"] for o in listed]) if len(listed) > 1 else ""
    rows, failed = [], []
    sessions = Counter(o["file"] for o in listed)
    for o in listed:
        name, detail = _under(o["file"], root), _detail(o, root, units)
        index = str(o.get("activity_id") or "").rpartition("-")[2]
        if sessions[o["file"]] > 1 and index.isdigit():  # the legs of a multisport file
            name += f" #{int(index) + 1}"
        if o["outcome"] == "failed":
            failed.append(legend(f"failed: {name}: {detail}", width))
        else:
            rows.append((name, o["outcome"], detail))
    parts = [head]
    if counts.get("present"):
        parts.append(f"\n{counts['present']} already present.")
    if counts.get("reread"):
        parts.append(f"\n{counts['reread']} read again: their streams and summaries rewritten.")
    if rows:
        shown = rows if width is None else rows[:SHOWN_ON_TERMINAL]
        parts.append("\n" + (f"In {root}:\n" if root else "") + _files_table(shown, width))
        if len(rows) > len(shown):
            parts.append(f"... and {len(rows) - len(shown)} more (--json lists every file)")
    if failed:
        parts.append("")
        parts += failed
    warnings = [*(report.get("warnings") or []), *file_warnings(report)]
    parts += [legend(f"warning: {_under(w, root)}", width) for w in warnings]
    # the files of this import analysed again once every maximum was known is an inner
    # step; only summaries shown before that changed are worth a line
    earlier = report.get("recomputed_earlier")
    if earlier:
        parts.append("")
        parts.append(
            legend(
                f"{earlier} {'summary' if earlier == 1 else 'summaries'} of activities "
                "stored before brought up to date from their streams (a new maximum heart "
                "rate seen, a newer version of the analysis, or an interrupted reread).",
                width,
            )
        )
    return "\n".join(parts)


SHOWN_ON_TERMINAL = 40  # files listed by an import on a terminal; piped output lists all


def _detail(outcome: dict[str, Any], root: str, units: str) -> str:
    """What became of one file: the run's date and distance, or the message without the
    file's own name, its paths under ``root`` shortened."""
    if outcome["outcome"] == "imported":
        day = outcome.get("local_date") or ""
        return f"{day} {distance(outcome.get('distance_m'), units)}".strip()
    detail = (outcome.get("message") or "").removeprefix(f"{outcome['file']}: ")
    if root:  # only a path that starts with the shared folder
        detail = re.sub(r"(^|\s)" + re.escape(root), r"\1", detail)
    return detail


def _files_table(rows: list[tuple[str, str, str]], width: int | None) -> str:
    """The import's file, outcome, detail rows: a table with every detail whole, or a
    block per file where the names would be left too short beside the details."""
    head = ["file", "outcome", "detail"]
    if width is None:  # piped: every name and detail whole on its line
        return table(head, rows)
    fitted = _fit_names(rows, width)
    if fitted is None:
        return stacked(head, rows, width, free_last=True)
    return table(head, fitted, width, clip_last=True)


def _fit_names(rows: list[tuple[str, str, str]], width: int) -> list[tuple[str, str, str]] | None:
    """Rows that fit a ``width``-column terminal with every detail whole ("duplicate of
    2017-10-08 sports-lib/2067489619.fit" says which run): file names as they are where
    there is room, else cut in the middle (``4078…strava.gpx``), so that names differing
    at either end stay apart; None where that leaves the names fewer than ``NAME_MIN``
    columns (the caller shows a block per file instead)."""
    outcome = max(len("outcome"), *(len(r[1]) for r in rows))
    name = max(len("file"), *(len(r[0]) for r in rows))
    detail = max(len("detail"), *(len(r[2]) for r in rows))
    room = width - outcome - detail - 4
    if room >= name:
        return rows
    if room < NAME_MIN:
        return None
    return [(clip_middle(f, room), o, d) for f, o, d in rows]


NAME_MIN = 24  # columns a file name keeps in the import table, else blocks


def clip_middle(text: str, width: int) -> str:
    """``text`` cut to ``width`` in the middle, keeping its start and (a little more of)
    its end, where the suffix and a copy's ``_strava`` or ``-1`` are."""
    if len(text) <= width:
        return text
    head = (width - 1) // 2
    tail = width - 1 - head
    return text[:head] + "\u2026" + text[len(text) - tail :]


def _common_folder(files: Sequence[str]) -> str:
    """The folder (with its trailing slash) holding every file, "" if none is shared."""
    folders = [f.rsplit("/", 1)[0] + "/" for f in files if "/" in f]
    if len(folders) != len(files) or not folders:
        return ""
    try:
        root = os.path.commonpath(folders)
    except ValueError:  # relative and absolute paths together share no folder
        return ""
    return root + "/" if root not in ("", "/", ".") else ""


def _under(file: str, root: str) -> str:
    return file[len(root) :] if root and file.startswith(root) else file


def start_clock(iso_utc: str, offset_s: int | None, tz: str) -> str:
    """Local ``HH:MM`` of a UTC start: the file's offset, else the profile's time zone."""
    return local_start(iso_utc, offset_s, tz).strftime("%H:%M")


def activities_table(
    rows: Sequence[dict[str, Any]], units: str, tz: str = "UTC", width: int | None = None
) -> str:
    """One line per stored activity, in ``units``; starts in local time."""
    body = []
    for a in rows:
        foot = not_on_foot(a) is None  # a ride: its speed, and no hills run or walked
        hills = "-"
        if foot and (a.get("hills_run") is not None or a.get("hills_walked") is not None):
            hills = f"{a.get('hills_run') or 0}/{a.get('hills_walked') or 0}"
        file_hash, _, session = str(a["id"]).rpartition("-")
        body.append(
            (
                f"{a['local_date']} {start_clock(a['start_time'], a.get('utc_offset_s'), tz)}",
                a.get("sport") or "-",
                distance(a.get("distance_m"), units),
                duration(a.get("moving_s") if a.get("moving_s") is not None else a.get("timer_s")),
                pace(a.get("pace_s_per_km"), units)
                if foot
                else speed(a.get("pace_s_per_km"), units),
                "-" if a.get("ascent_m") is None else elevation(a.get("ascent_m"), units),
                percent(a.get("easy_share")),
                hills,
                a.get("source_format") or "-",
                f"{file_hash[:8]}-{session}" if file_hash else str(a["id"])[:12],
            )
        )
    headers = ["start", "sport", "distance", "moving", "pace", "ascent", "easy", "hills"]
    headers += ["format", "id"]
    keys = (
        "pace: speed for rides; easy: share of moving time under the easy limit; "
        "hills: run/walked; id: file-session."
    )
    text = table(headers, body, width, optional=("id", "format"))
    return text + "\n" + legend(keys, width)


def checkins_table(rows: Sequence[dict[str, Any]], width: int | None = None) -> str:
    body = [
        (
            r["date"],
            score(r.get("morning_stiffness")),
            score(r.get("morning_stiffness_minutes")),
            score(r.get("morning_pain")),
            score(r.get("pain_during")),
            score(r.get("pain_after")),
            score(r.get("pinch_tenderness")),
            {None: "-", True: "yes", False: "no"}[r.get("swelling")],
            r.get("side") or "-",
            r.get("note") or "",
        )
        for r in rows
    ]
    headers = [
        "date",
        "stiff",
        "min",
        "am pain",
        "during",
        "after",
        "pinch",
        "swell",
        "side",
        "note",
    ]
    keys = (
        "stiff: morning stiffness, lasting min minutes; am pain: on getting up; during, "
        "after: pain during and after a run; pinch: tenderness; scores 0-10; swell: "
        "swelling seen."
    )
    # the side is mostly the profile's: it goes first where the window is narrow
    table_text = table(headers, body, width, optional=("side",), wrap_last=True)
    return table_text + "\n" + legend(keys, width)


def _minute(stamp: Any) -> str:
    """``YYYY-MM-DD HH:MM`` of a logged time, as the runner gave it (their own offset)."""
    try:
        return datetime.fromisoformat(str(stamp)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(stamp)


def heel_drops_table(rows: Sequence[dict[str, Any]], width: int | None = None) -> str:
    body = [
        (
            _minute(r["time"]),
            r["straight_knee_sets"],
            r["bent_knee_sets"],
            r["reps"],
            score(r.get("added_load_kg")),
            r.get("note") or "",
        )
        for r in rows
    ]
    headers = ["time", "straight sets", "bent sets", "reps", "load kg", "note"]
    return table(headers, body, width, wrap_last=True)


def profile_table(rows: Sequence[tuple[str, Any, str]], width: int | None = None) -> str:
    """(setting, value, source) rows; one block per setting where ``width`` is too narrow."""
    body = [(name, "-" if value is None else value, source) for name, value, source in rows]
    return table(["setting", "value", "source"], body, width)


def _hill_row(h: dict[str, Any], units: str) -> tuple[str, ...]:
    s = h["stiffness"]
    stiff = (
        f"{s['after_run']:.1f} run / {s['after_walked']:.1f} walked"
        if s["enough_data"]
        else "not enough data"
    )
    return (
        h["id"],
        h["name"],
        "WALK (" + ", ".join(f["rule"] for f in h["flags"]) + ")" if h["flagged"] else "-",
        f"{h['grade_avg_pct']:.1f}%/{h['grade_max_pct']:.1f}%",
        hill_length(h["length_m"], units),
        "+" + fmt_length(h["gain_m"], units),
        f"{h['score']:.0f}",
        f"{h['times_run']}/{h['times_walked']}",
        "-" if h["heart_rate_run_bpm"] is None else f"{h['heart_rate_run_bpm']:.0f}",
        stiff,
    )


FLATTER_SHOWN = 3  # the flattest alternatives named per route; --json lists them all


def _route_row(r: dict[str, Any], names: dict[str, str], units: str) -> tuple[str, ...]:
    keys = r["flatter_routes"]
    flatter = ", ".join(f"{k} {names.get(k, '')}".strip() for k in keys[:FLATTER_SHOWN])
    if len(keys) > FLATTER_SHOWN:
        flatter += f" and {len(keys) - FLATTER_SHOWN} more"
    return (
        r["id"],
        r["name"],
        str(r["runs"]),
        distance(r["distance_m"], units),
        fmt_length(r["ascent_m"], units),
        ", ".join(r["hills"]) or "-",
        str(r["flagged_hills"]),
        flatter or "-",
    )


def hills_report(data: dict[str, Any], units: str, width: int | None = None) -> str:
    """``analyzer hills``: recurring hills (flagged first), routes, and the rules used.

    Tables where they fit ``width`` (None: always), else one indented block per hill and
    per route, wrapped to the width.
    """
    if not data["hills"] and not data["routes"]:
        return "No runs with GPS stored yet: analyzer import PATH..."
    s = data["settings"]
    hill_head = (
        *("id", "hill", "flag", "grade avg/max", "length", "gain", "score"),
        *("run/walked", "bpm run", "next-morning stiffness"),
    )
    names = {r["id"]: r["name"] for r in data["routes"]}
    route_head = ("id", "route", "runs", "distance", "ascent", "hills", "flagged", "flatter")
    hill_rows = [_hill_row(h, units) for h in data["hills"]]
    route_rows = [_route_row(r, names, units) for r in data["routes"]]
    hills_text = table(hill_head, hill_rows) if hill_rows else "none"
    routes_text = table(route_head, route_rows)
    if (
        width is not None
        and max(len(x) for x in (hills_text + "\n" + routes_text).split("\n")) > width
    ):
        hills_text = "\n".join(_hill_block(row, width) for row in hill_rows) or "none"
        routes_text = "\n".join(_route_block(row, width) for row in route_rows)
    rules = (
        f"Walk rules: average grade >= {s['walk_grade_pct']:g}%, score (length m x grade %) "
        f">= {s['walk_score']:g}, or next-morning stiffness >= {s['walk_stiffness_points']:g} "
        f"points higher after running it than after walking it (>= "
        f"{s['walk_stiffness_min_n']} mornings of each)."
    )
    caution = (
        "Walking hills is a precaution: evidence on hills and Achilles load is thin "
        "(Neves et al. 2014). Not medical advice."
    )
    rules, caution = legend(rules, width), legend(caution, width)
    lines = [
        legend(
            f"Hills on your runs (flagged 'walk' first, then by score; {_recurring(data)} of "
            "them on more than one run):",
            width,
        ),
        hills_text,
        "",
        "Routes (typical distance and ascent are medians):",
        routes_text,
        "",
        rules,
        caution,
    ]
    return "\n".join(lines)


def _recurring(data: dict[str, Any]) -> int:
    """Hills found on more than one run (a loop run twice passes its hill twice in one)."""
    return sum(1 for h in data["hills"] if len(h.get("activity_ids") or ()) > 1)


def _block(head: str, body: str, width: int) -> str:
    """A first line, then the body wrapped to ``width`` under a four-space indent; a line
    breaks only between words, never inside a value (``_whole``) or at a hyphen."""
    first = wrap_hanging(head, width, "", INDENT)
    return first + "\n" + wrap_hanging(body, width, INDENT, INDENT)


def _whole(value: str) -> str:
    """``value`` with no space a line may break at (``+50 ft``, ``140 bpm``)."""
    return value.replace(" ", "\u00a0")


def _hill_block(row: tuple[str, ...], width: int) -> str:
    ident, name, flag, grade, length, gain, score_, runs, bpm, stiff = row
    run, walked = runs.split("/")
    avg, top = grade.split("/")
    flag_text = f"{flag}: " if flag != "-" else ""
    body = (
        f"{flag_text}grade {_whole(avg + ' avg')}, {_whole(top + ' max')}; "
        f"{_whole(length + ' long')}, {_whole(gain)}; score {score_}; "
        f"run {run}x, walked {walked}x; "
        + ("" if bpm == "-" else f"{_whole(bpm + ' bpm')} running; ")
        + f"next-morning stiffness: {stiff}."
    )
    return _block(f"{ident}  {name}", body, width)


def _route_block(row: tuple[str, ...], width: int) -> str:
    ident, name, runs, dist, ascent, hills, flagged, flatter = row
    on_it = "no hills" if hills == "-" else f"hills {hills} ({flagged} flagged)"
    body = (
        f"{runs} run{'' if runs == '1' else 's'}, typically {_whole(dist)} and "
        f"{_whole(ascent)} up; {on_it}; "
        + ("no flatter route nearby." if flatter == "-" else f"flatter: {flatter}.")
    )
    return _block(f"{ident}  {name}", body, width)


def visa_a_table(rows: Sequence[dict[str, Any]], width: int | None = None) -> str:
    """One line per VISA-A result: total, change from the one before, the item scores."""
    lines = []
    for r in rows:
        change = "" if r["change"] is None else f"{r['change']:+d}"
        items = " ".join(str(v) for v in r["items"])
        lines.append((r["date"], f"{r['total']}/100", change, items, r["q8_branch"] or "-"))
    return table(["date", "total", "change", "items 1-8", "item 8"], lines, width)
