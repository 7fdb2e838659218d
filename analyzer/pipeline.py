"""Workflows that cross layers: inspect (read -> analyse), and later import and refresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analyzer.activity import analyse
from analyzer.importers import read
from analyzer.settings import Settings


def inspect_file(path: Path, settings: Settings | None = None) -> dict[str, Any]:
    """Read one file without the store: ``{"file", "activities", "warnings"}``."""
    settings = settings or Settings()
    activities = read(path)
    summaries = [analyse(a, settings).to_json() for a in activities]
    warnings = sorted({w for s in summaries for w in s["warnings"]})
    return {"file": str(path), "activities": summaries, "warnings": warnings}
