"""Workflows that cross layers: inspect (read -> analyse), import (read -> analyse ->
store), recompute after a profile change, and the inbox watcher.

The per-file work, :func:`analyse_file`, is a plain top-level function of
(:class:`FileJob`, settings, observed maximum) returning plain data, so a process pool (or
a Dask cluster) can run it. One writer, :func:`import_paths`, stores what it returns.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, nullcontext, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from analyzer.activity import ActivitySummary, analyse
from analyzer.errors import AnalyzerError, DiskFull, StoreError
from analyzer.geo import step_distances_m
from analyzer.importers import (
    containers,
    file_digest,
    fit,
    read,
    read_bytes,
    read_path,
    streams,
    suffix_of,
)
from analyzer.importers.damage import DEFAULT as DAMAGED_DEFAULT
from analyzer.importers.damage import check_mode, shown
from analyzer.localtime import local_date, offset_s_in, zone
from analyzer.metrics.heart import observed_max_bpm
from analyzer.profile import affects_analysis, check_settings, settings_key
from analyzer.schema import Activity
from analyzer.settings import Settings
from analyzer.store import ActivityRecord, Store
from analyzer.store.catalog import PRESENT, Outcome
from analyzer.store.streams import encode_stream

#: progress(done, total, name) after each file
Progress = Callable[[int, int, str], None]


def profile_settings(data_dir: Path | None) -> Settings:
    """The runner's profile where a store already exists, else the defaults."""
    return borrowed(data_dir).settings


@dataclass(frozen=True)
class Borrowed:
    """What ``inspect`` borrows from an existing store: the profile, the highest heart
    rate held across the stored history, and the UTC offset each stored activity keeps
    (its id -> seconds: a GPX or TCX file carries none and was given the profile's zone
    when it was imported, which ``inspect`` must show again rather than today's zone)."""

    settings: Settings
    history_max_bpm: float | None = None
    offsets: Mapping[str, int] = field(default_factory=dict)


def borrowed(data_dir: Path | None) -> Borrowed:
    """:class:`Borrowed` from the store in ``data_dir``, read in one opening; the defaults
    where no store exists.

    ``inspect`` never creates a store; it only borrows from it, so a single file is judged
    against the runner's own numbers and clock, as ``activities`` shows the same run once
    imported.
    """
    from analyzer.store import Store, paths

    root = paths.resolve_data_dir(data_dir)
    if not paths.catalog_path(root).is_file():
        return Borrowed(Settings())
    with Store.open(root) as store:
        frame = store.activities_frame()
        settings, top = store.settings(), store.observed_max_bpm()
    offsets: dict[str, int] = {}
    if not frame.empty and "utc_offset_s" in frame.columns:
        known = frame[frame["utc_offset_s"].notna()]
        offsets = dict(zip(known["activity_id"], known["utc_offset_s"].astype(int), strict=True))
    return Borrowed(settings, top, offsets)


