"""Plotly figures of one week, as plain figure dicts (the plotly.js JSON schema).

Plain dicts rather than ``plotly.graph_objects`` keep a report fast (no validation of
thousands of points); tests check each figure against plotly's own validator.
Every figure reads frames only. Colours carry words too (legends, hover), never alone.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from analyzer.hills.export import whole_percent
from analyzer.report.units import Units
from analyzer.weekly.associations import Link, flat_words
from analyzer.weekly.daily import visa_a_steps

Figure = dict[str, Any]

RUN_HILL = "#d95f02"  # hills run: orange
WALK_HILL = "#1f78b4"  # hills walked: blue
STIFF = "#6a3d9a"  # morning stiffness: purple
PAIN_DURING = "#e7298a"
PAIN_AFTER = "#a6761d"
MORNING_PAIN = "#e6ab02"  # pain on getting up: gold, dotted beside the stiffness
HEART = "#c51b1b"
TRACK = "#7f7f7f"
THIS_WEEK = "#d95f02"
HISTORY = "#9e9e9e"
EASY_SCALE = [[0.0, "#8c6d1f"], [0.5, "#d8c37a"], [1.0, "#1b9e77"]]  # mustard -> teal
TRACKS = ["#7570b3", "#66a61e", "#a6761d", "#e7298a", "#555555", "#1b9e77", "#e6ab02"]
#: link charts: runs with the same score and nearly the same load are stacked this far
#: apart on the 0-10 axis, at most ``STACK_MAX`` either side of the score (a gap of
#: 0.4 is left between the stacks of neighbouring whole scores); ``STACK_NEAR``: "nearly
#: the same load" is within this share of the load axis (about a marker's width)
STACK_STEP = 0.2
STACK_MAX = 0.3
STACK_NEAR = 0.02
MAX_POINTS = 500  # per run in a profile or the map: enough for the eye, small pages
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts (typed ``Any``), for loops that read several columns."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
        "font": FONT,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
    }
    base.update(extra)
    return base


def _clean(values: Any, digits: int = 4) -> list[Any]:
    """JSON-safe list: NaN and infinities become None (gaps in plotly); rounded to
    ``digits`` decimals (keeps the page small)."""
    out = []
    for v in np.asarray(values, dtype="float64").tolist():
        out.append(round(v, digits) if math.isfinite(v) else None)
    return out


#: decimals of a latitude or longitude: 6 is about 0.1 m (4, about 11 m, drew tracks
#: as staircases)
COORD_DIGITS = 6


def _axis(title: str, **extra: Any) -> dict[str, Any]:
    axis: dict[str, Any] = {
        "title": {"text": title},
        "gridcolor": "#e5e5e5",
        "zerolinecolor": "#bdbdbd",
        "automargin": True,
    }
    axis.update(extra)
    return axis


def day_labels(days: pd.DataFrame) -> list[str]:
    return [d.strftime("%a %d").replace(" 0", " ") for d in days.index]


def short_day_labels(days: pd.DataFrame) -> list[str]:
    """Two short lines (``Mon<br>2``): upright and unclipped on a phone."""
    return [f"{d:%a}<br>{d.day}" for d in days.index]


NARROW_PX = 560  # report.js draws a figure's ``layout.meta.narrow`` below this width


def with_narrow(
    fig: Figure, layout: dict[str, Any], traces: dict[str, dict[str, Any]] | None = None
) -> Figure:
    """Attach the overrides report.js merges in (dicts merged, lists replaced) when the
    figure is narrower than ``NARROW_PX``. They ride in ``layout.meta``, which plotly
    leaves alone, so the figure stays valid plotly JSON. ``traces`` names each trace by
    its ``uid``; report.js finds it by its place in ``data``, set here."""
    places = {t.get("uid"): i for i, t in enumerate(fig["data"])}
    missing = sorted(set(traces or {}) - set(places))
    if missing:
        raise ValueError(f"no trace with uid {', '.join(missing)}")
    narrow = {"layout": layout, "traces": {str(places[k]): v for k, v in (traces or {}).items()}}
    fig["layout"].setdefault("meta", {})["narrow"] = narrow
    return fig


def _merge(base: Any, over: Any) -> Any:
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if k in base else v
    return out


def narrow_variant(fig: Figure) -> Figure:
    """The figure as report.js draws it on a narrow screen (the same merge rules)."""
    narrow = fig["layout"].get("meta", {}).get("narrow")
    if not narrow:
        return fig
    traces = narrow.get("traces", {})
    data = [_merge(t, traces[str(i)]) if str(i) in traces else t for i, t in enumerate(fig["data"])]
    return {"data": data, "layout": _merge(fig["layout"], narrow.get("layout", {}))}


def label_step(fig: Figure, plot_px: float) -> int:
    """The step of ``layout.meta.labels`` report.js draws on a plot ``plot_px`` wide: the
    last one whose width the plot reaches (-1: the figure has none)."""
    steps = fig["layout"].get("meta", {}).get("labels")
    if not steps:
        return -1
    return max(i for i, px in enumerate(steps["px"]) if px <= plot_px or i == 0)


def labelled_variant(fig: Figure, plot_px: float) -> Figure:
    """The figure with the labels report.js shows on a plot ``plot_px`` wide: each
    annotation's text from that step, hidden where the step has none."""
    k = label_step(fig, plot_px)
    if k < 0:
        return fig
    texts = fig["layout"]["meta"]["labels"]["text"][k]
    notes = [
        {**a, "text": t or a["text"], "visible": bool(t)}
        for a, t in zip(fig["layout"]["annotations"], texts, strict=True)
    ]
    return {"data": fig["data"], "layout": {**fig["layout"], "annotations": notes}}


def scale_colour(value: float, scale: list[list[Any]]) -> str:
    """The colour of ``value`` (0-1, clipped) on a plotly colorscale, as ``#rrggbb``:
    linear in RGB between the stops, as plotly draws it."""
    v = min(max(value, 0.0), 1.0) if math.isfinite(value) else 0.0
    for (p0, c0), (p1, c1) in zip(scale, scale[1:], strict=False):
        if v <= p1:
            t = 0.0 if p1 == p0 else (v - p0) / (p1 - p0)
            a = [int(c0[i : i + 2], 16) for i in (1, 3, 5)]
            b = [int(c1[i : i + 2], 16) for i in (1, 3, 5)]
            return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))
    return str(scale[-1][1])


# --- day by day --------------------------------------------------------------------------


def _distance_bars(days: pd.DataFrame, x: list[float], units: Units) -> dict[str, Any]:
    """Bars coloured here, not by a plotly colorscale: plotly.js 4 warns "Invalid color
    specifier" for numeric bar colours (the key is drawn by :func:`_easy_key`)."""
    easy = days["easy_share"].to_numpy(dtype="float64")
    text = ["" if not math.isfinite(e) else f"{e:.0%} easy" for e in easy]
    return {
        "type": "bar",
        "x": x,
        "y": _clean(days["distance_m"].to_numpy(dtype="float64") / units.distance_m),
        "name": f"distance ({units.distance}), colour = easy share",
        "uid": "distance",
        "marker": {
            "color": [scale_colour(e, EASY_SCALE) for e in easy],
            "line": {"color": "#444", "width": 1},
        },
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": day_labels(days),
        "hovertemplate": "%{customdata}: %{y:.2f} " + units.distance + ", %{text}<extra></extra>",
        "xaxis": "x",
        "yaxis": "y",
    }


