"""Weekly pages and the index, from weekly/ frames, with Jinja2 (autoescape on).

Pages carry no inline script: figures ride as JSON in ``<script type="application/json">``
blocks (``<``, ``>`` and ``&`` escaped, so no ``</script>`` breakout), and
``assets/report.js`` draws them with the shared ``assets/plotly.min.js``. That lets each
page set a Content-Security-Policy of ``script-src 'self'``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from analyzer.hills.asof import HillsHistory
from analyzer.hills.overview import HillsOverview
from analyzer.metrics.heart import TRIMP_COEFFICIENTS, rest_bpm, threshold_bpm
from analyzer.report import answers, figures, hills_page
from analyzer.report.figures import records
from analyzer.report.units import Units, fmt_clock, fmt_minutes
from analyzer.settings import Settings
from analyzer.weekly.associations import (
    BOOTSTRAP,
    NOT_CAUSE,
    Link,
    flat_words,
    lump_words,
    never_logged,
    never_words,
    no_pairs_words,
)
from analyzer.weekly.daily import iso_week, week_start
from analyzer.weekly.inputs import Inputs
from analyzer.weekly.lights import run_label
from analyzer.weekly.source import StoreLike, from_store
from analyzer.weekly.view import (
    History,
    WeekView,
    current_week,
    history,
    left_out,
    week_view,
)

ASSETS = "assets"
STATIC = ("report.css", "report.js")
LIGHT_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", "none": "Not judged"}


#: the hills a report is written with: a whole-history overview (used for every page), or
#: a ``HillsHistory`` that gives each week page the hills as of that week's end
Hills = HillsOverview | HillsHistory


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("analyzer.report", "templates"),
        autoescape=True,  # every string from files or the user is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = plain_number
    env.filters["span"] = span_words
    return env


def figure_json(figure: dict[str, Any]) -> Markup:
    """Strict JSON safe inside a ``<script type="application/json">`` block."""
    text = json.dumps(figure, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)  # noqa: S704 - escaped for this context above


class Figures:
    """The figures of one page, numbered in order; each becomes a placeholder div."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, figure: dict[str, Any], label: str) -> dict[str, Any]:
        item = {"id": f"fig-{len(self.items) + 1}", "json": figure_json(figure), "label": label}
        self.items.append(item)
        return item


def write_assets(out: Path) -> Path:
    """``out/assets/``: plotly.min.js once (shared by every page), the CSS and script."""
    assets = out / ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    plotly_js = assets / "plotly.min.js"
    if not plotly_js.exists():
        from plotly.offline import get_plotlyjs

        _write(plotly_js, get_plotlyjs())
    for name in STATIC:
        text = resources.files("analyzer.report").joinpath("templates", name).read_text("utf-8")
        _write(assets / name, text)
    return assets


def _write(path: Path, text: str) -> None:
    """Write atomically: a reader (a browser, a watcher) never sees half a page."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _score(value: Any) -> str:
    v = _num(value)
    return "–" if v is None else f"{v:g}"


def _mean_score(value: Any) -> str:
    """A weekly mean of 0-10 scores to one decimal (``1.9``, ``2.0``); ``–`` for none."""
    v = _num(value)
    return "–" if v is None else f"{v:.1f}"


def _change(value: Any) -> str:
    v = _num(value)
    return "–" if v is None else f"{v:+g}"


def _change_or_none(value: Any) -> str | None:
    """A change of score from the run's morning to the next (``+1``, ``0``); None unknown."""
    v = _num(value)
    return None if v is None else _change(v)


def _change_between(before: Any, after: Any) -> str | None:
    """``after - before`` as a change of score; None where either is unknown."""
    a, b = _num(after), _num(before)
    return None if a is None or b is None else _change(a - b)


def _pct(value: Any) -> str:
    v = _num(value)
    return "–" if v is None else f"{v:.0%}"


def plain_number(value: Any, digits: int = 1) -> str:
    """A setting as people write it: ``2`` for 2.0, ``1.5`` for 1.5 (``|int`` said "less
    than 1 points" for 1.5); at most ``digits`` decimals."""
    v = _num(value)
    if v is None:
        return "–"
    text = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def span_words(seconds: Any) -> str:
    """A window of time for prose: ``2 h``, ``1.5 h``, ``45 min``, ``1 h 10 min``."""
    v = _num(seconds)
    if v is None:
        return "–"
    if v >= 3600 and v % 1800 == 0:
        return f"{plain_number(v / 3600)} h"
    return fmt_minutes(v)


# --- the glance ---------------------------------------------------------------------------


