"""Spearman's rho, pairs and bootstrap interval against values worked out by hand; every
load against every next-morning symptom, and the words for each case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.settings import Settings
from analyzer.weekly.associations import (
    LOADS,
    NOT_CAUSE,
    SYMPTOMS,
    Association,
    Lump,
    associate,
    describe,
    links,
    lump,
    lump_words,
    never_logged,
    resampled_ranks,
    spearman_rho,
)
from analyzer.weekly.view import history
from tests.weekly.helpers import checkin, make_inputs, run

UPHILL, GAIN, EASY, DISTANCE, TRIMP = LOADS
STIFFNESS, PAIN, TENDERNESS = SYMPTOMS


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
    assert describe(a, DISTANCE, STIFFNESS).startswith("Not enough data yet: 7 pairs")


def test_incomplete_pairs_are_dropped() -> None:
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, np.nan, 10], dtype=float)
    y = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, np.nan], dtype=float)
    a = associate(x, y)
    assert a.n == 8  # the default link_min_pairs: just enough
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


def test_a_perfectly_monotone_pairing_has_rho_one() -> None:
    x = np.arange(12.0)
    up, down = associate(x, x**2), associate(x, -x)
    assert (up.rho, up.low, up.high, up.n) == (pytest.approx(1.0), 1.0, 1.0, 12)
    assert down.rho == pytest.approx(-1.0)
    text = describe(up, UPHILL, STIFFNESS)
    assert text == (
        "A strong tendency: more uphill running went with higher next-morning stiffness. "
        "The interval excludes zero."
    )


def test_a_load_that_never_varies_says_so_not_that_data_is_short() -> None:
    # every hill walked: 12 runs, uphill running time 0 on each, stiffness varying
    a = associate(np.zeros(12), np.arange(12.0) % 5)
    assert (a.n, a.rho, a.flat_x, a.flat_y, a.flat) == (12, None, 0.0, None, True)
    text = describe(a, UPHILL, STIFFNESS)
    assert text == "All 12 runs had no uphill running: nothing to compare yet."
    assert "Not enough data" not in text


def test_a_symptom_that_never_varies_says_so() -> None:
    a = associate(np.arange(12.0), np.full(12, 2.0))
    assert (a.flat_x, a.flat_y) == (None, 2.0)
    assert describe(a, DISTANCE, STIFFNESS) == (
        "After all 12 runs, the next morning's stiffness was 2/10: nothing to compare yet."
    )


def test_both_flat_and_a_load_flat_above_zero() -> None:
    both = associate(np.zeros(9), np.ones(9))
    assert describe(both, GAIN, TENDERNESS) == (
        "All 9 runs had no climbing while running, and the next morning's tenderness was "
        "1/10 after each: nothing to compare yet."
    )
    easy = associate(np.ones(10), np.arange(10.0))
    assert (
        describe(easy, EASY, PAIN) == "All 10 runs had the same easy share: nothing to compare yet."
    )


def test_few_pairs_win_over_nothing_varies() -> None:
    a = associate(np.zeros(7), np.arange(7.0))
    assert (a.n, a.flat) == (7, False)
    assert describe(a, UPHILL, STIFFNESS).startswith("Not enough data yet: 7 pairs")


def test_no_pairs_at_all_is_said_plainly() -> None:
    a = associate(np.full(5, np.nan), np.arange(5.0))
    assert describe(a, TRIMP, PAIN) == (
        "No pairs yet: no run up to this week has both TRIMP and a next-morning pain score."
    )


def test_words_never_claim_cause() -> None:
    x = np.arange(12.0)
    rng = np.random.default_rng(3)
    cases = [
        associate(x, x),
        associate(x, -x),
        associate(x, rng.normal(size=12)),
        associate(np.zeros(12), x),
        associate(x[:5], x[:5]),
        Association(0, None, None, None),
    ]
    texts = [describe(a, load, symptom) for a in cases for load in LOADS for symptom in SYMPTOMS]
    assert any("went with" in t for t in texts)
    assert "not what causes what" in NOT_CAUSE
    for text in texts:
        for word in ("cause", "because", "leads to", "makes", "due to", "result"):
            assert word not in text.lower()


def test_every_load_meets_every_symptom() -> None:
    assert [m.column for m in LOADS] == [
        "uphill_run_s",
        "uphill_run_gain_m",
        "easy_share",
        "distance_m",
        "trimp",
    ]
    assert [m.column for m in SYMPTOMS] == ["next_stiffness", "next_pain", "next_tenderness"]


def test_links_use_runs_up_to_the_date() -> None:
    days = pd.date_range("2026-10-01", periods=10, freq="2D")
    up = np.arange(10.0)
    runs = pd.DataFrame(
        {
            "local_date": days,
            "uphill_run_s": up,
            "uphill_run_gain_m": up * 3,
            "easy_share": np.linspace(1, 0, 10),
            "distance_m": up * 100,
            "trimp": up**2,
            "next_stiffness": up,
            "next_pain": up / 2,
            "next_tenderness": 10 - up,
        }
    )
    found = links(runs, days[7], Settings())
    assert [(lk.load, lk.symptom) for lk in found] == [(m, s) for m in LOADS for s in SYMPTOMS]
    assert [lk.association.n for lk in found] == [8] * 15
    rho = {(lk.load.column, lk.symptom.column): lk.association.rho for lk in found}
    assert rho["uphill_run_s", "next_stiffness"] == pytest.approx(1.0)
    assert rho["easy_share", "next_stiffness"] == pytest.approx(-1.0)
    assert rho["trimp", "next_pain"] == pytest.approx(1.0)
    assert rho["uphill_run_gain_m", "next_tenderness"] == pytest.approx(-1.0)
    assert all(lk.text == describe(lk.association, lk.load, lk.symptom) for lk in found)


def test_a_symptom_column_the_runs_lack_has_no_pairs() -> None:
    days = pd.date_range("2026-10-01", periods=9, freq="D")
    runs = pd.DataFrame(
        {"local_date": days, "next_stiffness": np.arange(9.0)}
        | {m.column: np.arange(9.0) for m in LOADS}
    )
    found = links(runs, days[-1], Settings())
    assert {lk.association.n for lk in found if lk.symptom == PAIN} == {0}
    assert {lk.association.n for lk in found if lk.symptom == STIFFNESS} == {9}
    assert never_logged(found) == [PAIN, TENDERNESS]


def test_next_morning_pain_is_the_morning_pain_of_the_day_after() -> None:
    """Run on local day d -> the check-in of the morning of d+1: its morning pain, never
    the pain during or after the run (logged on day d)."""
    days = pd.date_range("2026-10-05", periods=10, freq="2D")
    runs = [run(f"{d:%Y-%m-%d}T17:00Z", 3000.0 + 100 * i) for i, d in enumerate(days)]
    checkins = []
    for i, d in enumerate(days):
        checkins.append(checkin(f"{d:%Y-%m-%d}", 2.0, pain_after=9.0 - i, pain_during=1.0))
        after = d + pd.Timedelta(days=1)
        checkins.append(
            checkin(f"{after:%Y-%m-%d}", 2.0, morning_pain=float(i), pinch_tenderness=1)
        )
    hist = history(make_inputs(runs, checkins))
    assert list(hist.runs["next_pain"]) == [float(i) for i in range(10)]
    found = {(lk.load, lk.symptom): lk for lk in links(hist.runs, days[-1], Settings())}
    pain = found[DISTANCE, PAIN].association
    assert (pain.n, pain.rho) == (10, pytest.approx(1.0))  # longer runs, more pain: by design
    assert found[DISTANCE, STIFFNESS].association.flat_y == 2.0
    assert found[DISTANCE, TENDERNESS].text.startswith("After all 10 runs, the next morning's")


# --- a rho resting on the few pairs outside one shared value -----------------------------

#: the user test's case: 8 of 10 runs with no uphill running, the 2 others with some
EIGHT_FLAT = np.array([0.0] * 8 + [120.0, 300.0])
MORNINGS = np.array([2.0, 1, 2, 3, 2, 1, 2, 2, 4, 5])


def test_most_runs_at_one_load_value_get_a_caution() -> None:
    a = associate(EIGHT_FLAT, MORNINGS)
    assert a.rho is not None
    assert a.rho > 0.5  # "strong" by rho alone
    assert a.lump_x == Lump(0.0, 8)
    assert a.lump_y is None
    text = describe(a, UPHILL, STIFFNESS)
    assert text.startswith("A strong tendency: more uphill running went with higher")
    assert text.endswith(
        " But 8 of 10 runs had no uphill running, so this rests on the other 2 runs."
    )
    assert lump_words(a, UPHILL, STIFFNESS) == "8 of 10 runs: no uphill running"


def test_most_mornings_at_one_score_get_a_caution() -> None:
    a = associate(np.arange(10.0), np.array([2.0] * 7 + [3.0, 4.0, 5.0]))
    assert (a.lump_x, a.lump_y) == (None, Lump(2.0, 7))
    text = describe(a, DISTANCE, PAIN)
    assert text.endswith(
        " But after 7 of 10 runs the next morning's pain was 2/10, so this rests on the "
        "other 3 runs."
    )
    assert lump_words(a, DISTANCE, PAIN) == "7 of 10 mornings: pain 2/10"


def test_a_shared_load_above_zero_and_a_shared_score_together() -> None:
    x = np.array([1.0] * 9 + [0.4])  # 9 of 10 runs all easy
    y = np.array([2.0] * 8 + [1.0, 6.0])
    a = associate(x, y)
    assert (a.lump_x, a.lump_y) == (Lump(1.0, 9), Lump(2.0, 8))
    text = describe(a, EASY, TENDERNESS)
    assert (
        " But 9 of 10 runs had the same easy share and after 8 of 10 runs the next morning's "
        "tenderness was 2/10, so this rests on the other 2 runs."  # runs 9 and 10
    ) in text


def test_under_seventy_percent_alike_gets_no_caution() -> None:
    x = np.array([0.0] * 6 + [60.0, 120.0, 180.0, 240.0])  # 6 of 10: 60%
    a = associate(x, MORNINGS)
    assert (a.lump_x, a.lump_y) == (None, None)
    assert "rests on" not in describe(a, UPHILL, STIFFNESS)
    assert lump_words(a, UPHILL, STIFFNESS) == ""
    assert lump(np.array([0.0] * 7 + [1.0, 2.0, 3.0])) == Lump(0.0, 7)  # 70%: from here on
    assert lump(np.array([], dtype=float)) is None


def test_the_caution_never_speaks_of_cause() -> None:
    for x, y in ((EIGHT_FLAT, MORNINGS), (np.arange(10.0), np.array([2.0] * 8 + [3, 4]))):
        a = associate(x, y)
        for load in LOADS:
            for symptom in SYMPTOMS:
                text = describe(a, load, symptom)
                assert "rests on the other" in text
                assert "cause" not in text.lower()
    assert NOT_CAUSE == "This shows what goes together, not what causes what."


def test_flat_and_too_few_pairs_carry_no_lump() -> None:
    assert associate(np.zeros(12), np.arange(12.0) % 5).lump_x is None  # flat says it all
    assert associate(np.zeros(7), np.arange(7.0)).lump_x is None  # too few: no rho at all


@given(
    values=st.lists(st.integers(0, 6), min_size=2, max_size=40),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=50, deadline=None)
def test_resampled_ranks_are_pandas_average_ranks(values: list[int], seed: int) -> None:
    # the bootstrap's ranks, from counts, against pandas' rank(method="average") of each
    # resample (what it replaced), ties included
    x = np.asarray(values, dtype=float)
    idx = np.random.default_rng(seed).integers(0, len(x), size=(30, len(x)))
    expected = pd.DataFrame(x[idx]).rank(axis=1, method="average").to_numpy()
    assert np.array_equal(resampled_ranks(x, idx), expected)


def test_the_caution_counts_the_pairs_outside_either_lump() -> None:
    # final review: 8 of 10 loads at 0 and 8 of 10 scores at 2, on different runs: rho
    # rests on the 4 runs outside one lump or the other, not "the other 2"
    x = np.array([0.0] * 8 + [60.0, 120.0])
    y = np.array([2.0] * 6 + [3.0, 4.0, 2.0, 2.0])
    assoc = associate(x, y)
    assert assoc.outside == 4
    load = next(load for load in LOADS if load.column == "uphill_run_s")
    words = describe(assoc, load, SYMPTOMS[0])
    assert "so this rests on the other 4 runs" in words


# --- the pairs needed and the lump share are settings (DOMAIN: every threshold) ------------


def test_the_pairs_needed_are_the_setting() -> None:
    assert Settings().link_min_pairs == 8  # DOMAIN.md: below 8 pairs, not enough data yet
    five = associate(np.arange(5.0), np.arange(5.0), min_pairs=5)
    assert (five.n, five.rho, five.needed) == (5, pytest.approx(1.0), 5)
    ten = associate(np.arange(9.0), np.arange(9.0), min_pairs=10)
    assert (ten.n, ten.rho, ten.needed) == (9, None, 10)
    assert describe(ten, DISTANCE, STIFFNESS) == (
        "Not enough data yet: 9 pairs, at least 10 are needed before saying anything."
    )


def test_the_lump_share_is_the_setting() -> None:
    # 6 of 10 runs with no uphill running: 60%, no lump at the default 70%, a lump at 60%
    x = np.array([0.0] * 6 + [60.0, 120.0, 180.0, 240.0])
    y = np.array([2.0, 1, 3, 2, 1, 2, 3, 4, 5, 6])
    assert Settings().link_lump_share == 0.7
    assert associate(x, y).lump_x is None
    a = associate(x, y, lump_share=0.6)
    assert (a.lump_x, a.outside) == (Lump(0.0, 6), 4)
    assert describe(a, UPHILL, STIFFNESS).endswith(
        "But 6 of 10 runs had no uphill running, so this rests on the other 4 runs."
    )


def test_links_read_both_from_the_settings() -> None:
    days = pd.date_range("2026-10-01", periods=6, freq="D")
    runs = pd.DataFrame(
        {"local_date": days, "next_stiffness": np.array([1.0, 2, 3, 4, 5, 6])}
        | {m.column: np.array([0.0, 0, 0, 0, 10, 20]) for m in LOADS}
    )
    default = links(runs, days[-1], Settings())
    assert {lk.status for lk in default if lk.symptom == STIFFNESS} == {"few"}
    assert {lk.association.needed for lk in default} == {8}
    mine = Settings(link_min_pairs=6, link_lump_share=0.6)
    found = {(lk.load, lk.symptom): lk for lk in links(runs, days[-1], mine)}
    uphill = found[UPHILL, STIFFNESS].association
    assert (uphill.n, uphill.needed, uphill.lump_x) == (6, 6, Lump(0.0, 4))  # 4 of 6: 67%
    assert found[UPHILL, PAIN].text.startswith("No pairs yet")
    assert found[UPHILL, PAIN].association.needed == 6
