"""The store: the only code that knows SQLite and Parquet.

``Store.open(data_dir)`` gives the catalog (``catalog.sqlite``) and the per-second streams
(``streams/<activity-id>.parquet``) of one data folder.
"""

from analyzer.store.catalog import (
    ActivityRecord,
    AlreadyLogged,
    PutResult,
    Store,
    StoredActivity,
    StoreOutcome,
)
from analyzer.store.paths import resolve_data_dir

__all__ = [
    "ActivityRecord",
    "AlreadyLogged",
    "PutResult",
    "Store",
    "StoreOutcome",
    "StoredActivity",
    "resolve_data_dir",
]