def inspect_file(
    path: Path,
    settings: Settings | None = None,
    decoder: str | None = None,
    history_max_bpm: float | None = None,
    hr_max_source: str = "profile",
    damaged: str = DAMAGED_DEFAULT,
    offsets: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Read one file without the store: ``{"file", "activities", "warnings"}``. Where
    the profile gives no maximum heart rate, the highest held in any of its sessions or
    in the stored history (``history_max_bpm``) is used for all of them, as an import
    takes it.

    ``decoder``: the FIT decoder, "fast" (default) or "fitparse". ``hr_max_source``:
    what a maximum set in ``settings`` is called ("option" where the command line gave
    it for this file, not the profile). ``damaged``: "warn", "strict" (a damaged file
    is UnreadableFile) or "ignore" (its damage is left out of ``warnings``, not out of
    each activity's). ``offsets``: the UTC offsets of stored activities
    (``Borrowed.offsets``): a file already imported shows the clock it was stored with.
    """
    settings = settings or Settings()
    try:
        activities = read(path, decoder, damaged)
        for a in activities:
            if a.utc_offset_s is None and offsets and a.activity_id in offsets:
                a.utc_offset_s = int(offsets[a.activity_id])
        activities = with_local_offsets(activities, settings.timezone)
        # the maximum held across the file's sessions, as an import takes it across the
        # history: one session of a triathlon is not a maximum of its own
        held = [observed_max_bpm(a.frame, settings) for a in activities if len(a.frame)]
        top = max((v for v in [*held, history_max_bpm] if v is not None), default=None)
        summaries = [analyse(a, settings, top).to_json() for a in activities]
    except MemoryError as exc:
        raise AnalyzerError(f"{path}: {OUT_OF_MEMORY}") from exc
    for summary in summaries:
        if summary.get("hr_max_source") == "profile":
            summary["hr_max_source"] = hr_max_source
    warnings = sorted(set(shown((w for s in summaries for w in s["warnings"]), damaged)))
    return {"file": str(path), "activities": summaries, "warnings": warnings}


#: why a file failed that needed more memory than there was
OUT_OF_MEMORY = "ran out of memory reading it; the file may be damaged or far too large"


def with_local_offsets(activities: list[Activity], tz: str | None) -> list[Activity]:
    """``activities``, each without a UTC offset of its own (GPX and TCX carry none)
    given the offset of the zone ``tz`` at its start. Stored with the run, the offset
    keeps its local time and date where a later change of the profile's zone would
    otherwise move them. ``tz`` None leaves them without one: they follow the profile's
    zone (the import passes None until the runner has chosen a zone, so runs imported
    under the default UTC move to the first zone they set)."""
    if tz is None:
        return activities
    for activity in activities:
        if activity.utc_offset_s is None and activity.start_time is not None:
            activity.utc_offset_s = offset_s_in(activity.start_time, tz)
    return activities


# --- the per-file function -----------------------------------------------------------------


@dataclass(frozen=True)
class FileJob:
    """One file to import: its name (for messages and the reader's suffix) and either
    its bytes or a path to read them from (``.gz`` is decompressed). A pool is sent
    paths, so big payloads are not pickled twice. ``decoder``: the FIT decoder, "fast"
    or "fitparse"; None reads ``$ANALYZER_FIT_DECODER`` (in the worker), else fast.
    ``damaged``: "strict" fails a damaged file (see :mod:`analyzer.importers.damage`)."""

    name: str
    path: str | None = None
    data: bytes | None = None
    decoder: str | None = None
    damaged: str = DAMAGED_DEFAULT


@dataclass(frozen=True)
class Analysed:
    """One session of a file, read and analysed."""

    activity: Activity
    summary: ActivitySummary
    track_m: float | None  # GPS track length (m)
    held_max_bpm: float | None  # highest heart rate held for ``hr_max_hold_s``
    settings_key: str
    stream: bytes | None = None  # the stream file, encoded where the work ran

    def compact(self) -> Analysed:
        """The same without the per-second frame, which ``stream`` holds: a worker's
        result then pickles small."""
        if self.stream is None:
            return self
        bare = replace(self.activity, frame=self.activity.frame.iloc[:0])
        return replace(self, activity=bare)


@dataclass(frozen=True)
class FileResult:
    """What :func:`analyse_file` found in one file: sessions, or the error that stopped it."""

    name: str
    file_hash: str | None
    analysed: tuple[Analysed, ...] = ()
    error: str | None = None


def track_length_m(activity: Activity) -> float | None:
    """Great-circle length of the GPS track (m), None without GPS."""
    frame = activity.frame
    ok = frame["lat_deg"].notna() & frame["lon_deg"].notna()
    if ok.sum() < 2:
        return None
    steps = step_distances_m(frame["lat_deg"][ok].to_numpy(), frame["lon_deg"][ok].to_numpy())
    return float(np.nansum(steps))


def analyse_activity(
    activity: Activity, settings: Settings, history_max_bpm: float | None
) -> Analysed:
    """Analyse one activity with the history-wide held maximum (this run included)."""
    own = observed_max_bpm(activity.frame, settings) if len(activity.frame) else None
    known = [v for v in (history_max_bpm, own) if v is not None]
    used = max(known) if known else None
    summary = analyse(activity, settings, observed_max_bpm=used)
    key = settings_key(settings, used)
    return Analysed(activity, summary, track_length_m(activity), own, key)


def _load_job(job: FileJob) -> bytes:
    if job.data is not None:
        return job.data
    if job.path is None:
        raise AnalyzerError(f"{job.name}: nothing to read")
    data = containers.read_plain(job.path, job.name)
    if job.path.lower().endswith(".gz"):
        return containers.gunzip(data, job.name, containers.Limits())
    return data


def _open_job(job: FileJob) -> tuple[str, bytes | None]:
    """The file's content hash, and its bytes (None for a GPX streamed from disk)."""
    if job.data is None and job.path is not None and streams(job.name):
        return file_digest(job.path, job.name), None  # hashed in chunks, never read whole
    data = _load_job(job)
    return hashlib.sha256(data).hexdigest()[:20], data


def _sessions(job: FileJob, digest: str, data: bytes | None) -> list[Activity]:
    """The sessions of the file that hold records."""
    if data is None and job.path is not None:
        found = read_path(job.path, job.name, digest=digest, damaged=job.damaged)
    else:
        found = read_bytes(data or b"", job.name, job.decoder, job.damaged)
    return [a for a in found if len(a.frame)]


def held_max_of_file(job: FileJob, settings: Settings) -> float | None:
    """The highest heart rate held in any session of one file; None without one, or
    when the file cannot be read (:func:`analyse_file` reports that)."""
    try:
        activities = _sessions(job, *_open_job(job))
    except Exception:  # noqa: BLE001 - the analysis pass reports it
        return None
    found = [observed_max_bpm(a.frame, settings) for a in activities]
    known = [v for v in found if v is not None]
    return max(known) if known else None


def _encoded(a: Analysed, compact: bool) -> Analysed:
    done = replace(a, stream=encode_stream(a.activity))
    return done.compact() if compact else done


def analyse_file(
    job: FileJob,
    settings: Settings,
    history_max_bpm: float | None = None,
    compact: bool = False,
    pin_zone: str | None = None,
) -> FileResult:
    """Read and analyse every session of one file. Never raises: errors come back as text.

    Each session's stream file comes back encoded, so the writer only writes bytes; with
    ``compact`` the frames are left out (:meth:`Analysed.compact`). ``pin_zone``: the zone
    whose offset sessions without one of their own keep (see :func:`with_local_offsets`).
    """
    digest: str | None = None
    try:
        digest, data = _open_job(job)
        activities = with_local_offsets(_sessions(job, digest, data), pin_zone)
        if not activities:
            return FileResult(job.name, digest, error=f"{job.name}: no records in the file")
        analysed = tuple(
            _encoded(analyse_activity(a, settings, history_max_bpm), compact) for a in activities
        )
        return FileResult(job.name, digest, analysed)
    except AnalyzerError as exc:
        return FileResult(job.name, digest, error=str(exc))
    except OSError as exc:
        return FileResult(job.name, digest, error=f"{job.name}: cannot read ({exc.strerror})")
    except MemoryError:
        return FileResult(job.name, digest, error=f"{job.name}: {OUT_OF_MEMORY}")
    except Exception as exc:  # one bad file never stops the rest
        return FileResult(
            job.name, digest, error=f"{job.name}: unexpected {type(exc).__name__}: {exc}"
        )


# --- import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one activity (or one failed file) in an import."""

    file: str
    outcome: Outcome
    activity_id: str | None = None
    other_id: str | None = None  # duplicate of, or replaced
    message: str = ""
    local_date: str | None = None
    distance_m: float | None = None
    warnings: tuple[str, ...] = ()  # what reading the file recovered from (damage...)


@dataclass
class ImportReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    recomputed: int = 0  # summaries recomputed for a new observed maximum heart rate
    warnings: list[str] = field(default_factory=list)  # skipped, not failed (unsafe names...)
    # of those, the summaries of activities stored before this import: what the user
    # sees change (a first import recomputes only its own files, an inner step)
    recomputed_earlier: int = 0
    # summaries of stored activities that could not be recomputed (``id: reason``)
    not_recomputed: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.outcome == "failed"]

    def counts(self) -> dict[str, int]:
        kinds: tuple[Outcome, ...] = (
            "imported",
            "reread",
            "present",
            "duplicate",
            "replaced",
            "failed",
        )
        return {k: self.count(k) for k in kinds}

    def to_json(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "recomputed": self.recomputed,
            "recomputed_earlier": self.recomputed_earlier,
            "not_recomputed": list(self.not_recomputed),
            "files": [o.__dict__ for o in self.outcomes],
            "warnings": list(self.warnings),
        }


def _job_of(
    entry: containers.Entry, decoder: str | None = None, damaged: str = DAMAGED_DEFAULT
) -> FileJob | FileResult:
    if entry.error is not None:
        return FileResult(entry.name, None, error=str(entry.error))
    if entry.path is not None:  # read by the worker itself (a GPX streams from disk)
        return FileJob(entry.name, path=entry.path, decoder=decoder, damaged=damaged)
    try:
        return FileJob(entry.name, data=entry.data(), decoder=decoder, damaged=damaged)
    except AnalyzerError as exc:
        return FileResult(entry.name, None, error=str(exc))


T = TypeVar("T")
#: what a job gives when it never ran: its load error, or the worker's death
OnError = Callable[[str, FileResult | None, BaseException | None], T]


def _done(value: T) -> Future[T]:
    future: Future[T] = Future()
    future.set_result(value)
    return future


#: why a file failed whose worker process died under it (the OOM killer, a segfault)
WORKER_DIED = "the process reading it stopped abruptly (out of memory?)"


def _in_order(
    work: Callable[[FileJob], T],
    jobs: Iterable[FileJob | FileResult],
    on_error: OnError[T],
    pool: Executor | None,
    window: int,
) -> Iterator[T]:
    """``work`` over ``jobs`` in their order, at most ``window`` ahead in ``pool``.

    A worker that dies breaks the whole pool: see :func:`_recover`.
    """
    pending: deque[tuple[FileJob | FileResult, Future[T]]] = deque()
    for job in jobs:
        if isinstance(job, FileResult):
            future = _done(on_error(job.name, job, None))
        elif pool is None:
            future = _done(work(job))
        else:
            future = _submit(pool, work, job)
        pending.append((job, future))
        while len(pending) > window:
            yield _next(pending, work, on_error, pool)
    while pending:
        yield _next(pending, work, on_error, pool)


def _submit(pool: Executor, work: Callable[[FileJob], T], job: FileJob) -> Future[T]:
    try:
        return pool.submit(work, job)
    except BrokenProcessPool as exc:  # broken by an earlier job: recovered when reached
        future: Future[T] = Future()
        future.set_exception(exc)
        return future


def _next(
    pending: deque[tuple[FileJob | FileResult, Future[T]]],
    work: Callable[[FileJob], T],
    on_error: OnError[T],
    pool: Executor | None,
) -> T:
    job, future = pending[0]
    try:
        value = future.result()
    except BrokenProcessPool:
        _recover(pending, work, on_error, pool)
        value = pending[0][1].result()
    except Exception as exc:  # the job failed in a way its work did not catch
        value = on_error(job.name, None, exc)
    pending.popleft()
    return value


def _recover(
    pending: deque[tuple[FileJob | FileResult, Future[T]]],
    work: Callable[[FileJob], T],
    on_error: OnError[T],
    pool: Executor | None,
) -> None:
    """A worker died, and the pool with it: every job in flight lost its result, though
    only one (or a few) killed it. Each is run again alone in a fresh process, so the
    ones that die again are the ones reported (:data:`WORKER_DIED`); the pool is replaced
    for the jobs still to come."""
    lost = [n for n, (job, future) in enumerate(pending) if _broken(job, future)]
    if isinstance(pool, WorkerPool):
        pool.restart()
    for n in lost:
        job = pending[n][0]
        if isinstance(job, FileJob):
            pending[n] = (job, _done(_alone(work, job, on_error)))


def _broken(job: FileJob | FileResult, future: Future[T]) -> bool:
    """Whether ``future`` failed with its pool (it waits for a job still running)."""
    return isinstance(job, FileJob) and isinstance(future.exception(), BrokenProcessPool)


def _alone(work: Callable[[FileJob], T], job: FileJob, on_error: OnError[T]) -> T:
    """``work`` on one job in a process of its own."""
    with process_pool(1) as solo:
        try:
            return solo.submit(work, job).result()
        except Exception as exc:  # its worker died again (BrokenProcessPool), or as in _next
            return on_error(job.name, None, exc)


def _failed_result(name: str, loaded: FileResult | None, exc: BaseException | None) -> FileResult:
    if loaded is not None:
        return loaded
    if isinstance(exc, BrokenProcessPool):
        return FileResult(name, None, error=f"{name}: {WORKER_DIED}")
    return FileResult(name, None, error=f"{name}: the worker failed ({exc})")


def _no_max(_name: str, _loaded: FileResult | None, _exc: BaseException | None) -> float | None:
    return None


class WorkerPool(Executor):
    """A process pool that a dead worker does not end: :meth:`restart` replaces it.

    ``jobs`` worker processes; forked where the platform can, so they start at once
    with the modules already imported. They end with this process, even a killed one.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        fork = "fork" in multiprocessing.get_all_start_methods()
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("fork") if fork else None,
            initializer=_end_with_parent,
            initargs=(os.getpid(),),
        )

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return self._pool.submit(fn, *args, **kwargs)

    def restart(self) -> None:
        """A new pool in place of a broken one (its workers are gone already)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._new()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        # stopped by an error or Ctrl-C: the files not started yet are dropped, not read
        self.shutdown(wait=True, cancel_futures=exc_type is not None)


def process_pool(jobs: int) -> WorkerPool:
    """``jobs`` worker processes, replaced if one dies (see :class:`WorkerPool`)."""
    return WorkerPool(jobs)


def _end_with_parent(parent: int, every_s: float = 0.25) -> None:
    """In a worker: exit once ``parent`` is gone. A worker of a killed import would
    otherwise wait for work forever (and hold its caller's output pipes open).

    Ctrl-C reaches every process of the terminal's group: it is the importing process's
    to handle (it says what was kept), so a worker ignores it, finishes the file in hand
    and ends with the pool, instead of printing a traceback of its own.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every_s)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _window(pool: Executor | None, jobs: int) -> int:
    return 4 * jobs if pool is not None else 0


def analysed_files(
    entries: Sequence[containers.Entry],
    settings: Settings,
    history_max_bpm: float | None,
    jobs: int = 1,
    decoder: str | None = None,
    pool: Executor | None = None,
    pin_zone: str | None = None,
    damaged: str = DAMAGED_DEFAULT,
) -> Generator[FileResult, None, None]:
    """:func:`analyse_file` over ``entries``, in order; ``jobs`` > 1 uses a process pool
    (``pool``, or one made here). ``damaged`` goes to the workers with each job."""
    if pool is None and jobs > 1:
        with process_pool(jobs) as own:
            yield from analysed_files(
                entries, settings, history_max_bpm, jobs, decoder, own, pin_zone, damaged
            )
        return
    work = partial(
        analyse_file,
        settings=settings,
        history_max_bpm=history_max_bpm,
        compact=True,
        pin_zone=pin_zone,
    )
    todo = (_job_of(e, decoder, damaged) for e in entries)
    yield from _in_order(work, todo, _failed_result, pool, _window(pool, jobs))


def _quick_to_read(name: str, decoder: str | None) -> bool:
    choice = decoder or os.environ.get(fit.DECODER_ENV) or "fast"
    return suffix_of(name) == ".fit" and choice == "fast"


def history_max_bpm(
    entries: Sequence[containers.Entry],
    settings: Settings,
    stored: float | None,
    jobs: int = 1,
    decoder: str | None = None,
    pool: Executor | None = None,
    damaged: str = DAMAGED_DEFAULT,
) -> float | None:
    """The held maximum heart rate over the store and ``entries``, read ahead of the
    analysis so each file is analysed once with the maximum it ends with, not analysed
    again by :func:`refresh_summaries`. Not needed where the profile sets the maximum,
    or for a single file (its own maximum is taken anyway). Only FIT files through the
    fast decoder are read ahead: reading them twice costs less than analysing them
    twice; slower reads (fitparse, GPX, TCX) are left to the refresh. A file that
    ``damaged`` "strict" refuses gives none."""
    if settings.hr_max_bpm is not None or len(entries) < 2:
        return stored
    work = partial(held_max_of_file, settings=settings)
    todo = (_job_of(e, decoder, damaged) for e in entries if _quick_to_read(e.name, decoder))
    found = [v for v in _in_order(work, todo, _no_max, pool, _window(pool, jobs)) if v]
    known = [v for v in (stored, *found) if v is not None]
    return max(known) if known else None


def _record(a: Analysed, settings: Settings) -> ActivityRecord:
    s = a.summary
    return ActivityRecord(
        activity=a.activity,
        summary=s,
        local_date=local_date(s.start_time, s.utc_offset_s, settings.timezone),
        track_m=a.track_m,
        settings_key=a.settings_key,
        held_max_bpm=a.held_max_bpm,
        stream=a.stream,
    )


def store_result(
    store: Store, result: FileResult, settings: Settings, reread: bool = False
) -> list[FileOutcome]:
    """The one writer: store one file's sessions in one transaction, or log its failure.

    ``reread``: rewrite the stream and summary of sessions stored already."""
    if result.error is None:
        try:
            records = [_record(a, settings) for a in result.analysed]
            done = store.store_file(records, result.name, result.file_hash, reread)
        except DiskFull:
            raise  # every later file would fail the same way: stop, the catalog unchanged
        except (AnalyzerError, OSError) as exc:
            result = FileResult(result.name, result.file_hash, error=f"{result.name}: {exc}")
        else:
            by_id = {a.summary.activity_id: a.summary for a in result.analysed}
            return [
                FileOutcome(
                    result.name,
                    o.outcome,
                    o.activity_id,
                    o.other_id,
                    o.message,
                    _local(records, o.activity_id),
                    by_id[o.activity_id].distance_m,
                    tuple(by_id[o.activity_id].warnings) if o.outcome != "duplicate" else (),
                )
                for o in done
            ]
    message = result.error or "failed"
    with suppress(AnalyzerError):  # the failure is still reported; the log row is a nicety
        store.record_failure(result.name, result.file_hash, message)
    return [FileOutcome(result.name, "failed", message=message)]


def _local(records: Sequence[ActivityRecord], activity_id: str) -> str | None:
    return next((r.local_date for r in records if r.summary.activity_id == activity_id), None)


def import_paths(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    limits: containers.Limits | None = None,
    decoder: str | None = None,
    reread: bool = False,
    damaged: str = DAMAGED_DEFAULT,
) -> ImportReport:
    """Import files, folders, ``.gz`` and ``.zip`` (nested too) into ``store``.

    One transaction per file; a bad file is reported and the rest go on. Re-importing
    adds nothing, and a file whose content is stored already is not parsed again.
    ``jobs`` > 1 reads and analyses files in that many processes; this process alone
    writes. Ends by bringing summaries up to date with the history-wide maximum
    heart rate, and by pruning streams a killed import left without a catalog row.
    ``limits`` caps what archives may unpack to; entries skipped with a warning (unsafe
    names in a zip, folders named like files, symlink loops) land in ``warnings``.
    ``decoder``: the FIT decoder ("fast" or "fitparse"; default $ANALYZER_FIT_DECODER).
    A full disk stops the import with :class:`DiskFull`, the file in progress rolled back.
    ``reread``: read every file again, stored or not, and rewrite the streams and
    summaries of stored sessions (after an upgrade that reads some files better).
    ``damaged``: "warn" keeps what a damaged file's reading recovered, with its warning
    in the report; "strict" fails such a file, storing nothing of it; "ignore" keeps it
    and leaves its damage out of the report (not out of the stored activity).
    """
    check_mode(damaged)
    settings = settings or store.settings()
    before = set(store.activity_ids())
    found = [e for p in paths for e in containers.expand(Path(p), limits)]
    report = ImportReport(warnings=[e.skipped for e in found if e.skipped is not None])
    entries = [e for e in found if e.skipped is None]
    tick = _counter(progress, len(entries))
    outcomes: dict[int, list[FileOutcome]] = {}
    for n, entry in enumerate(entries):
        known = None if reread else known_file(store, entry)
        if known is not None:
            outcomes[n] = known
            tick(entry.name)
    todo = [n for n in range(len(entries)) if n not in outcomes]
    work = [entries[n] for n in todo]
    with process_pool(jobs) if jobs > 1 and len(work) > 1 else nullcontext() as pool:
        history = history_max_bpm(
            work, settings, store.observed_max_bpm(), jobs, decoder, pool, damaged
        )
        pin_zone = settings.timezone if "timezone" in store.profile() else None
        # closed here, in this thread, also when storing fails: a generator left to the
        # garbage collector may be closed on the pool's own thread, which cannot join itself
        with closing(
            analysed_files(work, settings, history, jobs, decoder, pool, pin_zone, damaged)
        ) as results:
            for n, result in zip(todo, results, strict=True):
                outcomes[n] = store_result(store, result, settings, reread)
                tick(result.name)
    report.outcomes = [
        replace(o, warnings=shown(o.warnings, damaged))
        for n in range(len(entries))
        for o in outcomes[n]
    ]
    refreshed = refresh_summaries(store, settings)
    report.recomputed = refreshed.recomputed
    report.recomputed_earlier = len(before.intersection(refreshed.ids))
    report.not_recomputed = list(refreshed.failed)
    store.prune_streams()
    return report


def _counter(progress: Progress | None, total: int) -> Callable[[str], None]:
    done = 0

    def tick(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, name)

    return tick


def known_file(store: Store, entry: containers.Entry) -> list[FileOutcome] | None:
    """``present`` outcomes, logged, where the entry's content is stored already (found
    by its hash, without parsing it); None where it must be read."""
    if entry.error is not None:
        return None
    try:
        if entry.path is not None:
            digest = file_digest(entry.path, entry.name)
        else:
            digest = hashlib.sha256(entry.data()).hexdigest()[:20]
        stored = store.log_known_file(entry.name, digest)
    except (AnalyzerError, OSError):
        return None  # the normal path reads it again and reports what is wrong
    if stored is None:
        return None
    return [
        FileOutcome(entry.name, "present", a.activity_id, None, PRESENT, a.local_date, a.distance_m)
        for a in stored
    ]


# --- recompute ------------------------------------------------------------------------------


@dataclass
class RecomputeReport:
    recomputed: int = 0
    failed: list[str] = field(default_factory=list)  # "activity id: reason"
    failed_ids: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)  # the activities recomputed


def refresh_summaries(
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
    batch: int = 25,
) -> RecomputeReport:
    """Recompute, from the stored streams alone, every summary analysed with other settings
    (or another history-wide maximum heart rate) than the current ones.

    Resumable: a killed run leaves the rest marked stale for the next one.
    """
    report = RecomputeReport()
    for _ in range(3):  # a new held maximum can change the history maximum once more
        history = store.observed_max_bpm()
        stale = store.stale_activity_ids(settings_key(settings, history))
        stale = [i for i in stale if i not in report.failed_ids]  # a bad stream: tried once
        if not stale:
            break
        _recompute(store, settings, stale, history, report, progress, batch)
    return report


def _recompute(
    store: Store,
    settings: Settings,
    ids: Sequence[str],
    history: float | None,
    report: RecomputeReport,
    progress: Progress | None,
    batch: int,
) -> None:
    pending: list[ActivityRecord] = []
    for n, activity_id in enumerate(ids, start=1):
        try:
            activity = store.load_activity(activity_id)
            analysed = analyse_activity(activity, settings, history)
            pending.append(_record(analysed, settings))
        except AnalyzerError as exc:
            report.failed.append(f"{activity_id}: {exc}")
            report.failed_ids.add(activity_id)
        if len(pending) >= batch or n == len(ids):
            report.recomputed += store.update_analysis(pending)
            report.ids.update(r.summary.activity_id for r in pending)
            pending = []
        if progress:
            progress(n, len(ids), activity_id)


def update_profile(
    store: Store,
    changes: Mapping[str, Any],
    unset: Sequence[str] = (),
    progress: Progress | None = None,
) -> tuple[Settings, RecomputeReport | None]:
    """Check and save profile changes; recompute the summaries where the metrics read them."""
    current = store.profile()
    merged = {k: v for k, v in {**current, **changes}.items() if k not in unset}
    check_settings(Settings.from_dict(merged), changed=changes)
    settings = store.update_profile(changes, unset)
    touched = [*changes, *unset]
    if not any(affects_analysis(k) for k in touched):
        return settings, None
    return settings, refresh_summaries(store, settings, progress)


# --- the inbox ------------------------------------------------------------------------------

IMPORTED = "imported"
FAILED = "failed"


@dataclass
class WatchBatch:
    """One pass over the inbox: the files moved, and what refreshing the report said."""

    imported: list[Path] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)
    refresh: str | None = None
    said: dict[Path, str] = field(default_factory=dict)  # moved file -> what became of it

    def stored_new(self) -> bool:
        """Whether any file added or changed a stored activity (the report needs a refresh)."""
        return any(o.outcome in ("imported", "replaced", "reread") for o in self.report.outcomes)


def outcome_words(outcomes: Sequence[FileOutcome]) -> str:
    """What became of one file, in a few words: ``imported``, ``already present``..."""
    kinds = {o.outcome for o in outcomes}
    for kind, words in (
        ("imported", "imported"),
        ("replaced", "imported (replaced a poorer copy)"),
        ("reread", "read again"),
    ):
        if kind in kinds:
            return words
    duplicate = next((o for o in outcomes if o.outcome == "duplicate"), None)
    if duplicate is not None:
        return f"not imported, {duplicate.message}"
    return "already present" if kinds == {"present"} else "nothing to import"


def inbox_files(inbox: Path) -> dict[Path, tuple[int, int]]:
    """Candidate files at the top of the inbox, with (size, mtime in ns)."""
    found: dict[Path, tuple[int, int]] = {}
    for path in sorted(inbox.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if not containers.is_candidate(path.name):
            continue
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        found[path] = (st.st_size, st.st_mtime_ns)
    return found


def settled(
    now: Mapping[Path, tuple[int, int]],
    before: Mapping[Path, tuple[int, int]] | None,
    settle_s: float,
    clock_ns: int,
) -> list[Path]:
    """Files that have stopped growing: unchanged since the last scan, or untouched for
    ``settle_s``. An empty file may be a copy just begun: it waits until untouched for
    ``EMPTY_SETTLE_S`` too (then it is read, fails as empty and goes to ``failed/``,
    rather than stay in the inbox for ever)."""
    ready = []
    for path, (size, mtime) in now.items():
        unchanged = before is not None and before.get(path) == (size, mtime)
        idle_s = (clock_ns - mtime) / 1e9
        wait_s = settle_s if size > 0 else max(settle_s, EMPTY_SETTLE_S)
        if idle_s >= wait_s or (size > 0 and unchanged):
            ready.append(path)
    return ready


EMPTY_SETTLE_S = 60.0


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    n = 1
    while target.exists():
        target = folder / f"{path.stem}-{n}{path.suffix}"
        n += 1
    os.replace(path, target)
    return target


def import_inbox_files(
    store: Store,
    files: Sequence[Path],
    settings: Settings | None = None,
    damaged: str = DAMAGED_DEFAULT,
) -> WatchBatch:
    """Import each file, then move it to ``imported/`` or to ``failed/`` with ``<name>.txt``
    (``damaged`` as for :func:`import_paths`: "strict" sends a damaged file to ``failed/``)."""
    batch = WatchBatch()
    for path in files:
        one = import_paths([path], store, settings, damaged=damaged)
        batch.report.outcomes.extend(one.outcomes)
        # stored activities whose summary could not be recomputed: said once per batch
        batch.report.not_recomputed = list(
            dict.fromkeys([*batch.report.not_recomputed, *one.not_recomputed])
        )
        if one.failed:
            moved = _move(path, path.parent / FAILED)
            reasons = "\n".join(o.message for o in one.failed)
            moved.with_name(moved.name + ".txt").write_text(reasons + "\n", encoding="utf-8")
            batch.failed.append(moved)
        else:
            moved = _move(path, path.parent / IMPORTED)
            batch.imported.append(moved)
            batch.said[moved] = outcome_words(one.outcomes)
    return batch


def refresh_report(store: Store, out: Path, dates: Iterable[str] = ()) -> str:
    """Refresh the current week's report, and the weeks of ``dates`` (the local dates of
    runs just imported); what was written, for the terminal: the current week's page,
    then the other weeks refreshed (``report: reports/2026-W47.html (also 2026-W40)``)."""
    from analyzer.report.build import refresh_current_week

    pages = refresh_current_week(store, out, dates)
    also = [p.stem for p in pages[1:]]
    return f"report: {pages[0]}" + (f" (also {', '.join(also)})" if also else "")


def watch_inbox(
    inbox: Path,
    store: Store,
    out: Path,
    once: bool = False,
    interval_s: float = 5.0,
    on_batch: Callable[[WatchBatch], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    damaged: str = DAMAGED_DEFAULT,
) -> list[WatchBatch]:
    """Import what lands in ``inbox`` once it has stopped growing; with ``once``, process
    what is there (waiting one interval for files still being written) and return.
    ``damaged`` as for :func:`import_paths`."""
    check_mode(damaged)
    if not inbox.is_dir():
        raise AnalyzerError(f"{inbox}: no such folder; create it or name another inbox")
    batches: list[WatchBatch] = []
    before: dict[Path, tuple[int, int]] | None = None
    while True:
        now = inbox_files(inbox)
        ready = settled(now, before, interval_s, time.time_ns())
        if once and len(ready) < len(now):
            sleep(interval_s)
            before, now = now, inbox_files(inbox)
            ready = settled(now, before, interval_s, time.time_ns())
        if ready:
            batch = import_inbox_files(store, ready, damaged=damaged)
            if batch.stored_new():
                dates = {
                    o.local_date
                    for o in batch.report.outcomes
                    if o.local_date and o.outcome in ("imported", "replaced", "reread")
                }
                try:
                    batch.refresh = refresh_report(store, out, sorted(dates))
                except AnalyzerError as exc:  # nothing to report yet, or --out unwritable
                    batch.refresh = f"report not written: {exc}"
            batches.append(batch)
            if on_batch:
                on_batch(batch)
        if once:
            return batches
        before = now
        sleep(interval_s)


def today_in(tz: str) -> datetime:
    """Now, as an aware datetime in the profile's time zone."""
    return datetime.now(UTC).astimezone(zone(tz))


__all__ = [
    "Analysed",
    "FileJob",
    "FileOutcome",
    "FileResult",
    "ImportReport",
    "RecomputeReport",
    "StoreError",
    "WatchBatch",
    "analyse_file",
    "import_paths",
    "refresh_summaries",
    "update_profile",
    "watch_inbox",
]
