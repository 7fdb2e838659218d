"""VISA-A scoring (Robinson et al. 2001): items, the item-8 branches, totals."""

from __future__ import annotations

from datetime import date

import pytest

from analyzer.errors import InvalidEntry
from analyzer.symptoms.visa_a import ITEM8_SCORES, item8_score, make_result, parse_answers

TODAY = date(2026, 11, 30)


def test_a_symptom_free_tendon_scores_100() -> None:
    items, branch = parse_answers("10,10,10,10,10,10,10,A30")
    assert branch == "A"
    assert make_result(TODAY, items, branch, TODAY).total == 100


def test_the_worst_score_is_0() -> None:
    items, branch = parse_answers("0,0,0,0,0,0,0,0")
    assert make_result(TODAY, items, branch, TODAY).total == 0


@pytest.mark.parametrize(
    ("branch", "expected"),
    [("A", (0, 7, 14, 21, 30)), ("B", (0, 4, 10, 14, 20)), ("C", (0, 2, 5, 7, 10))],
)
def test_item8_follows_its_branch(branch: str, expected: tuple[int, ...]) -> None:
    assert tuple(item8_score(branch, d) for d in range(5)) == expected
    assert ITEM8_SCORES[branch] == expected


def test_a_typical_answer_sheet() -> None:
    items, branch = parse_answers("7, 8, 6, 5, 9, 10, 7, B14")
    result = make_result(date(2026, 11, 1), items, branch, TODAY)
    assert result.items == (7, 8, 6, 5, 9, 10, 7, 14)
    assert result.total == 66
    assert result.q8_branch == "B"


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ("7,8,6", "give 8"),
        ("11,8,6,5,9,10,7,14", "item 1: score 11 is outside 0-10"),
        ("7,8,6,5,9,10,5,14", "item 7: score 5 is not one of 0, 4, 7, 10"),
        ("7,8,6,5,9,10,7,C14", "item 8: score 14 is not possible for branch C"),
        ("7,8,6,5,9,10,7,31", "not possible for any branch"),
        ("7,x,6,5,9,10,7,14", "whole number"),
    ],
)
def test_bad_answers_name_the_item(answers: str, problem: str) -> None:
    with pytest.raises(InvalidEntry, match=problem):
        parse_answers(answers)


def test_a_date_in_the_future_is_refused() -> None:
    items, branch = parse_answers("7,8,6,5,9,10,7,14")
    with pytest.raises(InvalidEntry, match="in the future"):
        make_result(date(2026, 12, 1), items, branch, TODAY)