def _easy_key() -> dict[str, Any]:
    """The easy-share colour key: a colorbar on a trace with no points."""
    return {
        "type": "scatter",
        "mode": "markers",
        "uid": "easy-key",
        "x": [None],
        "y": [None],
        "showlegend": False,
        "hoverinfo": "skip",
        "marker": {
            "color": [0, 1],
            "colorscale": EASY_SCALE,
            "cmin": 0,
            "cmax": 1,
            "showscale": True,
            "colorbar": {
                "title": {"text": "easy<br>share"},
                "tickformat": ".0%",
                "len": 0.3,
                "y": 0.86,
                "thickness": 12,
            },
        },
        "xaxis": "x",
        "yaxis": "y",
    }


def _hill_bars(days: pd.DataFrame, x: list[float]) -> list[dict[str, Any]]:
    run = days["uphill_run_s"].to_numpy(dtype="float64") / 60.0
    walk = days["uphill_walk_s"].to_numpy(dtype="float64") / 60.0
    common = {"type": "bar", "x": x, "xaxis": "x", "yaxis": "y2", "customdata": day_labels(days)}
    return [
        {
            **common,
            "y": _clean(run),
            "name": "uphill running (min)",
            "marker": {"color": RUN_HILL},
            "hovertemplate": "%{customdata}: %{y:.1f} min running uphill<extra></extra>",
        },
        {
            **common,
            "y": _clean(walk),
            "name": "uphill walking (min)",
            "marker": {"color": WALK_HILL},
            "hovertemplate": "%{customdata}: %{y:.1f} min walking uphill<extra></extra>",
        },
    ]


def _symptom_lines(days: pd.DataFrame, x: list[float]) -> list[dict[str, Any]]:
    """Morning stiffness and morning pain just before the day's tick, pain during just
    past it, pain after further on: the order they happen in, so they never hide each
    other."""
    labels = day_labels(days)
    stiff = days["morning_stiffness"].to_numpy(dtype="float64")

    def trace(col: str, shift: float, name: str, what: str) -> dict[str, Any]:
        return {
            "type": "scatter",
            "x": [v + shift for v in x],
            "y": _clean(days[col]) if col in days.columns else [None] * len(x),
            "name": name,
            "uid": col,
            "customdata": labels,
            "hovertemplate": "%{customdata}: " + what + " %{y}/10<extra></extra>",
            "xaxis": "x",
            "yaxis": "y3",
        }

    return [
        {
            **trace("morning_stiffness", -0.22, "morning stiffness", "morning stiffness"),
            "mode": "lines+markers+text",
            "text": ["" if not math.isfinite(v) else f"{v:g}" for v in stiff],
            "textposition": "top center",
            "connectgaps": False,  # a day with no check-in is a gap, not a value
            "line": {"color": STIFF, "width": 3},
            "marker": {"size": 9},
        },
        {
            # morning pain beside the stiffness: the two morning scores, one line each
            **trace("morning_pain", -0.08, "morning pain (on getting up)", "morning pain"),
            "mode": "lines+markers",
            "connectgaps": False,
            "line": {"color": MORNING_PAIN, "width": 2, "dash": "dot"},
            "marker": {"size": 7, "symbol": "square"},
        },
        {
            **trace("pain_during", 0.08, "pain during run", "pain during"),
            "mode": "markers",
            "marker": {"color": PAIN_DURING, "symbol": "diamond", "size": 10},
        },
        {
            **trace("pain_after", 0.24, "pain after run", "pain after"),
            "mode": "markers",
            "marker": {"color": PAIN_AFTER, "symbol": "x", "size": 10},
        },
    ]


#: the heel-drop triangles' height on the score axis: in a band of their own above 10, so
#: that no score (a 10 included) or its ring sits on them
DROPS_Y = 11.6


def _after_hill_rings(days: pd.DataFrame, x: list[float]) -> dict[str, Any]:
    """A ring round the morning stiffness of each morning after a run with a hill run,
    named in the legend: a ring never covers another mark or the heel-drop triangles, as
    the arrowed notes did (on a phone they sat on the morning-pain squares)."""
    stiff = days["morning_stiffness"].to_numpy(dtype="float64")
    if "after_hill_run" in days.columns:  # from the whole history: Monday after Sunday too
        follows = days["after_hill_run"].fillna(False).to_numpy(dtype=bool)
    else:
        hills = days["hills_run"].fillna(0).to_numpy(dtype="float64")
        follows = np.concatenate([[False], hills[:-1] > 0])
    after = [i for i in range(len(x)) if follows[i] and math.isfinite(stiff[i])]
    labels = day_labels(days)
    return {
        "type": "scatter",
        "mode": "markers",
        "x": [x[i] - 0.22 for i in after],  # the stiffness points' own x (_symptom_lines)
        "y": [float(stiff[i]) for i in after],
        "name": "morning after a hill run",
        "uid": "after-hill",
        "customdata": [labels[i] for i in after],
        "hovertemplate": "%{customdata}: the morning after a hill run<extra></extra>",
        "marker": {
            "symbol": "circle-open",
            "size": 18,
            "color": RUN_HILL,
            "line": {"width": 2.5, "color": RUN_HILL},
        },
        "xaxis": "x",
        "yaxis": "y3",
    }


def to_come(days: pd.DataFrame) -> np.ndarray:
    """Which days are still to come (``daily.to_come``; none where the frame lacks it)."""
    if "to_come" not in days.columns:
        return np.zeros(len(days), dtype=bool)
    return days["to_come"].fillna(False).to_numpy(dtype=bool)


def _drops_marks(days: pd.DataFrame, x: list[float], window: str = "2 h") -> dict[str, Any]:
    """A triangle per day that has happened: sessions done of the target; a day still to
    come gets none (nothing could be done yet, so 0/2 would read as a day missed)."""
    sessions = days["drops_sessions"].to_numpy(dtype="float64")
    after = days["drops_after_run"].to_numpy(dtype="float64")
    target = days["drops_target"].to_numpy(dtype="float64")
    later = to_come(days)
    text = [
        "" if c else f"{s:.0f}/{t:.0f}" for s, t, c in zip(sessions, target, later, strict=True)
    ]
    return {
        "type": "scatter",
        "mode": "markers+text",
        "x": x,
        "y": [None if c else DROPS_Y for c in later],
        "text": text,
        "textposition": "middle right",
        "name": "heel-drop sessions (done/target)",
        "uid": "drops",
        "marker": {
            "symbol": "triangle-up",
            "size": 11,
            "color": [
                "#1b9e77" if s >= t else "#bdbdbd" for s, t in zip(sessions, target, strict=True)
            ],
        },
        "customdata": [[d, a] for d, a in zip(day_labels(days), _clean(after), strict=True)],
        "hovertemplate": "%{customdata[0]}: heel drops %{text}, "
        f"%{{customdata[1]}} within {window} of a run<extra></extra>",
        "xaxis": "x",
        "yaxis": "y3",
    }


def _to_come_shade(days: pd.DataFrame, x: list[float]) -> list[dict[str, Any]]:
    """A grey band over the days still to come (``daily.to_come``): empty because they
    have not happened, not because they were rest days."""
    later = to_come(days)
    if not later.any():
        return []
    first = x[int(np.argmax(later))]
    return [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": first - 0.5,
            "x1": x[-1] + 0.5,
            "y0": 0,
            "y1": 1,
            "fillcolor": "rgba(120,120,120,0.08)",
            "line": {"width": 0},
            "layer": "below",
        }
    ]


