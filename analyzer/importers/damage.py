"""Damage, told apart from the other warnings, and what ``--damaged`` does with it.

A reader marks a warning as damage where it detects it: the file cut short, a CRC
mismatch, records or XML it could not decode. What was recovered is kept either way;
the mode then decides (STYLE rule 10, as fitdecode's ``CrcCheck``/``ErrorHandling``):
``warn`` keeps it and says what was lost, ``strict`` refuses the file, ``ignore`` keeps
it without saying so (the warning is still stored with the activity). Odd but valid
content (a clock jump, no session message, points without a time) is not damage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from analyzer.errors import UnreadableFile

#: ``--damaged`` choices; the first is the default
MODES = ("warn", "strict", "ignore")
DEFAULT = "warn"


class Damage(str):
    """A warning saying the file is damaged; its text is the warning as shown.

    ``problem``: the damage alone, without what was kept (``the file is truncated
    (unexpected end of file)``), for the message that refuses the file. A str, so it
    is stored, printed and compared as the text it always was; the mark survives
    pickling to and from worker processes, not the store.
    """

    problem: str

    def __new__(cls, text: str, problem: str | None = None) -> Damage:
        self = super().__new__(cls, text)
        self.problem = problem or text
        return self


class _HasWarnings(Protocol):
    warnings: list[str]


def is_damage(warning: str) -> bool:
    return isinstance(warning, Damage)


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"unknown --damaged mode {mode!r}; expected one of {MODES}")
    return mode


def refuse_damaged(activities: Sequence[_HasWarnings], name: str, mode: str) -> None:
    """With ``strict``, UnreadableFile naming ``name`` and each damage its reading hit."""
    if check_mode(mode) != "strict":
        return
    problems: list[str] = []
    for activity in activities:
        for w in activity.warnings:
            if isinstance(w, Damage) and w.problem not in problems:
                problems.append(w.problem)
    if problems:
        raise UnreadableFile(name, f"{'; '.join(problems)}; refused as damaged (--damaged strict)")


def shown(warnings: Iterable[str], mode: str) -> tuple[str, ...]:
    """The warnings a command prints: all of them, or with ``ignore`` none of the damage."""
    if check_mode(mode) != "ignore":
        return tuple(warnings)
    return tuple(w for w in warnings if not isinstance(w, Damage))
