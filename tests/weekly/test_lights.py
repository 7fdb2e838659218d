"""Traffic lights and red flags of runs, days and weeks (symptoms.rules over the frames)."""

from __future__ import annotations

import pandas as pd

from analyzer.settings import Settings
from analyzer.symptoms import rules
from analyzer.symptoms.rules import PainRules
from analyzer.weekly.view import history
from tests.weekly.helpers import checkin, daily_checkins, make_inputs, run

PAIN = PainRules()


def test_pain_during_bands() -> None:
    assert rules.run_verdict(2, 2, 2, PAIN).light == "green"
    assert rules.run_verdict(3, 2, 2, PAIN).light == "amber"
    assert rules.run_verdict(5, 2, 2, PAIN).light == "amber"
    red = rules.run_verdict(6, 2, 2, PAIN)
    assert red.light == "red"
    assert "above 5" in red.reasons[0]


def test_not_settled_by_next_morning_is_amber_with_the_reason() -> None:
    v = rules.run_verdict(1, 2, 4, PAIN)
    assert v.light == "amber"
    assert "not settled" in v.reasons[0]
    assert rules.run_verdict(1, 2, 3, PAIN).light == "green"  # one point is day-to-day noise
    assert rules.run_verdict(1, None, 9, PAIN).light == "green"  # nothing to compare


def test_acwr_bands() -> None:
    s = Settings()
    assert rules.acwr_finding(1.0, "distance", s) is None
    assert rules.acwr_finding(0.7, "distance", s).light == "amber"  # type: ignore[union-attr]
    assert rules.acwr_finding(1.4, "distance", s).light == "amber"  # type: ignore[union-attr]
    assert rules.acwr_finding(1.6, "distance", s).light == "red"  # type: ignore[union-attr]


def test_red_flags_say_talk_to_your_physio() -> None:
    flags = [
        *rules.flag_pain_during([("Tue", 7.0)], PAIN),
        *rules.flag_unsettled_in_a_row([("Tue", False), ("Thu", False)]),
        *rules.flag_stiffness_rising([1.0, 2.0, 3.0], PAIN),
        *rules.flag_swelling(["Wed"]),
        *rules.flag_visa_a(70, 60, PAIN),
    ]
    assert {f.rule for f in flags} == {
        "pain_during",
        "unsettled",
        "stiffness_rising",
        "swelling",
        "visa_a",
    }
    assert all(f.text.endswith("talk to your physio.") for f in flags)
    assert rules.flag_visa_a(70, 61, PAIN) == []
    assert rules.flag_stiffness_rising([1.0, 2.0, 1.5], PAIN) == []
    assert rules.flag_unsettled_in_a_row([("Tue", False), ("Thu", True)]) == []


def _week(runs: list[dict], checkins: list[dict], **kw: object) -> tuple[str, tuple[str, ...], int]:
    hist = history(make_inputs(runs, checkins, **kw))  # type: ignore[arg-type]
    a = hist.assessments["2026-W43"]
    return a.verdict.light, a.verdict.reasons, len(a.red_flags)


def test_quiet_week_is_green() -> None:
    runs = [run(f"2026-10-{d}T06:00Z") for d in (20, 22, 24)]
    light, reasons, flags = _week(runs, daily_checkins("2026-10-19", "2026-10-26"))
    assert (light, flags) == ("green", 0)
    assert reasons


def test_two_unsettled_runs_in_a_row_make_a_red_week_with_a_flag() -> None:
    # DOMAIN's red flag is "pain that has not settled by the next morning on two runs in
    # a row": the pain on getting up, 1 on the other mornings, 4 after Tue and Thu
    runs = [run(f"2026-10-{d}T06:00Z") for d in (20, 22, 24)]
    checkins = [{**c, "morning_pain": 1.0} for c in daily_checkins("2026-10-19", "2026-10-26")]
    checkins[2] = checkin("2026-10-21", 2, morning_pain=4.0)  # morning after Tue
    checkins[4] = checkin("2026-10-23", 2, morning_pain=4.0)  # morning after Thu
    light, reasons, flags = _week(runs, checkins)
    assert light == "red"
    assert flags == 1
    assert any("two runs in a row" in r for r in reasons)


def test_stiffness_unsettled_two_runs_in_a_row_stays_amber() -> None:
    # before: stiffness 5 after Tue and Thu (2 otherwise) made the pain red flag fire;
    # stiffness has its own red flag (rising two weeks in a row), so each run is amber
    runs = [run(f"2026-10-{d}T06:00Z") for d in (20, 22, 24)]
    checkins = daily_checkins("2026-10-19", "2026-10-26")
    checkins[2] = checkin("2026-10-21", 5)  # morning after Tue
    checkins[4] = checkin("2026-10-23", 5)  # morning after Thu
    light, reasons, flags = _week(runs, checkins)
    assert (light, flags) == ("amber", 0)
    assert (
        "Tue 20 Oct: next morning's stiffness was 5/10, up from 2/10 the morning of the run: "
        "not settled by the next morning" in reasons
    )


def test_back_to_back_days_make_an_amber_week() -> None:
    runs = [run(f"2026-10-{d}T06:00Z") for d in (20, 24, 25)]
    light, reasons, _ = _week(runs, daily_checkins("2026-10-19", "2026-10-26"))
    assert light == "amber"
    assert any("in a row" in r for r in reasons)


def test_swelling_is_a_red_day_and_a_red_flag() -> None:
    checkins = daily_checkins("2026-10-19", "2026-10-26")
    checkins[3] = checkin("2026-10-22", 2, swelling=True)
    hist = history(make_inputs([run("2026-10-20T06:00Z")], checkins))
    assert hist.daily.loc[pd.Timestamp("2026-10-22"), "light"] == "red"
    flags = hist.assessments["2026-W43"].red_flags
    assert [f.rule for f in flags] == ["swelling"]


def test_visa_a_drop_flags_the_week_it_was_logged() -> None:
    hist = history(
        make_inputs(
            [run("2026-10-13T06:00Z"), run("2026-10-20T06:00Z")],
            daily_checkins("2026-10-12", "2026-10-25"),
            visa=[("2026-10-12", 70), ("2026-10-21", 58)],
        )
    )
    assert hist.assessments["2026-W42"].red_flags == ()
    assert [f.rule for f in hist.assessments["2026-W43"].red_flags] == ["visa_a"]
    assert hist.assessments["2026-W43"].visa_a_latest == 58