def _to_come_note(days: pd.DataFrame, x: list[float], size: int = 12) -> list[dict[str, Any]]:
    """``to come`` at the top of the band of :func:`_to_come_shade`."""
    later = to_come(days)
    if not later.any():
        return []
    first = x[int(np.argmax(later))]
    return [
        {
            "text": "to come",
            "xref": "x",
            "x": (first - 0.5 + x[-1] + 0.5) / 2,
            "yref": "paper",
            "y": 1,
            "yanchor": "top",
            "showarrow": False,
            "font": {"color": "#57606a", "size": size},
        }
    ]


def day_chart(days: pd.DataFrame, units: Units, drops_window: str = "2 h") -> Figure:
    """The seven days: distance (easy share as colour), hill minutes, symptoms 0-10;
    ``drops_window``: the heel-drop window after a run, in words."""
    x = [float(i) for i in range(len(days))]
    data = [
        _distance_bars(days, x, units),
        *_hill_bars(days, x),
        *_symptom_lines(days, x),
        _after_hill_rings(days, x),
        _drops_marks(days, x, drops_window),
        _easy_key(),
    ]
    top = float(np.nanmax(days["distance_m"].to_numpy(dtype="float64"), initial=0.0))
    top = max(top / units.distance_m * 1.3, 1.0)
    layout = _layout(
        560,
        barmode="stack",
        showlegend=True,
        xaxis=_axis(
            "",
            anchor="y3",
            tickvals=x,
            ticktext=day_labels(days),
            range=[-0.6, len(x) - 0.4],
            tickangle=0,
            zeroline=False,  # x = 0 is Monday, not a zero
        ),
        annotations=_to_come_note(days, x),
        shapes=_to_come_shade(days, x),
        yaxis=_axis(units.distance, domain=[0.68, 1.0], range=[0, top]),
        yaxis2=_axis("uphill min", domain=[0.43, 0.62], rangemode="tozero"),
        yaxis3=_axis(
            "score 0–10", domain=[0.0, 0.4], range=[-0.3, 12.4], tickvals=[0, 2, 4, 6, 8, 10]
        ),
        legend={"orientation": "h", "y": -0.1, "x": 0},
        margin={"l": 60, "r": 20, "t": 20, "b": 40},
    )
    return with_narrow({"data": data, "layout": layout}, *_day_chart_narrow(days, x))


def _day_chart_narrow(
    days: pd.DataFrame, x: list[float]
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """On a phone a day is ~40 px wide: weekdays on two upright lines, heel-drop counts
    above their triangles in a small font, percentages without "easy" (the key says it),
    no colorbar (it would take a fifth of the width)."""
    easy = days["easy_share"].to_numpy(dtype="float64")
    layout: dict[str, Any] = {
        "xaxis": {"ticktext": short_day_labels(days), "tickfont": {"size": 11}},
        "annotations": _to_come_note(days, x, 11),
        "margin": {"l": 44, "r": 8},
        "legend": {"font": {"size": 11}},
    }
    traces: dict[str, dict[str, Any]] = {
        "distance": {
            "text": ["" if not math.isfinite(e) else f"{e:.0%}" for e in easy],
            "textfont": {"size": 10},
        },
        "morning_stiffness": {"textfont": {"size": 10}},
        "drops": {"textposition": "top center", "textfont": {"size": 9}, "cliponaxis": False},
        "easy-key": {"marker": {"showscale": False}},
    }
    return layout, traces


# --- the link ----------------------------------------------------------------------------


class LinkAxis(NamedTuple):
    """A load's axis: title, factor from its SI column to the display unit, the least
    span of the axis in that unit (all-zero data, no hill run yet, still gets a readable
    axis, 0 to 5 min, not plotly's ±1e-9, "−50p … 50p"), the value as hover text says
    it, and whether 0 is kept on the axis (no uphill running is a value to see; a run of
    0 miles is not, and runs of 2 to 3 mi would be squeezed into a sliver)."""

    title: str
    scale: float
    span: float
    hover: str
    from_zero: bool = True


LINK_AXES: dict[str, LinkAxis] = {
    "uphill_run_s": LinkAxis("uphill running (min)", 1 / 60.0, 5.0, "%{x:.1f} min uphill running"),
    "easy_share": LinkAxis("easy share (%)", 100.0, 10.0, "%{x:.0f}% easy"),
    "trimp": LinkAxis("TRIMP (heart-rate load)", 1.0, 10.0, "TRIMP %{x:.0f}", from_zero=False),
}
LINK_HEIGHT = 430
# the top margin holds, top down: plotly's modebar (shown on hover, about 32 px), the
# symptom buttons clear of it (a click must not land on "zoom"), the stats line
LINK_MARGIN = {"l": 55, "r": 15, "t": 92, "b": 88}
LINK_NARROW_MARGIN = {"l": 44, "r": 8}
LINK_TITLE_PX = 30  # the stats line above the plot, with its gap: the buttons sit above it
LINK_LEGEND_PX = 60  # below the plot: past the tick labels and the axis title


def link_axis(column: str, units: Units) -> LinkAxis:
    """The axis of a load column in the profile's units."""
    if column == "distance_m":
        d = units.distance
        return LinkAxis(f"distance ({d})", 1.0 / units.distance_m, 0.5, "%{x:.2f} " + d, False)
    if column == "uphill_run_gain_m":
        h = units.height
        span = 30.0 if h == "ft" else 10.0
        return LinkAxis(
            f"uphill gain running ({h})", units.high(1.0) or 1.0, span, "%{x:.0f} " + h + " up"
        )
    return LINK_AXES[column]


def link_title(link: Link) -> str:
    """The numbers of one pairing in a line: rho, its interval and n, or why there are
    none (too few pairs, nothing varies)."""
    a = link.association
    if link.status == "flat":
        return f"nothing varies: {flat_words(a, link.load, link.symptom)} (n = {a.n})"
    if a.n == 0:
        return f"no pairs yet ({a.needed} needed)"
    if not a.enough or a.rho is None:
        return f"not enough data yet ({a.n} pair{'' if a.n == 1 else 's'}, {a.needed} needed)"
    ci = (
        "" if a.low is None or not math.isfinite(a.low) else f", 95% CI {a.low:.2f} to {a.high:.2f}"
    )
    return f"rho = {a.rho:.2f}{ci}, n = {a.n}"


def _padded(values: np.ndarray, min_span: float = 1.0, from_zero: bool = True) -> list[float]:
    """An axis range from 0 (or the minimum; ``from_zero`` False: the minimum) with a
    margin, so edge points are whole; at least ``min_span`` wide (display units), so
    equal values get a readable axis."""
    finite = values[np.isfinite(values)]
    least = float(finite.min()) if finite.size else 0.0
    low = min(0.0, least) if from_zero else least
    high = float(finite.max()) if finite.size else 0.0
    high = max(high, low + min_span)
    pad = (high - low) * 0.06
    return [low - pad, high + pad]


def stack_offsets(
    x: np.ndarray, y: np.ndarray, near: float, step: float = STACK_STEP, most: float = STACK_MAX
) -> np.ndarray:
    """A vertical offset for each point (x, y), the same every time: points with equal
    ``y`` whose ``x`` lie within ``near`` of the next (a chain, in order of x) form a
    group, stacked evenly by their order in the arrays (the first lowest), ``step`` apart
    and centred on their score, the whole stack within ±``most``. A point alone stays put."""
    out = np.zeros(len(x), dtype="float64")
    order = np.lexsort((np.arange(len(x)), x, y))  # by y, then x, then place
    groups: list[list[int]] = []
    for i in order.tolist():
        last = groups[-1][-1] if groups else None
        if last is not None and y[last] == y[i] and x[i] - x[last] <= near:
            groups[-1].append(i)
        else:
            groups.append([i])
    for group in groups:
        k = len(group)
        if k > 1:
            gap = min(step, 2 * most / (k - 1))
            out[sorted(group)] = (np.arange(k) - (k - 1) / 2) * gap
    return out


def date_words(day: pd.Timestamp) -> str:
    """``Sun 22 Nov 2026``: the year too, as the link charts span the whole history."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def _link_pairs(link: Link, history: pd.DataFrame) -> pd.DataFrame:
    """The runs of ``history`` with both the load and the next morning's score."""
    load, symptom = link.load.column, link.symptom.column
    return history[history[load].notna() & history[symptom].notna()]


def _link_points(
    link: Link,
    history: pd.DataFrame,
    week: str,
    scale: float,
    what: str,
    visible: bool,
    near: float = 0.0,
) -> list[dict[str, Any]]:
    """Two traces of one pairing, earlier runs and this week's (uids ``<symptom>-earlier``
    and ``<symptom>-week``); runs with the same score and loads within ``near`` (display
    units) stacked apart (:func:`stack_offsets`), in date order, so none hides another."""
    pairs = _link_pairs(link, history).sort_values("local_date", kind="stable")
    mine = (pairs["week"] == week).to_numpy()
    nudge = stack_offsets(
        pairs[link.load.column].to_numpy(dtype="float64") * scale,
        pairs[link.symptom.column].to_numpy(dtype="float64"),
        near,
    )
    column, short = link.symptom.column, link.symptom.short
    traces = []
    for flag, name, colour, size, uid in (
        (False, "earlier runs", HISTORY, 9, "earlier"),
        (True, "this week", THIS_WEEK, 13, "week"),
    ):
        part = pairs[mine == flag]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "uid": f"{column}-{uid}",
                "visible": visible,
                "x": _clean(part[link.load.column].to_numpy(dtype="float64") * scale),
                "y": _clean(part[column].to_numpy(dtype="float64") + nudge[mine == flag]),
                "customdata": _clean(part[column]),
                "text": [date_words(pd.Timestamp(d)) for d in part["local_date"]],
                "name": name,
                "marker": {"color": colour, "size": size, "line": {"color": "white", "width": 1}},
                "opacity": 0.85,
                "hovertemplate": "%{text}<br>" + what + " → " + short + " %{customdata}/10 "
                "next morning<extra></extra>",
            }
        )
    return traces


