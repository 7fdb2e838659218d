"""The week's heel drops in words, against the programme (Alfredson 1998: 3x15 + 3x15)."""

from __future__ import annotations

import pandas as pd

from analyzer.report.build import drops_programme_words
from analyzer.settings import Settings


def week(sessions: int, full: int, load: float) -> pd.Series:
    return pd.Series({"drops_sessions": sessions, "drops_full": full, "drops_load_max_kg": load})


def test_the_words_say_how_many_sessions_were_full_and_the_load() -> None:
    s = Settings()
    assert drops_programme_words(week(14, 14, 0.0), s) == "all 3×15 + 3×15, no load added"
    assert drops_programme_words(week(12, 9, 2.5), s) == "9 full 3×15 + 3×15, up to 2.5 kg added"
    assert drops_programme_words(week(0, 0, float("nan")), s) == ""
    own = Settings(drops_sets_target=2, drops_reps_target=12)
    assert drops_programme_words(week(3, 1, 5.0), own) == "1 full 2×12 + 2×12, up to 5 kg added"