def left_out_words(others: pd.DataFrame, units: Units) -> str:
    """``1 ride (18.0 mi), 3 transitions (0.5 mi)``: what is not counted as running."""
    return ", ".join(
        f"{what} ({units.fmt_dist(dist, 1)})" if dist > 0 else what
        for what, dist in left_out(others)
    )


def hill_mornings(
    runs: pd.DataFrame, more: Iterable[str] = (), min_pairs: int = Settings.link_min_pairs
) -> list[str]:
    """Plain sentences: next-morning stiffness after runs with a hill run vs the others,
    then ``more`` (the same for runs not mostly easy), and, with fewer runs than the link
    needs pairs, that a week is no pattern."""
    known = runs[runs["stiffness_change"].notna()]
    ran_hill = known["hills_run"].fillna(0) > 0
    lines = []
    for rows, where in ((ran_hill, "where a hill was run"), (~ran_hill, "where no hill was run")):
        line = answers.after_runs(known.loc[rows, "stiffness_change"], where, where)
        if line:
            lines.append(line)
    lines += more
    if lines and len(known) < min_pairs:  # a week's few runs are an observation, no pattern
        lines.append(
            f"{len(known)} run{'s' if len(known) > 1 else ''} with both mornings logged this "
            "week: what one week shows, not a pattern; the link below reads the whole history."
        )
    return lines


def hill_count_words(walking: bool, seconds: float | None, hills: int) -> str:
    """The small print of an uphill tile. Its time counts every second of that gait on
    any climb, while a hill counts as walked only when most of its time (the setting
    ``hill_walked_share``) was walking, else as run: walking time can come from hills
    that were run. So a count of 0 beside some time says where the time came from."""
    verb, other = ("walked", "run") if walking else ("run", "walked")
    if hills > 0:
        return f"{hills} hill{'' if hills == 1 else 's'} {verb}"
    if seconds is not None and seconds > 0:
        gait = "walking" if walking else "running"
        return f"{gait} on hills {other}; none counts as {verb}"
    return f"no hill {verb}"


def hill_rule_words(settings: Settings) -> str:
    """The tiles' tooltip: what the uphill times and the hill counts each count."""
    return (
        "Uphill time: every second on a climb, by gait, whichever way the hill counts. "
        f"A hill counts as walked when at least {settings.hill_walked_share:.0%} of its "
        "time was walking, else as run."
    )


def drops_programme_words(t: pd.Series, s: Settings) -> str:
    """The week's sessions against the programme: ``9 full 3×15 + 3×15, up to 2.5 kg
    added``; empty with no sessions."""
    sessions = int(t["drops_sessions"])
    if not sessions:
        return ""
    full = int(t["drops_full"])
    shape = (
        f"{s.drops_sets_target}×{s.drops_reps_target} + {s.drops_sets_target}×{s.drops_reps_target}"
    )
    which = "all" if full == sessions else f"{full} full"
    load = _num(t.get("drops_load_max_kg"))
    added = f", up to {load:g} kg added" if load else ", no load added"
    return f"{which} {shape}{added}"


def glance(view: WeekView, units: Units) -> dict[str, Any]:
    t = view.totals
    a = view.assessment
    return {
        "light": a.verdict.light,
        "headline": a.verdict.words,
        # red flags have their own box: the reasons list the rest
        "reasons": [r for r in a.verdict.reasons if r not in {f.detail for f in a.red_flags}],
        "flags": [f.text for f in a.red_flags],
        "runs": int(t["runs"]),
        "distance": units.fmt_dist(_num(t["distance_m"])),
        "time": fmt_clock(_num(t["moving_s"])),
        "ascent": units.fmt_high(_num(t["ascent_m"])),
        "easy_share": _pct(t["easy_share"]),
        "hill_run": fmt_minutes(_num(t["uphill_run_s"])),
        "hill_walk": fmt_minutes(_num(t["uphill_walk_s"])),
        "hills_run": int(t["hills_run"]),
        "hills_walked": int(t["hills_walked"]),
        "hill_run_note": hill_count_words(False, _num(t["uphill_run_s"]), int(t["hills_run"])),
        "hill_walk_note": hill_count_words(True, _num(t["uphill_walk_s"]), int(t["hills_walked"])),
        "hill_rule": hill_rule_words(view.settings),
        "rest_days": int(t["rest_days"]),
        "back_to_back": int(t["back_to_back"]),
        "drops": f"{t['drops_sessions']:.0f} of {t['drops_target']:.0f}",
        **so_far(view),
        "drops_after_run": int(t["drops_after_run"]),
        "drops_programme": drops_programme_words(t, view.settings),
        "visa_a": _score(a.visa_a_latest),
        "visa_a_previous": _score(a.visa_a_previous),
        **_visa_a_dates(view.visa_a),
        "stiffness_mean": _mean_score(t.get("stiffness_mean")),
        "pain_mean": _mean_score(t.get("morning_pain_mean")),
        "hill_mornings": hill_mornings(
            view.runs, answers.easy_mornings(view.runs), view.settings.link_min_pairs
        ),
        "settling": answers.settling(view),
        "kept": answers.kept(view, units, _easy_limit(view)),
        "left_out": left_out_words(view.others, units),
    }