def _link_buttons(shown: list[Link], font: int) -> list[dict[str, Any]]:
    """One button per symptom: its two traces, its numbers in the title, its y axis."""
    plot_px = LINK_HEIGHT - LINK_MARGIN["t"] - LINK_MARGIN["b"]
    buttons = [
        {
            "label": link.symptom.short,
            "method": "update",
            "args": [
                {"visible": [j // 2 == i for j in range(2 * len(shown))]},
                {"title.text": link_title(link), "yaxis.title.text": link.symptom.label},
            ],
        }
        for i, link in enumerate(shown)
    ]
    return [
        {
            "type": "buttons",
            "direction": "right",
            "active": 0,
            "showactive": True,
            "buttons": buttons,
            "x": 0,
            "xanchor": "left",
            "y": 1 + LINK_TITLE_PX / plot_px,
            "yanchor": "bottom",
            "pad": {"l": 0, "r": 4, "t": 0, "b": 0},
            "font": {"size": font},
            # plotly draws the chosen button near-white (#F4FAFF, not settable): the
            # others grey, so the one shown stands out
            "bgcolor": "#dde1e6",
            "bordercolor": "#8c959f",
        }
    ]


def link_figure(links: list[Link], history: pd.DataFrame, week: str, units: Units) -> Figure:
    """One load of each run (all of ``links`` share it) against the next morning's
    symptoms, a button per symptom with pairs (plotly ``updatemenus``, method ``update``)
    switching the points, the y axis and the numbers in the title. Earlier runs grey,
    this week's larger and orange. A symptom with no pairs gets no button: its empty
    plot would say nothing the pairings table does not."""
    load = links[0].load
    axis = link_axis(load.column, units)
    label, scale, what = axis.title, axis.scale, axis.hover
    shown = [lk for lk in links if lk.association.n > 0]
    xs = [_link_pairs(lk, history)[load.column].to_numpy(dtype="float64") for lk in shown]
    every_x = np.concatenate(xs) * scale if xs else np.array([])
    x_range = _padded(every_x, axis.span, axis.from_zero)
    near = (x_range[1] - x_range[0]) * STACK_NEAR
    data: list[dict[str, Any]] = []
    for i, link in enumerate(shown):
        data += _link_points(link, history, week, scale, what, visible=i == 0, near=near)
    first = shown[0] if shown else links[0]
    plot_px = LINK_HEIGHT - LINK_MARGIN["t"] - LINK_MARGIN["b"]
    title = {
        "text": link_title(first),
        "x": 0,
        "xref": "paper",
        "xanchor": "left",
        "y": 1,
        "yref": "paper",
        "yanchor": "bottom",
        "pad": {"b": 8},
        "font": {"size": 13, "color": "#24292f"},
    }
    layout = _layout(
        LINK_HEIGHT,
        title=title,
        xaxis=_axis(label, range=x_range),
        yaxis=_axis(first.symptom.label, range=[-0.5, 10.5], dtick=2),
        margin=LINK_MARGIN,
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -LINK_LEGEND_PX / plot_px,
            "yanchor": "top",
        },
        updatemenus=_link_buttons(shown, 12) if shown else [],
    )
    narrow = {
        "margin": LINK_NARROW_MARGIN,
        "font": {"size": 12},
        "title": {"font": {"size": 12}},
        "updatemenus": _link_buttons(shown, 11) if shown else [],
    }
    return with_narrow({"data": data, "layout": layout}, narrow)


# --- hills of one run ----------------------------------------------------------------------


def thin(frame: pd.DataFrame, points: int = MAX_POINTS) -> pd.DataFrame:
    """Every n-th row so that at most ``points`` remain (the last row kept)."""
    if len(frame) <= points:
        return frame
    step = math.ceil(len(frame) / points)
    idx = np.unique(np.r_[np.arange(0, len(frame), step), len(frame) - 1])
    return frame.iloc[idx]


def _hill_shapes(hills: pd.DataFrame, units: Units) -> list[dict[str, Any]]:
    shapes = []
    for h in records(hills):
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": h["start_distance_m"] / units.distance_m,
                "x1": h["end_distance_m"] / units.distance_m,
                "y0": 0,
                "y1": 1,
                "fillcolor": WALK_HILL if h["walked"] else RUN_HILL,
                "opacity": 0.22,
                "line": {"width": 0},
                "layer": "below",
            }
        )
    return shapes


class Band(NamedTuple):
    """A hill's stretch of a profile's x axis (display units) and its label, long and
    short; bands of higher ``rank`` get their label first."""

    x0: float
    x1: float
    long: str
    short: str
    rank: float


