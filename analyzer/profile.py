"""The runner's profile: parsing and checking the values of :class:`Settings` a user sets.

Pure: no store here. ``analyzer profile set`` parses text with :func:`parse_value`, checks
the result with :func:`check_settings`, and recomputes the summaries when
:func:`affects_analysis` says a change matters to the metrics.
"""

from __future__ import annotations

import hashlib
import json
import math
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import MISSING, fields
from typing import Any, get_args, get_origin

from analyzer.activity import ANALYSIS_VERSION
from analyzer.errors import InvalidEntry
from analyzer.hills.overview import SETTINGS_USED as HILL_SETTINGS
from analyzer.localtime import zone
from analyzer.settings import RANGES, Settings
from analyzer.symptoms.entries import SIDES

#: settings only the report reads: changing them needs no new summaries
REPORT_ONLY = frozenset(
    {
        "units",
        "affected_side",
        "weekly_increase_limit",
        "acwr_low",
        "acwr_high",
        "acwr_red",
        "acwr_min_weeks",
        "acwr_max_break_weeks",
        "rest_day_required",
        "drops_after_run_window_s",
        "drops_sessions_per_day",
        "drops_session_gap_s",
        "drops_programme_weeks",
        "drops_sets_target",
        "drops_reps_target",
        "pain_safe_max",
        "pain_acceptable_max",
        "settle_rise_points",
        "weekly_stiffness_rise_points",
        "weekly_min_mornings",
        "visa_a_drop_points",
        "visa_a_window_weeks",
        "link_min_pairs",
        "link_lump_share",
        *HILL_SETTINGS,
    }
)


#: settings typed as plain text that take one of a few words (any case)
CHOICES: dict[str, tuple[str, ...]] = {"affected_side": SIDES}


def names() -> list[str]:
    return [f.name for f in fields(Settings)]


def affects_analysis(name: str) -> bool:
    """Whether changing ``name`` changes the stored summaries."""
    return name not in REPORT_ONLY


def _hint(name: str) -> Any:
    hints = typing.get_type_hints(Settings)
    return hints[name]


def _choices(hint: Any) -> tuple[str, ...] | None:
    args = [a for a in get_args(hint) if a is not type(None)]
    if get_origin(hint) is typing.Literal:
        return tuple(str(a) for a in get_args(hint))
    for arg in args:
        if get_origin(arg) is typing.Literal:
            return tuple(str(a) for a in get_args(arg))
    return None


def _base(hint: Any) -> Any:
    if get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        return args[0] if args else str
    return hint


#: the word that returns any setting to its default (the profile's value removed)
DEFAULT = "default"


def parse_value(name: str, raw: str) -> Any:
    """The value of setting ``name`` written as text; None where it goes back to its
    default: ``default`` for any setting, ``none`` (or nothing) for an optional one."""
    if name not in names():
        raise InvalidEntry(name, f"unknown setting; the settings are: {', '.join(names())}")
    hint = _hint(name)
    text = raw.strip()
    if text.lower() == DEFAULT or (text.lower() in ("none", "") and _optional(name)):
        return None
    choices = _choices(hint) or CHOICES.get(name)
    if choices is not None:
        if text.lower() not in choices:
            raise InvalidEntry(name, f"{raw!r} is not one of {', '.join(choices)}")
        return text.lower()
    return _convert(name, _base(hint), text)


def _optional(name: str) -> bool:
    field = next(f for f in fields(Settings) if f.name == name)
    return field.default is None or (field.default is MISSING)


def _convert(name: str, base: Any, text: str) -> Any:
    try:
        if base is bool:
            if text.lower() in ("true", "yes", "1", "on"):
                return True
            if text.lower() in ("false", "no", "0", "off"):
                return False
            raise ValueError(text)
        if base is int:
            return int(text)
        if base is float:
            return float(text)
        if get_origin(base) is tuple:
            return tuple(float(p) for p in text.split(","))
    except ValueError as exc:
        raise InvalidEntry(name, f"{text!r} is not a valid {_kind(base)}") from exc
    return text


def _kind(base: Any) -> str:
    if get_origin(base) is tuple:
        return "comma-separated list of numbers"
    return {bool: "true/false", int: "whole number", float: "number"}.get(base, "value")


