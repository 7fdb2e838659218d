"""Where the data folder is, and what lives in it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "ANALYZER_DATA"
CATALOG = "catalog.sqlite"
STREAMS = "streams"


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """``--data-dir``, else ``$ANALYZER_DATA``, else the user's XDG data folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("analyzer", appauthor=False))


def catalog_path(data_dir: Path) -> Path:
    return data_dir / CATALOG


def streams_dir(data_dir: Path) -> Path:
    return data_dir / STREAMS


def stream_path(data_dir: Path, activity_id: str) -> Path:
    """``streams/<activity-id>.parquet``: one file per activity, one dataset for all."""
    return streams_dir(data_dir) / f"{activity_id}.parquet"