LABEL_FONT_PX = 12
LABEL_GAP_PX = 6  # the least space between two labels
LABEL_OVERHANG_PX = 24  # how far a label may reach past the plot into its side margins
LABEL_PLOT_PX = tuple(range(100, 1201, 20))  # plot widths the labels are chosen for
# character widths in em, a little over DejaVu Sans's (the widest usual sans-serif face)
_EM = {"%": 0.96, "m": 0.98, "w": 0.83, "W": 1.0, "M": 0.87, " ": 0.33, ".": 0.33}
_EM_NARROW = 0.29  # i, l, j
_EM_DIGIT = 0.64
_EM_LOWER = 0.62
_EM_OTHER = 0.76  # capitals and anything else


def text_px(text: str, font_px: float = LABEL_FONT_PX) -> float:
    """A generous width of ``text`` in pixels (no font metrics at build time)."""
    em = 0.0
    for ch in text:
        if ch in _EM:
            em += _EM[ch]
        elif ch in "ilj":
            em += _EM_NARROW
        elif ch.isdigit():
            em += _EM_DIGIT
        elif ch.islower():
            em += _EM_LOWER
        else:
            em += _EM_OTHER
    return em * font_px


def fit_labels(
    bands: list[Band],
    x_range: tuple[float, float],
    plot_px: float,
    font_px: float = LABEL_FONT_PX,
) -> list[str]:
    """The label of each band on a plot ``plot_px`` wide, centred over its band: the long
    text where it fits, else the short one, else "" (none; the hover and the table under
    the chart still say it). A label fits when it keeps ``LABEL_GAP_PX`` from every other
    label and stays within ``LABEL_OVERHANG_PX`` of the plot. As many bands as can get a
    short label first, by rank; then, by rank, each short label grows long where it can."""
    lo, hi = x_range
    scale = plot_px / (hi - lo) if hi > lo else 0.0
    centres = [((b.x0 + b.x1) / 2 - lo) * scale for b in bands]
    boxes: dict[int, tuple[float, float]] = {}
    texts = [""] * len(bands)

    def fits(i: int, text: str) -> bool:
        half = text_px(text, font_px) / 2
        a, b = centres[i] - half, centres[i] + half
        if a < -LABEL_OVERHANG_PX or b > plot_px + LABEL_OVERHANG_PX:
            return False
        others = (box for k, box in boxes.items() if k != i)
        return all(b + LABEL_GAP_PX <= c or d + LABEL_GAP_PX <= a for c, d in others)

    order = sorted(range(len(bands)), key=lambda i: -bands[i].rank)
    for attr in ("short", "long"):
        for i in order:
            text = getattr(bands[i], attr)
            if text and (attr == "long" or not texts[i]) and fits(i, text):
                half = text_px(text, font_px) / 2
                boxes[i] = (centres[i] - half, centres[i] + half)
                texts[i] = text
    return texts


def label_steps(
    bands: list[Band], x_range: tuple[float, float], widths: tuple[int, ...] = LABEL_PLOT_PX
) -> dict[str, list[Any]]:
    """``{"px": [w0, w1, ...], "text": [labels at w0, ...]}``: the labels from each plot
    width on, listed where they change (report.js draws those of the widest step the plot
    reaches). Wider only spreads the bands, so labels that fit at ``w`` fit above it."""
    steps: dict[str, list[Any]] = {"px": [], "text": []}
    for w in widths:
        texts = fit_labels(bands, x_range, w)
        if not steps["text"] or texts != steps["text"][-1]:
            steps["px"].append(0 if not steps["px"] else w)
            steps["text"].append(texts)
    return steps


def hill_bands(hills: pd.DataFrame, units: Units) -> list[Band]:
    """The uphill rows as bands: "RUN 5%" or "walked 6%", short "5%", ranked by score."""
    bands = []
    for h in records(hills):
        grade = whole_percent(float(h["grade_avg_pct"]))
        bands.append(
            Band(
                x0=h["start_distance_m"] / units.distance_m,
                x1=h["end_distance_m"] / units.distance_m,
                long=f"{'walked' if h['walked'] else 'RUN'} {grade}",
                short=grade,
                rank=float(h["length_m"]) * abs(float(h["grade_avg_pct"])),  # the hill score
            )
        )
    return bands


def _hill_notes(hills: pd.DataFrame, bands: list[Band], texts: list[str]) -> list[dict[str, Any]]:
    """One label over each band, with ``texts`` (one step of :func:`label_steps`); a band
    with no text keeps its long one, hidden, so report.js only swaps texts."""
    notes = []
    for h, band, text in zip(records(hills), bands, texts, strict=True):
        notes.append(
            {
                "x": (band.x0 + band.x1) / 2,
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "text": text or band.long,
                "visible": bool(text),
                "font": {"color": WALK_HILL if h["walked"] else RUN_HILL, "size": LABEL_FONT_PX},
            }
        )
    return notes


def _hill_hover(x: np.ndarray, hills: pd.DataFrame, units: Units) -> list[str]:
    """``, hill run 5.0%`` for each point of the elevation line on a hill, else "": the
    hover says what a band is, whether or not its label had room."""
    words = [""] * len(x)
    for h in records(hills):
        lo, hi = h["start_distance_m"] / units.distance_m, h["end_distance_m"] / units.distance_m
        what = f", hill {'walked' if h['walked'] else 'run'} {h['grade_avg_pct']:.1f}%"
        for i in np.flatnonzero((x >= lo) & (x <= hi)):
            words[int(i)] = what
    return words


def hill_profile(
    stream: pd.DataFrame, hills: pd.DataFrame, units: Units, easy_limit_bpm: float | None
) -> Figure:
    """Elevation over distance with the hills shaded (run orange, walked blue) and heart
    rate on a second axis, with the easy limit dashed. Each band's label is chosen by
    plot width (``layout.meta.labels``, :func:`label_steps`) so labels never collide; the
    elevation line's hover names the hill under it."""
    frame = thin(stream[stream["distance_m"].notna()])
    dist = frame["distance_m"].to_numpy(dtype="float64") / units.distance_m
    x = _clean(dist)
    alt = frame["altitude_m"].to_numpy(dtype="float64")
    height = alt / 0.3048 if units.system == "mi" else alt
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": x,
            "y": _clean(height),
            "name": f"elevation ({units.height})",
            "line": {"color": "#404040", "width": 2},
            "fill": "tozeroy",
            "fillcolor": "rgba(120,120,120,0.12)",
            "customdata": _hill_hover(dist, hills, units),
            "hovertemplate": "%{x:.2f} "
            + units.distance
            + ": %{y:.0f} "
            + units.height
            + "%{customdata}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": x,
            "y": _clean(frame["heart_rate_bpm"]),
            "name": "heart rate (bpm)",
            "yaxis": "y2",
            "line": {"color": HEART, "width": 1.5},
            "hovertemplate": "%{x:.2f} " + units.distance + ": %{y:.0f} bpm<extra></extra>",
        },
    ]
    finite = height[np.isfinite(height)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    # at least 20 m (66 ft) of span: a flat run must look flat, not like noise
    span = max(high - low, 20.0 if units.system == "km" else 66.0)
    mid = (high + low) / 2
    low, high = mid - span / 2, mid + span / 2
    pad = span * 0.12
    shapes = _hill_shapes(hills, units)
    if easy_limit_bpm is not None and math.isfinite(easy_limit_bpm):
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y2",
                "y0": easy_limit_bpm,
                "y1": easy_limit_bpm,
                "line": {"color": HEART, "dash": "dash", "width": 1},
            }
        )
    # the x range is set, not left to plotly, so that the labels' pixels are known
    x_range = _x_range(dist)
    bands = hill_bands(hills, units)
    steps = label_steps(bands, x_range)
    layout = _layout(
        280,
        xaxis=_axis(f"distance ({units.distance})", range=list(x_range)),
        yaxis=_axis(f"elevation ({units.height})", range=[low - pad, high + pad]),
        yaxis2=_axis(
            "bpm",
            overlaying="y",
            side="right",
            showgrid=False,
            range=[60, 190],
            tickmode="linear",
            tick0=60,
            dtick=20,
        ),
        shapes=shapes,
        annotations=_hill_notes(hills, bands, steps["text"][0] if bands else []),
        margin={"l": 55, "r": 55, "t": 30, "b": 45},
        showlegend=False,  # the page's text names the lines: the charts stay compact
    )
    if bands:
        layout["meta"] = {"labels": steps}
    return {"data": data, "layout": layout}


