"""VISA-A (Robinson et al. 2001): eight questions, a total from 0 to 100 (100 = no symptoms).

Items 1-6 score 0-10; item 7 (sport) scores 0, 4, 7 or 10; item 8 (how long you can load
the tendon in sport) scores up to 30 along one of three branches: A without pain, B with
pain that does not stop training, C with pain that stops it. The wording below is ours,
a paraphrase of each item's scale, not the published form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from analyzer.errors import InvalidEntry

#: item 8: the score of each duration (not at all, 1-10, 11-20, 21-30, >30 min) per branch
ITEM8_SCORES: dict[str, tuple[int, ...]] = {
    "A": (0, 7, 14, 21, 30),
    "B": (0, 4, 10, 14, 20),
    "C": (0, 2, 5, 7, 10),
}
ITEM8_BRANCHES = {
    "A": "no pain while I load the tendon in sport",
    "B": "some pain, but it does not stop me finishing the session",
    "C": "pain that stops me finishing the session",
}
DURATIONS = ("not at all", "1-10 minutes", "11-20 minutes", "21-30 minutes", "over 30 minutes")
ITEM7_SCORES = (0, 4, 7, 10)
ITEM7_LABELS = (
    "no sport or training at all",
    "modified training, maybe modified competition",
    "full training or competition, but below my level before the symptoms",
    "competing at my level from before the symptoms, or higher",
)


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    low: str  # what 0 means
    high: str  # what 10 means


QUESTIONS = (
    Question(
        1,
        "When you get up in the morning, how long does the Achilles stay stiff?",
        "100 minutes or more",
        "no stiffness at all",
    ),
    Question(
        2,
        "Once warmed up for the day, does a full stretch of the calf over a step edge hurt?",
        "strong, severe pain",
        "no pain",
    ),
    Question(
        3,
        "After 30 minutes of walking on the flat, does it hurt in the next 2 hours?",
        "strong, severe pain",
        "no pain",
    ),
    Question(
        4,
        "Does walking downstairs at a normal pace hurt?",
        "strong, severe pain",
        "no pain",
    ),
    Question(
        5,
        "During or just after 10 single-leg heel raises on a flat floor, does it hurt?",
        "strong, severe pain",
        "no pain",
    ),
    Question(
        6,
        "How many single-leg hops can you do without pain?",
        "none",
        "10 or more",
    ),
)


@dataclass(frozen=True)
class VisaAResult:
    """One completed questionnaire: ``items`` are the eight item scores."""

    date: date
    items: tuple[int, ...]
    q8_branch: str | None = None

    @property
    def total(self) -> int:
        return sum(self.items)


def item8_score(branch: str, duration: int) -> int:
    """Score of item 8 for ``branch`` A/B/C and ``duration`` 0-4 (index of DURATIONS)."""
    branch = branch.upper()
    if branch not in ITEM8_SCORES:
        raise InvalidEntry("item 8", f"branch {branch!r} is not A, B or C")
    if not 0 <= duration < len(DURATIONS):
        raise InvalidEntry("item 8", f"duration choice {duration} is not 0-{len(DURATIONS) - 1}")
    return ITEM8_SCORES[branch][duration]


def check_items(items: Sequence[int], branch: str | None = None) -> tuple[int, ...]:
    """The eight scores if each is allowed for its item, else InvalidEntry naming the item."""
    if len(items) != 8:
        raise InvalidEntry("answers", f"VISA-A has 8 items, got {len(items)}")
    for n, value in enumerate(items[:6], start=1):
        if not 0 <= value <= 10:
            raise InvalidEntry(f"item {n}", f"score {value} is outside 0-10")
    if items[6] not in ITEM7_SCORES:
        raise InvalidEntry("item 7", f"score {items[6]} is not one of 0, 4, 7, 10")
    every = sorted({s for scores in ITEM8_SCORES.values() for s in scores})
    allowed = ITEM8_SCORES[branch] if branch else tuple(every)
    if items[7] not in allowed:
        where = f"branch {branch}" if branch else "any branch"
        choices = ", ".join(map(str, allowed))
        raise InvalidEntry("item 8", f"score {items[7]} is not possible for {where} ({choices})")
    return tuple(int(v) for v in items)


def parse_answers(text: str) -> tuple[tuple[int, ...], str | None]:
    """``"7,8,6,5,9,10,7,B14"``: eight scores; item 8 may carry its branch letter."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 8:
        raise InvalidEntry(
            "answers", f"give 8 comma-separated scores like 7,8,6,5,9,10,7,B14; got {len(parts)}"
        )
    branch = None
    if parts[7][:1].upper() in ITEM8_SCORES:
        branch, parts[7] = parts[7][0].upper(), parts[7][1:].lstrip(":")
    try:
        items = tuple(int(p) for p in parts)
    except ValueError as exc:
        raise InvalidEntry("answers", f"{text!r}: every score must be a whole number") from exc
    return check_items(items, branch), branch


def make_result(day: date, items: Sequence[int], branch: str | None, today: date) -> VisaAResult:
    """A checked result; the date may not lie in the future."""
    if day > today:
        raise InvalidEntry("date", f"{day.isoformat()} is in the future")
    branch = branch.upper() if branch else None
    return VisaAResult(day, check_items(items, branch), branch)
