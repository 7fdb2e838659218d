"""moving_average: the 1 s grid it averages on never grows with a record's time span.

The reference below is the definition (the whole grid from first to last sample, made
at once); the function must give its values, and on a clock that jumps by decades
allocate in proportion to the samples only.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from analyzer.metrics.elevation import GRID_PER_SAMPLE, moving_average


def full_grid_average(t_s: np.ndarray, values: np.ndarray, window_s: float) -> np.ndarray:
    """The definition: every grid second from the first sample to the last."""
    grid = np.arange(t_s[0], t_s[-1] + 1.0, 1.0)
    on_grid = np.interp(grid, t_s, values)
    k = 2 * int(round(window_s) // 2) + 1
    padded = np.pad(on_grid, (k // 2, k // 2), mode="edge")
    csum = np.concatenate([[0.0], np.cumsum(padded)])
    return np.interp(t_s, grid, (csum[k:] - csum[:-k]) / k)


def gappy_record(rng: np.random.Generator, n: int, start_s: float) -> np.ndarray:
    """Sample times with 1-28 s steps and, now and then, pauses of minutes to hours."""
    steps = rng.choice([1.0, 1.0, 2.0, 7.0, 28.0, 600.0, 5000.0], size=n - 1)
    return start_s + np.concatenate([[0.0], np.cumsum(steps * rng.uniform(0.5, 1.5, n - 1))])


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("window_s", [1.5, 9.0, 10.0, 30.0, 61.7])
def test_same_values_as_the_full_grid(seed: int, window_s: float) -> None:
    rng = np.random.default_rng(seed)
    t = gappy_record(rng, int(rng.integers(2, 200)), start_s=0.0 if seed % 2 else 1e5 / 3)
    z = rng.normal(size=t.size).cumsum()
    # sparse enough (hours-long pauses) that many of these are made in stretches
    assert moving_average(t, z, window_s) == pytest.approx(
        full_grid_average(t, z, window_s), abs=1e-9
    )


def test_dense_recordings_are_the_full_grid_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    t = np.cumsum(rng.choice([1.0, 2.0, 3.0], size=3000)) - 1.0
    z = rng.normal(size=t.size).cumsum()
    assert np.array_equal(moving_average(t, z, 10.0), full_grid_average(t, z, 10.0))


def test_a_clock_jump_of_decades_costs_memory_of_the_samples_only() -> None:
    # the damaged Strava file: 472 records over 314 s, then one dated 64 years later
    t = np.concatenate([np.arange(0.0, 472.0), [2.027e9]])
    z = np.sin(t / 30.0)
    assert GRID_PER_SAMPLE * t.size < t[-1] - t[0]  # so not on one grid
    tracemalloc.start()
    try:
        smooth = moving_average(t, z, 30.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000  # bytes; the full grid would be 16 GB
    # far from the jump, the average is that of the first 472 records alone
    alone = full_grid_average(t[:-1], z[:-1], 30.0)
    assert smooth[:400] == pytest.approx(alone[:400], abs=1e-12)
    assert smooth[-1] == pytest.approx(z[-1])  # the stray record averages only itself