def _x_range(x: np.ndarray) -> tuple[float, float]:
    finite = x[np.isfinite(x)]
    if not finite.size:
        return (0.0, 1.0)
    lo, hi = float(finite.min()), float(finite.max())
    return (lo, hi) if hi > lo else (lo, lo + 1.0)


# --- map -------------------------------------------------------------------------------------


def _segment_points(stream: pd.DataFrame, start_m: float, end_m: float) -> pd.DataFrame:
    d = stream["distance_m"]
    return stream[(d >= start_m) & (d <= end_m)]


def _hill_traces(
    streams: dict[str, pd.DataFrame], hills: pd.DataFrame, shown: set[str]
) -> list[dict[str, Any]]:
    traces = []
    for h in records(hills):
        stream = streams.get(str(h["activity_id"]))
        if stream is None or stream.empty:
            continue
        seg = thin(_segment_points(stream, h["start_distance_m"], h["end_distance_m"]), 80)
        kind = "hill walked" if h["walked"] else "hill run"
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": _clean(seg["lon_deg"], COORD_DIGITS),
                "y": _clean(seg["lat_deg"], COORD_DIGITS),
                "name": kind,
                "legendgroup": kind,
                "showlegend": kind not in shown,
                "line": {"color": WALK_HILL if h["walked"] else RUN_HILL, "width": 7},
                "hovertemplate": f"{kind}: {h['grade_avg_pct']:.1f}% over {h['length_m']:.0f} m"
                "<extra></extra>",
            }
        )
        shown.add(kind)
    return traces


OVERLAP_CELL_M = 25.0  # tracks this close (GPS error on one path) share a path
OVERLAP_SHARE = 0.3  # two tracks overlap when this share of either lies on the other's path
TRACK_PX = 2.0
CASING_PX = 4.0  # a track gets this much wider for each later track drawn over it
CASINGS_MAX = 3


def _cells(lat: np.ndarray, lon: np.ndarray, mid_lat: float) -> np.ndarray:
    """Grid cells (``OVERLAP_CELL_M`` square) of the points, as one integer each."""
    m_per_deg = 111_195.0
    y = np.floor(lat * m_per_deg / OVERLAP_CELL_M).astype(np.int64)
    x = np.floor(lon * m_per_deg * math.cos(math.radians(mid_lat)) / OVERLAP_CELL_M)
    return y * 10_000_000 + x.astype(np.int64)


def _near(cells: np.ndarray) -> np.ndarray:
    """The cells and their eight neighbours: a point in one lies within one to two cells
    (25-50 m) of the track."""
    steps = [dy * 10_000_000 + dx for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    return np.unique(np.concatenate([cells + s for s in steps]))


def covered_by(tracks: list[tuple[np.ndarray, np.ndarray]]) -> list[int]:
    """For each track (lat, lon in degrees, in drawing order), how many later tracks
    overlap it (see ``OVERLAP_SHARE``) and so are drawn over it: the same route run twice
    in a week is one line unless the earlier is drawn wider."""
    finite = [np.isfinite(la) & np.isfinite(lo) for la, lo in tracks]
    lats = np.concatenate([la[f] for (la, _), f in zip(tracks, finite, strict=True)] or [[]])
    mid = float(np.mean(lats)) if lats.size else 0.0
    cells = [_cells(la[f], lo[f], mid) for (la, lo), f in zip(tracks, finite, strict=True)]
    near = [_near(np.unique(c)) for c in cells]

    def on(a: int, b: int) -> float:
        return float(np.isin(cells[a], near[b]).mean()) if cells[a].size else 0.0

    count = [0] * len(tracks)
    for i in range(len(tracks)):
        for j in range(i + 1, len(tracks)):
            if max(on(i, j), on(j, i)) >= OVERLAP_SHARE:
                count[i] += 1
    return count


def _map_legend(narrow: bool) -> dict[str, Any]:
    """Beside the map on a wide screen, under it on a phone: never over the tracks."""
    if narrow:
        return {"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top"}
    return {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"}


def week_map(
    streams: dict[str, pd.DataFrame],
    hills: pd.DataFrame,
    labels: dict[str, str],
    marks: list[dict[str, Any]] | None = None,
) -> Figure:
    """The week's GPS tracks as plain lines on equal-scale lon/lat axes (works offline:
    no tiles), hills drawn thick: run orange, walked blue. ``marks`` (lat, lon, text):
    the feet of recurring hills flagged "walk", drawn as red triangles. A track that later
    ones overlap is drawn wider, so each shows as an edge around the one on top."""
    data: list[dict[str, Any]] = []
    lats: list[float] = []
    shown = []
    for n, (aid, stream) in enumerate(streams.items()):
        if stream.empty or stream["lat_deg"].notna().sum() < 2:
            continue
        pts = thin(stream[stream["lat_deg"].notna()])
        lats += pts["lat_deg"].tolist()
        shown.append(stream)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": _clean(pts["lon_deg"], COORD_DIGITS),
                "y": _clean(pts["lat_deg"], COORD_DIGITS),
                "name": labels.get(aid, aid),
                "line": {"color": TRACKS[n % len(TRACKS)], "width": TRACK_PX},
                "hoverinfo": "name",
            }
        )
    paths = [
        (s["lat_deg"].to_numpy(dtype="float64"), s["lon_deg"].to_numpy(dtype="float64"))
        for s in shown
    ]
    for track, over in zip(data, covered_by(paths), strict=True):
        track["line"]["width"] = TRACK_PX + CASING_PX * min(over, CASINGS_MAX)
    data += _hill_traces(streams, hills, set())
    if marks:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [m["lon"] for m in marks],
                "y": [m["lat"] for m in marks],
                "text": [m["text"] for m in marks],
                "name": "Flagged: walk",
                "marker": {"symbol": "triangle-up", "size": 14, "color": "#cf222e"},
                "hoverinfo": "text",
            }
        )
    mid = float(np.mean(lats)) if lats else 0.0
    layout = _layout(
        460,
        xaxis=_axis("", showticklabels=False, showgrid=False, zeroline=False),
        yaxis=_axis(
            "",
            showticklabels=False,
            showgrid=False,
            zeroline=False,
            scaleanchor="x",
            scaleratio=1 / max(math.cos(math.radians(mid)), 0.1),
        ),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend=_map_legend(narrow=False),
    )
    narrow = {"legend": {**_map_legend(narrow=True), "font": {"size": 11}}, "height": 520}
    return with_narrow({"data": data, "layout": layout}, narrow)


