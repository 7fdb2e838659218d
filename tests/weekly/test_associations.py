"""Spearman's rho, pairs and bootstrap interval against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analyzer.weekly.associations import MIN_PAIRS, associate, describe, links, spearman_rho


def test_rho_without_ties_by_hand() -> None:
    # Neighbouring pairs swapped: every rank differs by 1, so sum d^2 = 8 and
    # rho = 1 - 6 * 8 / (8 * (8^2 - 1)) = 1 - 48/504 = 0.904762
    x = np.arange(1.0, 9.0)
    y = np.array([2, 1, 4, 3, 6, 5, 8, 7], dtype=float)
    assert spearman_rho(x, y) == pytest.approx(1 - 48 / 504)


def test_rho_with_ties_by_hand() -> None:
    # x ranks (1, 2.5, 2.5, 4), y ranks (1, 2, 3, 4), both means 2.5:
    # sum dx*dy = 2.25 + 0 + 0 + 2.25 = 4.5; sum dx^2 = 4.5; sum dy^2 = 5
    # rho = 4.5 / sqrt(4.5 * 5) = 0.948683
    assert spearman_rho(np.array([1.0, 2, 2, 3]), np.array([1.0, 2, 3, 4])) == pytest.approx(
        4.5 / np.sqrt(22.5)
    )


def test_rho_of_a_constant_is_none() -> None:
    assert spearman_rho(np.ones(9), np.arange(9.0)) is None


def test_below_eight_pairs_is_not_enough_data() -> None:
    a = associate(np.arange(7.0), np.arange(7.0))
    assert (a.n, a.rho, a.enough) == (7, None, False)
    assert describe(a, "distance", "a longer run", "stiffness").startswith("Not enough data yet")


def test_incomplete_pairs_are_dropped() -> None:
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, np.nan, 10], dtype=float)
    y = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, np.nan], dtype=float)
    a = associate(x, y)
    assert a.n == MIN_PAIRS
    assert a.rho == pytest.approx(1.0)


def test_bootstrap_is_seeded_and_brackets_rho() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=30)
    y = x + rng.normal(scale=1.0, size=30)
    a, b = associate(x, y), associate(x, y)
    assert a == b
    assert a.low is not None
    assert a.high is not None
    assert a.rho is not None
    assert a.low <= a.rho <= a.high
    assert -1 <= a.low < a.high <= 1


def test_words_never_claim_cause() -> None:
    x = np.arange(12.0)
    text = describe(associate(x, x), "uphill running time", "more uphill running", "stiffness")
    assert "went with" in text
    assert "not what causes what" in text
    lowered = text.replace("not what causes what", "")
    for word in ("cause", "because", "leads to", "makes", "due to"):
        assert word not in lowered


def test_links_use_runs_up_to_the_date() -> None:
    days = pd.date_range("2026-10-01", periods=10, freq="2D")
    runs = pd.DataFrame(
        {
            "local_date": days,
            "uphill_run_s": np.arange(10.0),
            "easy_share": np.linspace(1, 0, 10),
            "distance_m": np.arange(10.0) * 100,
            "next_stiffness": np.arange(10.0),
        }
    )
    found = links(runs, days[7])
    assert [lk.association.n for lk in found] == [8, 8, 8]
    assert found[0].association.rho == pytest.approx(1.0)
    assert found[1].association.rho == pytest.approx(-1.0)
