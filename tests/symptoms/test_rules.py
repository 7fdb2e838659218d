"""The pain-monitoring and load rules of symptoms.rules, one function at a time, after
the rules review: pain after a run, the settle words, stiffness creeping up, numbers
beside their limits and the low side of the ratio."""

from __future__ import annotations

import pytest

from analyzer.settings import Settings
from analyzer.symptoms import rules
from analyzer.symptoms.rules import PainRules

PAIN = PainRules()


def test_pain_after_the_run_above_five_is_amber() -> None:
    # Silbernagel et al. 2007 (Silbernagel & Crossley 2015, JOSPT): pain after the
    # activity may reach 5/10; above it is too much for that run
    v = rules.run_verdict(1, 2, 2, PAIN, pain_after_run=8)
    assert (v.light, v.reasons) == ("amber", ("pain after the run was 8/10, above 5",))
    assert rules.run_verdict(1, 2, 2, PAIN, pain_after_run=5).light == "green"  # may reach 5
    strict = PainRules.from_settings(Settings(pain_acceptable_max=4.0))
    assert rules.pain_after(4.5, strict) is not None  # the same setting as pain during


def test_the_stiffness_settle_words_name_the_morning_compared() -> None:
    stiff = rules.settle_finding(1.0, 4.0, PAIN)
    assert stiff is not None
    assert stiff.reason == (
        "next morning's stiffness was 4/10, up from 1/10 the morning of the run: "
        "not settled by the next morning"
    )


def test_the_unsettled_red_flag_says_it_is_pain() -> None:
    (flag,) = rules.flag_unsettled_in_a_row([("Tue 20 Oct", False), ("Thu 22 Oct", False)])
    assert flag.text == (
        "pain on getting up had not settled by the next morning after two runs in a row "
        "(Tue 20 Oct and Thu 22 Oct): talk to your physio."
    )


def test_a_creep_within_noise_or_with_a_flat_week_is_no_red_flag() -> None:
    # 0.1 a week: rising, but 0.2 over two weeks is under the 0.5 of the setting
    assert rules.flag_stiffness_rising([2.0, 2.1, 2.2], PAIN) == []
    # a big rise, then none: not "two weeks in a row"
    assert rules.flag_stiffness_rising([2.0, 2.6, 2.6], PAIN) == []
    # compared at the one decimal shown: 2.04 reads 2.0, no rise on 2.0
    assert rules.flag_stiffness_rising([2.0, 2.04, 2.6], PAIN) == []
    # 2.3, 2.5, 2.8: 0.5 in all (2.8 - 2.3 is 0.4999999999999998 in floats)
    assert [f.rule for f in rules.flag_stiffness_rising([2.3, 2.5, 2.8], PAIN)] == [
        "stiffness_rising"
    ]


# --- 7. numbers beside their limits ----------------------------------------------------


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (0.104, "10.4%"),  # the review: "up 10%" beside "limit +10%"
        (0.1004, "10.04%"),  # one decimal would still read as the limit
        (0.1096, "11.0%"),  # within a point of it
        (0.13, "13%"),
        (0.5, "50%"),
    ],
)
def test_a_distance_change_never_reads_as_the_limit(change: float, shown: str) -> None:
    found = rules.distance_change(change, Settings())
    assert found is not None
    assert found.reason == f"weekly distance up {shown} on the week before (limit +10%)"


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (1.503, "1.503, above 1.5"),
        (1.304, "1.304, above 1.3"),
        (1.496, "1.496, above 1.3"),  # "1.50" would read as the red limit
        (1.4, "1.40, above 1.3"),
        (0.797, "0.797, below 0.8 (less load than usual)"),
        (0.79, "0.79, below 0.8 (less load than usual)"),
    ],
)
def test_a_ratio_never_reads_as_a_limit(ratio: float, words: str) -> None:
    found = rules.acwr_finding(ratio, "distance", Settings())
    assert found is not None
    assert found.reason == f"acute:chronic distance ratio {words}"


# --- 8. the low side of the ratio ------------------------------------------------------


def test_the_low_side_is_less_load_than_usual_and_still_amber() -> None:
    # DOMAIN: below 0.8 is amber; a runner in rehab who ran more easily is not alarmed
    found = rules.acwr_finding(0.5, "heart-rate load", Settings())
    assert found is not None
    assert found.light == "amber"
    assert found.reason == (
        "acute:chronic heart-rate load ratio 0.50, below 0.8 (less load than usual)"
    )
    assert "sudden" not in found.reason