# --- trends ----------------------------------------------------------------------------------


def _note(text: str, axis: str, y: float) -> dict[str, Any]:
    return {
        "text": text,
        "xref": "paper",
        "x": 0.5,
        "yref": axis,
        "y": y,
        "showarrow": False,
        "font": {"color": "#57606a"},
    }


def _trend_notes(weekly: pd.DataFrame, visa_a: pd.DataFrame) -> list[dict[str, Any]]:
    """Say why a panel is empty rather than leave it blank."""
    notes = []
    if visa_a.empty:
        notes.append(_note("no VISA-A logged yet: analyzer visa-a", "y4", 50))
    if weekly["acwr_distance"].isna().all():
        # in the green band's middle: clear of the "red above" key at the top right
        notes.append(_note("no usual load to compare with yet", "y2", 1.05))
    return notes


def trends(
    weekly: pd.DataFrame,
    visa_a: pd.DataFrame,
    units: Units,
    settings_low: float,
    settings_high: float,
    settings_red: float,
    visa_a_drop: float | None = None,
    visa_a_window_weeks: int = 12,
    min_mornings: int = 3,
) -> Figure:
    """12 weeks: distance with its change, acute:chronic ratios, stiffness and VISA-A.
    A week's mean morning score over fewer than ``min_mornings`` mornings is drawn
    hollow: the rules do not compare it with other weeks.

    The ratio axis reaches the highest ratio, and is shaded by the load rule's zones:
    green ``settings_low``-``settings_high``, amber outside it, red above
    ``settings_red``. VISA-A: every result at its date within its week, a fall of
    ``visa_a_drop`` or more below the one before or the best of the ``visa_a_window_weeks``
    weeks before it in red (the red flag, ``daily.visa_a_steps``)."""
    red = settings_red
    x = [w.replace("-", " ") for w in weekly.index]
    dist = weekly["distance_m"].to_numpy(dtype="float64") / units.distance_m
    change = weekly["distance_change"].to_numpy(dtype="float64")
    # a true minus: as wide as the plus, and not read as a dash
    text = ["" if not math.isfinite(c) else f"{c:+.0%}".replace("-", "−") for c in change]
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "x": x,
            "y": _clean(dist),
            "text": text,
            "textposition": "outside",
            "cliponaxis": False,
            "name": f"weekly distance ({units.distance}), change on the week before",
            "uid": "weekly-distance",
            "marker": {"color": "#7570b3"},
            "xaxis": "x",
            "yaxis": "y",
        },
        *_ratio_lines(x, weekly),
        {
            **_line(x, weekly["stiffness_mean"], STIFF_NAME, STIFF, "y3"),
            **_mornings(weekly, "stiffness_days", "circle", min_mornings, STIFF_NAME),
        },
        {
            **_line(x, _column(weekly, "morning_pain_mean"), MORNING_PAIN_NAME, MORNING_PAIN, "y3"),
            "uid": "morning-pain",
            "line": {"color": MORNING_PAIN, "width": 2, "dash": "dot"},
            **_mornings(
                weekly, "morning_pain_days", "square", min_mornings, MORNING_PAIN_NAME, size=7
            ),
        },
        _visa_points(visa_a, weekly, visa_a_drop, visa_a_window_weeks),
    ]
    ratios = weekly[["acwr_distance", "acwr_trimp"]].to_numpy(dtype="float64")
    ratio_top = _ratio_top(ratios, red)
    shapes = _ratio_zones(settings_low, settings_high, red, ratio_top)
    most = float(np.nanmax(np.nan_to_num(dist), initial=0.0))
    notes = _trend_notes(weekly, visa_a) + [_zone_note(red, ratio_top)]
    layout = _layout(
        620,
        annotations=notes,
        xaxis=_axis("", anchor="y4", type="category", range=[-0.5, len(x) - 0.5]),
        xaxis2=visa_axis(list(weekly.index)),
        yaxis=_axis(units.distance, domain=[0.78, 1.0], range=[0, max(most * 1.3, 1.0)]),
        yaxis2=_axis("ratio", domain=[0.53, 0.72], range=[0, ratio_top]),
        yaxis3=_axis("morning", domain=[0.27, 0.47], range=[0, 10]),
        yaxis4=_axis("VISA-A", domain=[0.0, 0.21], range=[0, 100]),
        shapes=shapes,
        legend={"orientation": "h", "y": -0.08, "x": 0},
        margin={"l": 60, "r": 20, "t": 20, "b": 40},
    )
    # a phone: "W42" rather than "2026 W42", upright, and every other week at most, so the
    # labels never run together ("W36W37W38"); this week always keeps its label
    ticks = every_nth(x, NARROW_WEEK_LABELS)
    top = max(most * NARROW_DISTANCE_ROOM, 1.0)
    narrow = {
        "xaxis": {
            "tickvals": ticks,
            "ticktext": [w.split(" ")[-1] for w in ticks],
            "tickangle": 0,
            "tickfont": {"size": 11},
        },
        "yaxis": {"range": [0, top]},
        "annotations": notes + change_notes(x, text, top),
        "margin": {"l": 44, "r": 8},
        "legend": {"font": {"size": 11}},
    }
    fig = {"data": data, "layout": layout}
    return with_narrow(fig, narrow, {"weekly-distance": {"textposition": "none"}})


MORNING_PAIN_NAME = "mean morning pain, on getting up (0–10)"
STIFF_NAME = "mean morning stiffness (0–10)"
NARROW_WEEK_LABELS = 6  # "W42" in 11 px type is ~25 px: six of them fit a 320 px phone
#: on a phone the distance axis reaches this times the longest week: room above the bars
#: for the two rows of change labels (:func:`change_notes`)
NARROW_DISTANCE_ROOM = 1.55
CHANGE_FONT_PX = 11
CHANGE_ROW_PX = 14
#: the two acute:chronic ratios, drawn this far (of a week) either side of the week's
#: middle, so equal ratios do not hide each other
RATIO_SHIFT = 0.12


def change_notes(x: list[str], text: list[str], top: float) -> list[dict[str, Any]]:
    """The week-on-week changes for a phone, where a week is ~25 px and plotly shrinks a
    bar's own text to the bar's width (``+168%`` in 5 px type): annotations in 11 px
    along the top of the distance panel, at ``top``, in two rows taken in turn (this week
    on the top row), so each has two weeks' width and neighbours never touch."""
    notes = []
    for i, (week, words) in enumerate(zip(x, text, strict=True)):
        if not words:
            continue
        notes.append(
            {
                "text": words,
                "xref": "x",
                "x": week,
                "yref": "y",
                "y": top,
                "yanchor": "top",
                "yshift": -CHANGE_ROW_PX * ((len(x) - 1 - i) % 2),
                "showarrow": False,
                "font": {"size": CHANGE_FONT_PX, "color": "#24292f"},
            }
        )
    return notes


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """``frame[name]``, or gaps where the frame lacks it."""
    return frame[name] if name in frame.columns else pd.Series(np.nan, index=frame.index)


