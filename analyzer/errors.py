"""One exception hierarchy. Every error names the file (or field) it is about."""

from __future__ import annotations

import errno
import os
from pathlib import Path


class AnalyzerError(Exception):
    """Root of every error the library raises on purpose."""


class UnreadableFile(AnalyzerError):
    """A file that cannot be read as an activity at all."""

    def __init__(self, path: str | Path, problem: str, offset: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.offset = offset
        where = f" at byte {offset}" if offset is not None else ""
        super().__init__(f"{self.path}: {problem}{where}")


class NotAnActivity(UnreadableFile):
    """A readable file that holds no activity (settings, monitoring, workout...)."""

    #: FIT file types (the profile's names) in words a runner knows
    WORDS = {
        "monitoring_a": "an all-day monitoring (steps, heart rate)",
        "monitoring_b": "an all-day monitoring (steps, heart rate)",
        "monitoring_daily": "an all-day monitoring (steps, heart rate)",
        "settings": "a settings",
        "workout": "a planned-workout",
        "course": "a course (a route to follow)",
        "schedules": "a training-plan",
        "totals": "a totals",
        "goals": "a goals",
        "blood_pressure": "a blood-pressure",
        "segment": "a segment",
        "sport": "a sport-settings",
        "device": "a device",
        "weight": "a weight",
    }

    def __init__(self, path: str | Path, file_type: str) -> None:
        self.file_type = file_type
        kind = self.WORDS.get(file_type, f"a {file_type}")
        super().__init__(path, f"this is {kind} file, not an activity; export the activity instead")


class InvalidEntry(AnalyzerError):
    """A user entry (symptom, heel-drop session, profile value) that breaks a rule."""

    def __init__(self, field: str, problem: str, line: int | None = None) -> None:
        self.field = field
        self.problem = problem
        self.line = line
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{field}: {problem}")


class StoreError(AnalyzerError):
    """The data folder cannot be used (read-only, newer schema, damaged)."""


class DiskFull(StoreError):
    """The disk filled up while writing; the write in progress was rolled back."""

    def __init__(self, what: str | Path) -> None:
        self.what = str(what)
        super().__init__(f"disk full while writing {self.what}: free space and rerun")


def is_disk_full(exc: BaseException) -> bool:
    """An OSError meaning no space (or no quota) is left. pyarrow's IO errors carry no
    errno, only the system's text."""
    if not isinstance(exc, OSError):
        return False
    return exc.errno in (errno.ENOSPC, errno.EDQUOT) or os.strerror(errno.ENOSPC) in str(exc)
