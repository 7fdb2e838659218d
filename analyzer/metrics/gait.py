"""Gait: each row is running, walking or standing.

Standing: below ``Settings.stand_speed_mps``. Otherwise cadence decides where the
row has one (walking below ``Settings.walk_cadence_spm``), and speed where it does not
(walking below ``Settings.walk_speed_mps``). A cadence of 0 while moving is a sensor
dropout, so speed decides there too. Speed is the step's (``distance.step_speed_mps``):
the device's, or the distance channel's where the device wrote one below standing while
its distance advanced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyzer.metrics.distance import step_speed_mps
from analyzer.metrics.steps import step_seconds
from analyzer.schema import Pause
from analyzer.settings import Settings

STANDING, WALKING, RUNNING = 0, 1, 2
GAIT_NAMES = {STANDING: "standing", WALKING: "walking", RUNNING: "running"}


@dataclass(frozen=True)
class Gait:
    """Seconds of timer time (time-weighted, gaps excluded) in each gait."""

    running_s: float
    walking_s: float
    standing_s: float
    source: str  # "cadence", "speed", "mixed" or "none"


def gait_states(frame: pd.DataFrame, settings: Settings) -> np.ndarray:
    """Per-row gait code: STANDING (0), WALKING (1) or RUNNING (2)."""
    cadence = frame["cadence_spm"].to_numpy()
    speed = step_speed_mps(frame, settings)
    has_cadence = np.isfinite(cadence) & (cadence > 0)
    by_cadence = np.where(cadence < settings.walk_cadence_spm, WALKING, RUNNING)
    by_speed = np.where(speed < settings.walk_speed_mps, WALKING, RUNNING)
    states = np.where(has_cadence, by_cadence, by_speed)
    return np.where(speed >= settings.stand_speed_mps, states, STANDING)


def gait_source(frame: pd.DataFrame) -> str:
    cadence = frame["cadence_spm"].to_numpy()
    share = float(np.mean(np.isfinite(cadence) & (cadence > 0))) if len(cadence) else 0.0
    if len(cadence) == 0:
        return "none"
    if share == 0:
        return "speed"
    return "cadence" if share > 0.9 else "mixed"


def gait(frame: pd.DataFrame, settings: Settings, pauses: Sequence[Pause] = ()) -> Gait:
    """Time in each gait (s), summed over time steps, not rows."""
    weights = step_seconds(frame, settings, pauses)
    states = gait_states(frame, settings)
    return Gait(
        running_s=float(weights[states == RUNNING].sum()),
        walking_s=float(weights[states == WALKING].sum()),
        standing_s=float(weights[states == STANDING].sum()),
        source=gait_source(frame),
    )