def so_far(view: WeekView) -> dict[str, str | None]:
    """In a week still going on (days still to come): ``so_far``, the days its totals
    cover (``Mon 23 – Wed 25 Nov (today)``), for the words "so far"; None once the week
    has ended."""
    to_come = int(_num(view.totals.get("days_to_come")) or 0)
    if to_come <= 0:
        return {"so_far": None}
    if to_come >= 7:
        return {"so_far": "none of its days yet"}
    first, last = view.start, view.start + pd.Timedelta(days=6 - to_come)
    span = day_words(first) if first == last else f"{day_words(first)} – {day_words(last)}"
    return {"so_far": f"{span} (today)"}


def day_words(day: pd.Timestamp) -> str:
    """``Wed 25 Nov``."""
    return f"{day:%a} {day.day} {day:%b}"


def _visa_a_dates(visa_a: pd.DataFrame) -> dict[str, str | None]:
    """``12 Nov 2026``: the dates of the latest VISA-A up to the week's end and of the one
    before, among the results with a total (the rows ``daily.visa_a_latest`` reads)."""
    scored = visa_a.dropna(subset=["total"]) if len(visa_a) else visa_a
    dates = sorted(pd.to_datetime(scored["date"]).dropna()) if len(scored) else []
    shown = [f"{d.day} {d:%b %Y}" for d in dates[-2:]]
    latest = shown[-1] if shown else None
    previous = shown[-2] if len(shown) > 1 else None
    return {"visa_a_date": latest, "visa_a_previous_date": previous}


def route_names(hills: HillsOverview | None) -> dict[str, str]:
    """Activity id -> the name of the recurring route it belongs to."""
    if hills is None:
        return {}
    return {a: route.name for route in hills.routes for a in route.activity_ids}


