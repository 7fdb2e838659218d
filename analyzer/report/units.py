"""Display units of the profile: miles, min/mile and feet, or km, min/km and metres."""

from __future__ import annotations

import math
from dataclasses import dataclass

MI_M = 1609.344
FT_M = 0.3048


@dataclass(frozen=True)
class Units:
    """Conversions from SI for display; ``system`` is ``"mi"`` or ``"km"``."""

    system: str

    @property
    def distance_m(self) -> float:
        """Metres in one display distance unit."""
        return MI_M if self.system == "mi" else 1000.0

    @property
    def distance(self) -> str:
        return "mi" if self.system == "mi" else "km"

    @property
    def pace(self) -> str:
        return "min/mi" if self.system == "mi" else "min/km"

    @property
    def height(self) -> str:
        return "ft" if self.system == "mi" else "m"

    def dist(self, metres: float | None) -> float | None:
        """Metres to miles or km."""
        if metres is None or not math.isfinite(metres):
            return None
        return metres / self.distance_m

    def high(self, metres: float | None) -> float | None:
        """A height in metres to feet or metres."""
        if metres is None or not math.isfinite(metres):
            return None
        return metres / FT_M if self.system == "mi" else metres

    def fmt_dist(self, metres: float | None, digits: int = 2) -> str:
        value = self.dist(metres)
        return "–" if value is None else f"{value:.{digits}f} {self.distance}"

    def fmt_high(self, metres: float | None) -> str:
        value = self.high(metres)
        return "–" if value is None else f"{value:.0f} {self.height}"

    def fmt_pace(self, s_per_km: float | None) -> str:
        """Seconds per km to ``m:ss /mi`` or ``m:ss /km``."""
        if s_per_km is None or not math.isfinite(s_per_km) or s_per_km <= 0:
            return "–"
        seconds = s_per_km * self.distance_m / 1000.0
        return f"{fmt_clock(seconds)} /{self.distance}"


def fmt_clock(seconds: float | None) -> str:
    """``m:ss`` or ``h:mm:ss``."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def fmt_minutes(seconds: float | None) -> str:
    """A duration for prose: ``1 min 32 s``, ``45 s`` or ``2 h 05 min``."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h} h {m:02d} min"
    return f"{m} min {s:02d} s" if s else f"{m} min"