def _ratio_lines(x: list[str], weekly: pd.DataFrame) -> list[dict[str, Any]]:
    """The two acute:chronic ratios on the weeks' linear twin axis (``x2``), a little
    apart (``RATIO_SHIFT``), distance as filled circles, heart-rate load as larger open
    diamonds with a dashed line: on the same value, the diamond rings the circle."""
    where = np.arange(len(x), dtype="float64")
    out = []
    for column, name, colour, shift, look in (
        ("acwr_distance", "acute:chronic, distance", "#1b9e77", -RATIO_SHIFT, {}),
        (
            "acwr_trimp",
            "acute:chronic, heart-rate load",
            "#b8860b",
            RATIO_SHIFT,
            {"symbol": "diamond-open", "size": 11, "line": {"width": 2}},
        ),
    ):
        trace = _line(x, weekly[column], name, colour, "y2")
        trace.update(
            {
                "x": _clean(where + shift),
                "xaxis": "x2",
                "uid": column,
                "customdata": x,
                "hovertemplate": "%{customdata}: %{y:.2f}<extra>" + name + "</extra>",
                "marker": {"size": 7, **look},
            }
        )
        if look:
            trace["line"] = {"color": colour, "width": 2, "dash": "dash"}
        out.append(trace)
    return out


def every_nth(labels: list[str], most: int) -> list[str]:
    """At most ``most`` of ``labels``, evenly spaced, counted back from the last (the week
    shown), so the step is whole: 12 weeks -> every other one, 13 -> every third."""
    if most < 1:
        return []
    step = max(1, math.ceil(len(labels) / most))
    return labels[::-1][::step][::-1]


def _ratio_top(ratios: np.ndarray, red: float) -> float:
    """Top of the ratio axis: 2, or past the highest ratio so it is on the chart."""
    finite = ratios[np.isfinite(ratios)]
    high = float(finite.max()) if finite.size else 0.0
    return max(2.0, red * 1.2, math.ceil(high * 1.1 * 2) / 2)


def _zone(y0: float, y1: float, colour: str) -> dict[str, Any]:
    return {
        "type": "rect",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "yref": "y2",
        "y0": y0,
        "y1": y1,
        "fillcolor": colour,
        "line": {"width": 0},
        "layer": "below",
    }


def _ratio_zones(low: float, high: float, red: float, top: float) -> list[dict[str, Any]]:
    """Amber below ``low`` and between ``high`` and ``red``, green between, red above."""
    return [
        _zone(0, low, "rgba(184,110,0,0.10)"),
        _zone(low, high, "rgba(27,158,119,0.12)"),
        _zone(high, red, "rgba(184,110,0,0.14)"),
        _zone(red, top, "rgba(192,38,45,0.12)"),
    ]


def _zone_note(red: float, top: float) -> dict[str, Any]:
    return {
        "text": f"red above {red:g}",
        "xref": "paper",
        "x": 1,
        "xanchor": "right",
        "yref": "y2",
        "y": top,
        "yanchor": "top",
        "showarrow": False,
        "font": {"color": "#c0262d", "size": 11},
    }


def _mornings(
    weekly: pd.DataFrame, days: str, symbol: str, least: int, name: str, size: int = 6
) -> dict[str, Any]:
    """Markers of a weekly mean morning score: hollow over fewer than ``least`` mornings
    (not compared by the rules), and the count in the hover."""
    n = _column(weekly, days).fillna(0).to_numpy(dtype="float64")
    return {
        "marker": {
            # weeks without a score draw no point: filled, so the legend shows the symbol
            "symbol": [f"{symbol}-open" if 0 < k < least else symbol for k in n],
            "size": size,
        },
        "customdata": [f"{k:.0f} morning{'' if k == 1 else 's'}" for k in n],
        "hovertemplate": "%{x}: %{y:.2f} over %{customdata}<extra>" + name + "</extra>",
    }


def _line(x: list[str], values: pd.Series, name: str, colour: str, axis: str) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "x": x,
        "y": _clean(values),
        "name": name,
        "line": {"color": colour, "width": 2},
        "connectgaps": False,
        "xaxis": "x",
        "yaxis": axis,
        "hovertemplate": "%{x}: %{y:.2f}<extra>" + name + "</extra>",
    }


VISA = "#66a61e"
VISA_FALL = "#c0262d"


#: how much of its week's category a week's VISA-A results spread over, Monday to Sunday
#: (of 1): the rest is a gap, so each result reads as its own week's
VISA_SPREAD = 0.7


def visa_axis(weeks: list[str]) -> dict[str, Any]:
    """A hidden linear axis laid over the weeks' category axis, with the same range (week
    ``k`` at ``k``), for VISA-A results placed by day within their week."""
    return {
        "type": "linear",
        "overlaying": "x",
        "range": [-0.5, len(weeks) - 0.5],
        "visible": False,
        "fixedrange": True,
    }


def visa_x(dates: pd.Series, first_week: str) -> np.ndarray:
    """The place of each date on :func:`visa_axis`: its week's number from ``first_week``
    (0), plus its day, Monday to Sunday, spread over ``VISA_SPREAD`` around the week."""
    from analyzer.weekly.daily import week_start

    days = ((dates - week_start(first_week)) / pd.Timedelta(days=1)).to_numpy(dtype="float64")
    week, weekday = np.floor(days / 7), np.mod(days, 7)
    return week + (weekday - 3) / 6 * VISA_SPREAD


def _visa_points(
    visa_a: pd.DataFrame, weekly: pd.DataFrame, drop: float | None = None, window_weeks: int = 12
) -> dict[str, Any]:
    """Every VISA-A result at its day within its week (:func:`visa_x`), so several in one
    week each show, in order: a fall and a later rise both stay visible (the week's last
    result alone hid the fall). A result that fell by ``drop`` or more (the red flag,
    ``daily.visa_a_steps``) is red. The last result before the weeks shown is kept, off the
    chart, so the line comes in from it."""
    rows = visa_a.dropna(subset=["total"]).sort_values("date", kind="stable")
    dates = pd.to_datetime(rows["date"]).dt.normalize()
    totals = rows["total"].to_numpy(dtype="float64")
    falls = np.zeros(len(totals), dtype=bool)
    if drop is not None and len(totals) > 1:
        steps = visa_a_steps(rows, dates.iloc[0], dates.iloc[-1], window_weeks)
        falls[1:] = [step.fall >= drop for step in steps]
    x = visa_x(dates, str(weekly.index[0])) if len(weekly.index) else np.zeros(len(totals))
    keep = np.ones(len(totals), dtype=bool)
    before = np.flatnonzero(x < -0.5)
    keep[before[:-1]] = False  # all but the last one before the weeks shown
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "x": _clean(x[keep]),
        "y": _clean(totals[keep]),
        "text": [date_words(d) for d in dates[keep]],
        "name": "VISA-A (0–100, 100 = no symptoms), each result",
        "line": {"color": VISA, "width": 2},
        "marker": {"size": 9, "color": [VISA_FALL if f else VISA for f in falls[keep]]},
        "hovertemplate": "%{text}: VISA-A %{y:.0f}/100<extra></extra>",
        "xaxis": "x2",
        "yaxis": "y4",
    }


def hill_summary(hills: pd.DataFrame, units: Units) -> list[dict[str, str]]:
    """One row of words per hill for the table under the profiles."""
    rows = []
    for h in records(hills):
        rows.append(
            {
                "where": f"{units.fmt_dist(h['start_distance_m'])} in",
                "length": units.fmt_high(h["length_m"])
                if units.system == "km"
                else f"{h['length_m'] / 0.3048:.0f} ft",
                "grade": f"{h['grade_avg_pct']:.1f}%",
                "gain": units.fmt_high(h["gain_m"]),
                "how": "walked" if h["walked"] else "run",
            }
        )
    return rows