def run_rows(
    view: WeekView, units: Units, routes: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The runs table; the route is the recurring route, else the activity's own name."""
    rows = []
    routes = routes or {}
    for r in records(view.runs):
        rows.append(
            {
                "date": run_label(r["local_start"]),
                "clock": f"{r['local_start']:%H:%M}",
                "route": routes.get(str(r["id"])) or r["name"] or "–",
                "title": r["name"] if routes.get(str(r["id"])) and r["name"] else None,
                "distance": units.fmt_dist(_num(r["distance_m"])),
                "time": fmt_clock(_num(r["moving_s"])),
                "pace": units.fmt_pace(_num(r["pace_s_per_km"])),
                "gap": units.fmt_pace(_num(r["gap_s_per_km"])),
                "ascent": units.fmt_high(_num(r["ascent_m"])),
                "hills": f"{_int(r['hills_run'])} / {_int(r['hills_walked'])}",
                "easy": _pct(r["easy_share"]),
                "hr": _score(round(r["heart_rate_avg_bpm"]))
                if _num(r["heart_rate_avg_bpm"])
                else "–",
                "trimp": f"{r['trimp']:.0f}" if _num(r["trimp"]) is not None else "–",
                "stiffness": _score(r["next_stiffness"]),
                "stiffness_change": _change_or_none(r["stiffness_change"]),
                "pain": _score(r.get("next_pain")),
                "pain_change": _change_between(r.get("morning_pain"), r.get("next_pain")),
                "light": r["light"],
                "why": "; ".join(r["reasons"]),
            }
        )
    return rows


def _int(value: Any) -> str:
    v = _num(value)
    return "–" if v is None else str(int(v))


def day_rows(view: WeekView) -> list[dict[str, str]]:
    """Each day of the week with its light, the reasons in words and the note logged:
    DOMAIN gives every day a light with its reason, not only the runs and the week."""
    rows = []
    for day, r in zip(view.days.index, records(view.days), strict=True):
        note = r.get("note")
        reasons = r.get("reasons")
        rows.append(
            {
                "day": day_words(pd.Timestamp(day)),
                "light": str(r.get("light") or "none"),
                "why": "; ".join(reasons) if isinstance(reasons, tuple | list) else "",
                "note": str(note) if isinstance(note, str) and note.strip() else "",
            }
        )
    return rows


HR_MAX_SOURCES = {
    "profile": "set in your profile",
    "observed": "the highest heart rate held for {hold:g} s in your history",
    "estimate": "estimated as 208 − 0.7 × age (Tanaka)",
    "none": "not known: none in your profile, no age, no heart rate held for {hold:g} s",
}
HR_MAX_COMMAND = "analyzer profile set --hr-max N"


def hr_max_used(view: WeekView) -> tuple[float | None, str]:
    """The maximum heart rate the week's easy limit rests on (bpm) and its source
    (``profile``, ``observed``, ``estimate``, ``none``; "" without runs): the latest of
    the week's runs, else of the history before it."""
    for runs in (view.runs, view.history_runs):
        known = runs[runs["hr_max_source"].notna()]
        if len(known):
            last = known.iloc[-1]
            return _num(last["hr_max_used_bpm"]), str(last["hr_max_source"])
    return None, ""


def easy_limit_bpm(hr_max: float | None, settings: Settings) -> float | None:
    """The easy limit on ``hr_max``: a share of it, or of the reserve (Karvonen)."""
    if hr_max is None:
        return None
    return threshold_bpm(settings.easy_fraction, hr_max, rest_bpm(settings), settings)


def rest_words(settings: Settings) -> str:
    """The resting heart rate TRIMP and the reserve model rest on, and where it came
    from: ``52 bpm, from your profile`` or ``60 bpm, the default (no resting heart rate
    in your profile: analyzer profile set --hr-rest N)``."""
    if settings.hr_rest_bpm:
        return f"{settings.hr_rest_bpm:.0f} bpm, from your profile"
    fallback = settings.hr_rest_default_bpm
    default = fallback == Settings().hr_rest_default_bpm
    whose = "the default" if default else "your profile's fallback"
    return (
        f"{fallback:.0f} bpm, {whose} (no resting heart rate in your profile: analyzer "
        "profile set --hr-rest N)"
    )


def trimp_words(settings: Settings) -> str:
    """Which of Banister's coefficients TRIMP uses, and why."""
    a, b = TRIMP_COEFFICIENTS["female" if settings.sex == "female" else "male"]
    if settings.sex == "female":
        return f"the women's coefficients ({a:g} and {b:g}), your profile saying female"
    if settings.sex == "male":
        return f"the men's coefficients ({a:g} and {b:g}), your profile saying male"
    return (
        f"the men's coefficients ({a:g} and {b:g}), the default: your profile gives no sex "
        "(analyzer profile set --sex female for the women's, 0.86 and 1.67)"
    )


def changed_settings(settings: Settings) -> list[str]:
    """The settings whose value is not the default (``hr_rest_bpm 52``), in the order
    ``profile show`` lists them: every other threshold on the page is the default."""
    defaults = Settings().to_dict()
    now = settings.to_dict()
    return [f"{k} {plain_value(v)}" for k, v in now.items() if v != defaults.get(k)]


def plain_value(value: Any) -> str:
    """A setting's value as ``profile show`` would read it: ``0.7``, ``km``, ``5, 6``."""
    if isinstance(value, list | tuple):
        return ", ".join(plain_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def easy_rule_words(hr_max: float | None, settings: Settings) -> str:
    """How the easy limit is worked out, with the numbers: ``under 70% of maximum heart
    rate: 0.70 × 178 = 125 bpm``, or with the reserve (Karvonen) model ``under rest + 70%
    of the heart-rate reserve (Karvonen): 52 + 0.70 × (183 − 52) = 144 bpm``."""
    share = settings.easy_fraction
    pct = f"{share:.0%}"
    limit = easy_limit_bpm(hr_max, settings)
    if settings.hr_model == "reserve":
        rest = rest_bpm(settings)
        head = f"under rest + {pct} of the heart-rate reserve (Karvonen)"
        if hr_max is None or limit is None:
            return head
        return f"{head}: {rest:.0f} + {share:.2f} × ({hr_max:.0f} − {rest:.0f}) = {limit:.0f} bpm"
    head = f"under {pct} of maximum heart rate"
    if hr_max is None or limit is None:
        return head
    return f"{head}: {share:.2f} × {hr_max:.0f} = {limit:.0f} bpm"


def recordings_words(others: pd.DataFrame | None) -> str:
    """What the held maximum is taken from: every recording of the store, so where it
    holds activities that are not runs, `` (1 ride and 3 walks included)``; "" where it
    holds runs alone (``others``: the history's activities that are not runs)."""
    if others is not None and "heart_rate_max_bpm" in others.columns:
        others = others[others["heart_rate_max_bpm"].notna()]  # only those with heart rate
    if others is None or others.empty:
        return ""
    return f" ({and_join([what for what, _ in left_out(others)])} included)"


def hr_max_notice(view: WeekView, others: pd.DataFrame | None = None) -> dict[str, str] | None:
    """What the top of the week page says when the maximum heart rate is not the
    profile's: taken from the data (an easy runner's highest is well under the true
    maximum, so the easy share comes out too small), estimated from age, or unknown.
    ``others``: the activities of the whole history that are not runs (``History.others``;
    the held maximum is taken from every recording). None when the profile gives it, or
    with no runs."""
    bpm, source = hr_max_used(view)
    if source in ("", "profile"):
        return None
    s = view.settings
    limit = easy_limit_bpm(bpm, s)
    limit_words = "" if limit is None else f" (easy: under {limit:.0f} bpm)"
    if source == "observed" and bpm is not None:
        text = (
            f"This page takes {bpm:.0f} bpm as your maximum: the highest heart rate you held "
            f"for {s.hr_max_hold_s:g} s in your recordings{recordings_words(others)}"
            f"{limit_words}. If you mostly run easily, "
            "your true maximum is higher, so the easy limit is too low and the easy share "
            "shown here too small."
        )
    elif source == "estimate" and bpm is not None:
        text = (
            f"This page takes {bpm:.0f} bpm as your maximum, estimated from your age as "
            f"208 − 0.7 × age{limit_words}. A true maximum often lies 10 bpm or more either "
            "side of this estimate, so the easy share may be off."
        )
    else:
        text = (
            "No maximum heart rate is known (none in your profile, no age, no heart rate "
            f"held for {s.hr_max_hold_s:g} s), so the easy share cannot be worked out."
        )
    return {"text": text, "command": HR_MAX_COMMAND}


def method(view: WeekView, units: Units) -> dict[str, Any]:
    """The thresholds used and where the numbers came from."""
    s = view.settings
    hr_max, src = hr_max_used(view)
    source = HR_MAX_SOURCES.get(src, src or "unknown").format(hold=s.hr_max_hold_s)
    limit = easy_limit_bpm(hr_max, s)
    return {
        "hr_max": "–" if hr_max is None else f"{hr_max:.0f} bpm",
        "hr_max_source": source,
        "easy_limit": "–" if limit is None else f"{limit:.0f} bpm",
        "easy_rule": easy_rule_words(hr_max, s),
        "rest": rest_words(s),
        "trimp": trimp_words(s),
        "changed": changed_settings(s),
        "settings": s,
        "pain": view.pain,
        "altitude": altitude_words(view.runs),
        "units": units,
    }


ALTITUDE_SOURCES = {"barometric": "barometric", "gps": "GPS", "none": "none recorded"}


def altitude_words(runs: pd.DataFrame) -> str | None:
    """Where the altitude of the week's runs came from (``barometric, GPS``), "not
    recorded in the files" where no run says; None without runs (nothing to say)."""
    if runs.empty:
        return None
    sources = sorted({str(v) for v in runs["altitude_source"].dropna()})
    words = [ALTITUDE_SOURCES.get(v, v) for v in sources]
    return ", ".join(words) or "not recorded in the files"


# --- the link: loads against the next morning ----------------------------------------------


def upper_first(text: str) -> str:
    """``TRIMP (heart-rate load)`` stays so (jinja's ``capitalize`` lowers the rest)."""
    return text[:1].upper() + text[1:]


def and_join(words: list[str]) -> str:
    """``a, b and c``."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def by_load(links: list[Link]) -> list[list[Link]]:
    """The pairings grouped by load, in the order of ``links``."""
    groups: dict[str, list[Link]] = {}
    for link in links:
        groups.setdefault(link.load.column, []).append(link)
    return list(groups.values())


def link_cell(link: Link) -> dict[str, str]:
    """One cell of the pairings table: the headline (rho, or the words for why there is
    none), the detail under it, the sentence, and a class for its weight."""
    a = link.association
    if link.status == "rho" and a.rho is not None:
        ci, weight = "", "unclear"
        if a.low is not None and a.high is not None and math.isfinite(a.low):
            ci = f"{a.low:.2f} to {a.high:.2f}, "
            weight = "unclear" if a.low < 0 < a.high else "clear"
        lumped = lump_words(a, link.load, link.symptom)
        if lumped:  # rests on the few pairs outside the lump: never shown as clear
            weight = "lumped"
        return {
            "head": f"{a.rho:.2f}",
            "detail": f"{ci}n = {a.n}" + (f"; {lumped}" if lumped else ""),
            "text": link.text,
            "weight": weight,
        }
    if link.status == "flat":
        head, detail = "nothing varies", f"{flat_words(a, link.load, link.symptom)}, n = {a.n}"
    elif a.n == 0:
        head, detail = "no pairs yet", f"{a.needed} needed"
    else:
        head, detail = (
            "not enough data yet",
            f"{a.n} pair{'' if a.n == 1 else 's'}, {a.needed} needed",
        )
    return {"head": head, "detail": detail, "text": link.text, "weight": "none"}


def link_table(links: list[Link]) -> dict[str, Any]:
    """Every pairing at once: loads as rows, symptoms as columns; ``never``: a sentence
    for each symptom no run has a score for yet (said once, here)."""
    groups = by_load(links)
    return {
        "symptoms": [lk.symptom.short for lk in groups[0]] if groups else [],
        "rows": [
            {"load": upper_first(g[0].load.label), "cells": [link_cell(lk) for lk in g]}
            for g in groups
        ],
        "never": [never_words(m) for m in never_logged(links)],
    }


def link_figures(view: WeekView, units: Units, figs: Figures) -> dict[str, Any]:
    """The pairings table and one figure per load, its symptoms behind buttons, with the
    sentence of each pairing that has pairs (a symptom never logged is said once, under
    the table; a load with no pairs at all gets its sentence and no empty chart)."""
    loads = []
    for group in by_load(view.links):
        load = group[0].load
        paired = [lk for lk in group if lk.association.n > 0]
        figure = (
            figs.add(
                figures.link_figure(group, view.history_runs, view.week, units),
                f"{load.label} against the next morning",
            )
            if paired
            else None
        )
        words = [{"symptom": upper_first(lk.symptom.short), "text": lk.text} for lk in paired]
        loads.append(
            {
                "figure": figure,
                "label": load.label,
                "title": upper_first(load.label),
                "words": words or [{"symptom": "", "text": no_pairs_words(load)}],
            }
        )
    return {
        "table": link_table(view.links),
        "loads": loads,
        "load_words": and_join([g[0].load.label for g in by_load(view.links)]),
        "symptom_words": and_join(link_table(view.links)["symptoms"]),
        "not_cause": NOT_CAUSE,
        "min_pairs": view.settings.link_min_pairs,
        "bootstrap": BOOTSTRAP,
        "stack_max": figures.STACK_MAX,
    }


# --- pages ------------------------------------------------------------------------------------


def _week_figures(
    view: WeekView, units: Units, figs: Figures, recurring: HillsOverview | None = None
) -> dict[str, Any]:
    window = span_words(view.settings.drops_after_run_window_s)
    days = figs.add(figures.day_chart(view.days, units, window), "day by day")
    links = link_figures(view, units, figs)
    easy = _easy_limit(view)
    profiles = []
    for r in records(view.runs):
        stream = view.streams.get(str(r["id"]))
        if stream is None or stream.empty or stream["distance_m"].notna().sum() < 2:
            continue
        hills = view.hills[view.hills["activity_id"] == r["id"]]
        profiles.append(
            {
                "title": f"{run_label(r['local_start'])}: {units.fmt_dist(_num(r['distance_m']))}",
                "device": _device(r.get("device")),
                "figure": figs.add(figures.hill_profile(stream, hills, units, easy), "profile"),
                "hills": figures.hill_summary(hills, units),
            }
        )
    labels = {str(r["id"]): run_label(r["local_start"]) for r in records(view.runs)}
    has_gps = any(not s.empty and s["lat_deg"].notna().any() for s in view.streams.values())
    marks = hills_page.flagged_marks(recurring, labels) if recurring else None
    track_map = (
        figs.add(figures.week_map(view.streams, view.hills, labels, marks), "map")
        if has_gps
        else None
    )
    s = view.settings
    trend = figs.add(
        figures.trends(
            view.trends,
            view.visa_a,
            units,
            s.acwr_low,
            s.acwr_high,
            s.acwr_red,
            view.pain.visa_a_drop_points,
            view.pain.visa_a_window_weeks,
            view.pain.weekly_min_mornings,
        ),
        "trends",
    )
    return {"days": days, "links": links, "profiles": profiles, "map": track_map, "trends": trend}


def _easy_limit(view: WeekView) -> float | None:
    hr = view.runs["hr_max_used_bpm"].dropna()
    return easy_limit_bpm(float(hr.iloc[-1]), view.settings) if len(hr) else None


def render_week(
    view: WeekView,
    nav: dict[str, str | None],
    env: jinja2.Environment | None = None,
    hills: HillsOverview | None = None,
    others: pd.DataFrame | None = None,
) -> str:
    """The week page; ``others``: the history's activities that are not runs (the held
    maximum heart rate is taken from them too), by default the week's own."""
    env = env or _env()
    units = Units(view.settings.units)
    figs = Figures()
    parts = _week_figures(view, units, figs, hills)
    labels = {str(r["id"]): run_label(r["local_start"]) for r in records(view.runs)}
    recurring = hills_page.week_crossings(hills, labels, labels) if hills else None
    end = view.start + pd.Timedelta(days=6)
    return env.get_template("week.html").render(
        title=f"Week {view.week}",
        week=view.week,
        dates=f"{view.start:%a %d %b} – {end:%a %d %b %Y}",
        glance=glance(view, units),
        hr_notice=hr_max_notice(view, view.others if others is None else others),
        runs=run_rows(view, units, route_names(hills)),
        day_rows=day_rows(view),
        method=method(view, units),
        units=units,
        figures=figs.items,
        nav=nav,
        light_words=LIGHT_WORDS,
        recurring=recurring,
        unreadable=view.unreadable,
        **parts,
    )


def render_index(
    hist: History,
    built: Iterable[str],
    env: jinja2.Environment | None = None,
    hills_link: str | None = None,
) -> str:
    env = env or _env()
    units = Units(hist.settings.units)
    have = set(built)
    rows = []
    for week in reversed(hist.data_weeks):
        t = hist.weekly.iloc[hist.weeks.index(week)]
        a = hist.assessments[week]
        rows.append(
            {
                "week": week,
                "href": f"{week}.html" if week in have else None,
                "start": f"{t['start']:%d %b %Y}",
                "light": a.verdict.light,
                "headline": a.verdict.words,
                "reason": a.verdict.reasons[0] if a.verdict.reasons else "",
                "runs": int(t["runs"]),
                "distance": units.fmt_dist(_num(t["distance_m"])),
                "stiffness": _mean_score(t.get("stiffness_mean")),
                "pain": _mean_score(t.get("morning_pain_mean")),
                "flags": len(a.red_flags),
            }
        )
    return env.get_template("index.html").render(
        title="Weekly reports",
        rows=rows,
        skipped=skipped_weeks(hist),
        light_words=LIGHT_WORDS,
        figures=[],
        hills_link=hills_link,
    )


def skipped_weeks(hist: History) -> str:
    """What the index leaves out, in words: the weeks between the first and the last week
    with data that have none, and the activities of the history that are not runs."""
    parts = []
    empty = len(hist.weeks) - len(hist.data_weeks)
    if empty > 0:
        plural = "week" if empty == 1 else "weeks"
        parts.append(f"{empty} {plural} with no runs, check-ins, heel drops or VISA-A get no page.")
    if not hist.others.empty:
        words = left_out_words(hist.others, Units(hist.settings.units))
        parts.append(f"Not counted as running, over the whole history: {words}.")
    return " ".join(parts)


def select_weeks(weeks: list[str], week: str | None = None, last: int | None = None) -> list[str]:
    """The weeks asked for, among ``weeks`` (the weeks with data): one week, the last N of
    them, or all (None, None)."""
    if week is not None:
        if week not in weeks:
            from analyzer.errors import AnalyzerError

            known = f"{len(weeks)} weeks from {weeks[0]} to {weeks[-1]}" if weeks else "none"
            raise AnalyzerError(
                f"no data for week {week} (no runs, check-ins, heel drops or VISA-A); "
                f"weeks with data: {known}"
            )
        return [week]
    if last is not None:
        return weeks[-last:] if last > 0 else []
    return list(weeks)


def build_reports(
    inputs: Inputs,
    out: Path,
    week: str | None = None,
    last: int | None = None,
    hills: Hills | None = None,
) -> list[Path]:
    """Write ``out/YYYY-Www.html`` for the weeks asked for, and ``out/index.html``; with
    ``hills``, also ``out/hills.html`` (every recurring hill and route)."""
    hist = _history_with_data(inputs)
    return _written(inputs, hist, select_weeks(hist.data_weeks, week, last), out, hills)


def _history_with_data(inputs: Inputs) -> History:
    """The history, or AnalyzerError where no week has data to report."""
    hist = history(inputs)
    if not hist.data_weeks:
        from analyzer.errors import AnalyzerError

        words = left_out_words(hist.others, Units(hist.settings.units))
        others = f" ({words}: not running)" if words else ""
        raise AnalyzerError(
            f"the store holds no runs, check-ins, heel drops or VISA-A yet{others}; "
            "import runs (analyzer import PATH...) or log a check-in (analyzer log) first"
        )
    return hist


def _written(
    inputs: Inputs, hist: History, weeks: list[str], out: Path, hills: Hills | None
) -> list[Path]:
    """:func:`_write_reports`, with a folder that cannot be written named in one line."""
    try:
        return _write_reports(inputs, hist, weeks, out, hills)
    except OSError as exc:
        from analyzer.errors import AnalyzerError

        where = exc.filename or out
        raise AnalyzerError(
            f"{where}: cannot write the report ({exc.strerror or exc}); choose another --out"
        ) from exc


def _week_hills(hills: Hills | None, week: str) -> HillsOverview | None:
    """The hills a week page shows: as of its Sunday where the history allows."""
    if isinstance(hills, HillsHistory):
        sunday = week_start(week) + pd.Timedelta(days=6)
        return hills.as_of(f"{sunday:%Y-%m-%d}")
    return hills


def _write_reports(
    inputs: Inputs, hist: History, weeks: list[str], out: Path, hills: Hills | None
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    write_assets(out)
    env = _env()
    written = []
    # pages link to the neighbouring weeks with data that have a page (now or from before)
    pages = set(weeks) | {p.stem for p in out.glob("*-W*.html")}
    linked = [w for w in hist.data_weeks if w in pages]
    for w in weeks:
        pos = linked.index(w)
        nav = {
            "prev": f"{linked[pos - 1]}.html" if pos > 0 else None,
            "next": f"{linked[pos + 1]}.html" if pos + 1 < len(linked) else None,
        }
        page = render_week(week_view(inputs, hist, w), nav, env, _week_hills(hills, w), hist.others)
        path = out / f"{w}.html"
        _write(path, page)
        written.append(path)
    existing = {p.stem for p in out.glob("*-W*.html")}
    index = out / "index.html"
    link = hills_page.PAGE if hills is not None else None
    _write(index, render_index(hist, existing | set(weeks), env, link))
    if hills is not None:
        page_path = out / hills_page.PAGE
        whole = hills.overview if isinstance(hills, HillsHistory) else hills
        _write(page_path, hills_page.render_hills(whole, env))
        written.append(page_path)
    return [*written, index]


#: in a reports folder, the data folder whose reports it holds (one line, its path)
OWNER = ".analyzer-store"


def claim_folder(store: StoreLike, out: Path, mark: bool = True) -> None:
    """Refuse ``out`` where it holds another data folder's reports (its index would list
    only this store's weeks); mark it as this store's otherwise (``mark``: only check,
    for a command that may write nothing). A folder of reports written before the mark
    existed is taken over."""
    data_dir = getattr(store, "data_dir", None)
    if data_dir is None:
        return
    from analyzer.errors import AnalyzerError

    mine = str(Path(data_dir).resolve())
    marker = out / OWNER
    try:
        theirs = marker.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        theirs = ""
    except OSError as exc:  # not a folder (a file in the way), no permission
        raise AnalyzerError(
            f"{out}: cannot write the report ({exc.strerror or exc}); choose another --out"
        ) from exc
    if theirs and theirs != mine:
        raise AnalyzerError(
            f"{out} holds the reports of another data folder ({theirs}); write these to "
            f"another folder with --out, or delete {marker} to give this one over"
        )
    if not theirs and mark:
        try:
            out.mkdir(parents=True, exist_ok=True)
            marker.write_text(mine + "\n", encoding="utf-8")
        except OSError as exc:
            raise AnalyzerError(
                f"{out}: cannot write the report ({exc.strerror or exc}); choose another --out"
            ) from exc


def build_from_store(
    store: StoreLike, out: Path, week: str | None = None, last: int | None = None
) -> list[Path]:
    """Reports read from the store alone (summaries from SQLite, streams of the weeks shown)."""
    inputs = from_store(store)
    hist = _history_with_data(inputs)  # nothing to report, or no such week: say so
    weeks = select_weeks(hist.data_weeks, week, last)  # before claiming the folder
    claim_folder(store, out)
    return _written(inputs, hist, weeks, out, _hills_of(store))


def refresh_current_week(store: StoreLike, out: Path, dates: Iterable[str] = ()) -> list[Path]:
    """Rebuild this week's page (or the latest week with data), the pages of the weeks
    holding ``dates`` (YYYY-MM-DD: the runs the inbox watcher just imported, however old),
    and the index; for the inbox watcher. Returns the week pages written, this week's
    first, then the others in date order."""
    inputs = from_store(store)
    hist = _history_with_data(inputs)
    week = current_week(hist)
    if week not in hist.data_weeks:
        week = hist.data_weeks[-1]
    wanted = {iso_week(pd.Timestamp(d)) for d in dates} | {week}
    weeks = [w for w in hist.data_weeks if w in wanted]
    claim_folder(store, out)
    written = [p for p in _written(inputs, hist, weeks, out, _hills_of(store)) if p.stem in weeks]
    return sorted(written, key=lambda p: (p.stem != week, p.stem))


def _device(name: object) -> str | None:
    """The recording device's name, None where the file did not say."""
    text = str(name).strip() if isinstance(name, str) else ""
    return text if text and text != "unknown device" else None


def _hills_of(store: StoreLike) -> HillsHistory | None:
    """Recurring hills and routes of a real store, each week page's as of its end (None
    for other ``StoreLike`` objects)."""
    from analyzer.store import Store
    from analyzer.weekly.hills import load_history

    return load_history(store) if isinstance(store, Store) else None
