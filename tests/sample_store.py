"""The sample runner's store (sample_data/), built through the pipeline API like
``make report``: the profile, every run, and the symptom log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from analyzer import pipeline
from analyzer.store import Store
from analyzer.symptoms.entries import parse_checkins_csv
from tests.conftest import REPO

SAMPLE = REPO / "sample_data"
PROFILE = {
    "age_years": 44,
    "hr_max_bpm": 178.0,
    "hr_rest_bpm": 55.0,
    "timezone": "Europe/London",
    "affected_side": "left",
}


def build_sample_store(root: Path) -> Path:
    """Import sample_data/ into ``root/data``; return that data folder."""
    data = root / "data"
    with Store.open(data) as store:
        store.update_profile(PROFILE)
        pipeline.import_paths([SAMPLE], store)
        csv = (SAMPLE / "symptoms.csv").read_bytes()
        store.put_checkins(parse_checkins_csv(csv, "symptoms.csv", date(2030, 1, 1)), replace=True)
    return data