def check_settings(settings: Settings, changed: Iterable[str] | None = None) -> Settings:
    """The settings if every value is sensible, else InvalidEntry naming the first bad one.

    ``changed``: check only the rules these settings take part in (a value stored under
    an older, looser rule must not block setting something else); None checks them all.
    """
    every = {f.name for f in fields(Settings)}
    names = every if changed is None else set(changed) & every
    for name in sorted(names):
        check_range(name, getattr(settings, name))
    if "timezone" in names and settings.timezone:
        zone(settings.timezone)
    if "affected_side" in names and settings.affected_side not in (None, *SIDES):
        raise InvalidEntry("affected_side", f"must be one of {', '.join(SIDES)}")
    if "sex" in names and settings.sex not in (None, "male", "female"):
        raise InvalidEntry("sex", "must be male or female")
    for together, broken, name, problem in _RULES:
        if names & together and broken(settings):
            raise InvalidEntry(name, problem(settings))
    return settings


def _rest_above_max(s: Settings) -> bool:
    return s.hr_rest_bpm is not None and s.hr_max_bpm is not None and s.hr_rest_bpm >= s.hr_max_bpm


def _bad_edges(s: Settings) -> bool:
    edges = s.zone_edges
    return any(b <= a for a, b in zip(edges, edges[1:], strict=False)) or any(
        not 0 < e < 1 for e in edges
    )


def _edges_hint(edges: tuple[float, ...]) -> str:
    """``; did you mean 0.50,0.60,...?`` where the zone edges were given as percentages."""
    if not edges or not all(1 < e < 100 for e in edges):
        return ""
    return f"; did you mean {','.join(_two_places(e / 100) for e in edges)}?"


#: settings that must agree: (the settings, broken?, the one named, the problem)
_RULES: tuple[tuple[set[str], Callable[[Settings], bool], str, Callable[[Settings], str]], ...] = (
    (
        {"hr_rest_bpm", "hr_max_bpm"},
        _rest_above_max,
        "hr_rest_bpm",
        lambda s: f"resting {s.hr_rest_bpm:g} must be below maximum {s.hr_max_bpm:g}",
    ),
    (
        {"acwr_low", "acwr_high", "acwr_red"},
        lambda s: not s.acwr_low < s.acwr_high <= s.acwr_red,
        "acwr_high",
        lambda s: "needs acwr_low < acwr_high <= acwr_red",
    ),
    (
        {"zone_edges"},
        _bad_edges,
        "zone_edges",
        lambda s: "must be increasing fractions between 0 and 1" + _edges_hint(s.zone_edges),
    ),
    (
        {"stand_speed_mps", "walk_speed_mps"},
        lambda s: s.stand_speed_mps >= s.walk_speed_mps,
        "stand_speed_mps",
        lambda s: "must be below walk_speed_mps",
    ),
)


def check_range(name: str, value: Any) -> None:
    """InvalidEntry where a number is outside its setting's range (``RANGES``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    low, high = RANGES.get(name, (0.0, math.inf))
    if not math.isfinite(value) or not low <= value <= high:
        shown = f"{low:g}-{high:g}" if math.isfinite(high) else f">= {low:g}"
        raise InvalidEntry(name, f"{value:g} is outside {shown}{_share_hint(value, low, high)}")


def _share_hint(value: float, low: float, high: float) -> str:
    """``; did you mean 0.70?`` where a share (a setting from 0 to 1) was given as a
    percentage (1-100) that would be a valid share; else nothing."""
    if not (low >= 0 and high <= 1 and 1 < value <= 100 and low <= value / 100 <= high):
        return ""
    return f"; did you mean {_two_places(value / 100)}?"


def _two_places(share: float) -> str:
    """``0.70`` for 70%; more places only where they are needed (``0.725``)."""
    return f"{share:.2f}" if abs(round(share, 2) - share) < 1e-9 else f"{share:g}"


def settings_key(settings: Settings, observed_max_bpm: float | None) -> str:
    """Fingerprint of what a summary depends on: the settings the metrics read, and the
    history-wide observed maximum heart rate where the profile gives none."""
    relevant: dict[str, Any] = {k: v for k, v in settings.to_dict().items() if affects_analysis(k)}
    relevant["analysis_version"] = ANALYSIS_VERSION
    if settings.hr_max_bpm is None and observed_max_bpm is not None:
        relevant["observed_max_bpm"] = round(float(observed_max_bpm), 3)
    text = json.dumps(relevant, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:16]
