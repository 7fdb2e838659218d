"""Turn summaries (numpy numbers, timestamps, NaN, bytes) into strict JSON values."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

import numpy as np
import pandas as pd


def jsonable(value: Any) -> Any:
    """A copy of ``value`` that ``json.dumps(..., allow_nan=False)`` accepts.

    NaN and infinities become None; timestamps become ISO 8601 strings.
    """
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if value is pd.NaT:
        return None
    if isinstance(value, datetime | date | time | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, timedelta | pd.Timedelta):
        return value.total_seconds()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    return str(value)


def dumps(value: Any) -> str:
    """Compact strict JSON of ``value``."""
    return json.dumps(jsonable(value), allow_nan=False, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)
