"""Parallel import: the same store with any --jobs, each file analysed once, files whose
content is stored already skipped by hash, the decoder choice reaching the workers."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from analyzer import pipeline
from analyzer.cli import cli
from analyzer.importers import fit, fit_fast
from analyzer.pipeline import import_paths
from analyzer.store import Store
from tests.conftest import DATA, corpus_or_skip
from tests.store.conftest import NOT_AN_ACTIVITY, SMALL

#: FIT, TCX and GPX, and one file that is no activity
MIXED = [*SMALL, DATA / "runpandas" / "strava_export.gpx", NOT_AN_ACTIVITY]
FORK = "fork" in multiprocessing.get_all_start_methods()


def catalog(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every stored summary and hill, less the times they were written."""
    conn = sqlite3.connect(store.catalog_path)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM activities ORDER BY id").fetchall()
        hills = conn.execute("SELECT * FROM hills ORDER BY activity_id, idx").fetchall()
    finally:
        conn.close()
    skip = {"analysed_at", "imported_at"}
    acts = [tuple(r[k] for k in r.keys() if k not in skip) for r in rows]  # noqa: SIM118
    return acts, [tuple(h) for h in hills]


def test_jobs_2_stores_what_jobs_1_stores(tmp_path: Path) -> None:
    with Store.open(tmp_path / "one") as one, Store.open(tmp_path / "two") as two:
        a = import_paths(MIXED, one, jobs=1)
        b = import_paths(MIXED, two, jobs=2)
        assert a.to_json() == b.to_json()
        assert a.counts()["imported"] == 4
        assert a.counts()["failed"] == 1
        assert catalog(one) == catalog(two)
        for activity_id in one.activity_ids():
            assert one.stream_frame(activity_id).equals(two.stream_frame(activity_id))
            assert one.load_activity(activity_id).laps == two.load_activity(activity_id).laps


def test_each_file_is_analysed_once(store: Store) -> None:
    """The history-wide held maximum is read ahead, so nothing is analysed again after."""
    report = import_paths(SMALL[:2], store, jobs=2)
    assert report.counts()["imported"] == 2
    assert report.recomputed == 0
    history = store.observed_max_bpm()
    assert store.stale_activity_ids(pipeline.settings_key(store.settings(), history)) == []


def test_a_slow_decoder_reads_each_file_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """fitparse files are not read ahead: analysing one twice costs less than reading it."""
    read = []
    decode = fit.decode_fitparse

    def counted(data: bytes, name: str) -> Any:
        read.append(name)
        return decode(data, name)

    monkeypatch.setattr(fit, "decode_fitparse", counted)
    report = import_paths(SMALL[:2], store, jobs=1, decoder="fitparse")
    assert report.counts()["imported"] == 2
    assert sorted(read) == sorted(str(p) for p in SMALL[:2])


def test_reimport_is_skipped_by_content_hash(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = import_paths(SMALL, store)
    copy = tmp_path / "renamed.fit"
    shutil.copy(SMALL[0], copy)

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a file stored already was parsed again")

    monkeypatch.setattr(pipeline, "analyse_file", never)
    monkeypatch.setattr(pipeline, "held_max_of_file", never)
    again = import_paths([*SMALL, copy], store, jobs=1)
    assert again.counts()["present"] == 4
    assert [(o.activity_id, o.local_date, o.distance_m) for o in again.outcomes[:3]] == [
        (o.activity_id, o.local_date, o.distance_m) for o in first.outcomes
    ]
    assert again.outcomes[3].file == str(copy)
    assert again.outcomes[3].activity_id == first.outcomes[0].activity_id
    logged = [r["outcome"] for r in store.imports()]
    assert logged.count("present") == 4
    assert logged.count("imported") == 3


def test_the_import_summary_says_already_present(tmp_path: Path) -> None:
    data = tmp_path / "data"
    files = [str(p) for p in SMALL]
    runner = CliRunner()
    first = runner.invoke(cli, ["--data-dir", str(data), "import", *files])
    assert first.exit_code == 0, first.output
    again = runner.invoke(cli, ["--data-dir", str(data), "import", *files])
    assert again.exit_code == 0, again.output
    assert "3 already present" in again.output
    quiet = runner.invoke(cli, ["--data-dir", str(data), "import", "--quiet", *files])
    assert quiet.output.strip() == "import: 3 already present"


def test_a_duplicate_is_not_skipped_by_its_hash(store: Store) -> None:
    """A file whose session was a poorer twin is read again: it is a duplicate again."""
    corpus = corpus_or_skip()
    fit, gpx = corpus / "sports-lib" / "3939576645.fit", corpus / "sports-lib" / "3939576645.gpx"
    import_paths([fit, gpx], store)
    again = import_paths([gpx], store)
    assert [o.outcome for o in again.outcomes] == ["duplicate"]


def test_a_failed_file_is_read_again(store: Store, tmp_path: Path) -> None:
    broken = tmp_path / "broken.fit"
    broken.write_bytes(SMALL[0].read_bytes()[:200])
    assert import_paths([broken], store).counts()["failed"] == 1
    assert import_paths([broken], store).counts()["failed"] == 1


@pytest.mark.skipif(not FORK, reason="the workers see this test's patches only when forked")
@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_decoder_choice_reaches_the_workers(
    store: Store, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    def fast_fails(_data: bytes) -> None:
        raise RuntimeError("the fast decoder was used")

    monkeypatch.setattr(fit_fast, "decode", fast_fails)
    fits = SMALL[:2]
    if how == "environment":
        monkeypatch.setenv("ANALYZER_FIT_DECODER", "fitparse")
        report = import_paths(fits, store, jobs=2)
    else:
        monkeypatch.delenv("ANALYZER_FIT_DECODER", raising=False)
        report = import_paths(fits, store, jobs=2, decoder="fitparse")
    assert report.counts()["imported"] == 2, report.to_json()


@pytest.mark.skipif(not FORK, reason="the workers see this test's patches only when forked")
def test_the_fast_decoder_is_the_default_in_the_workers(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fast_fails(_data: bytes) -> None:
        raise RuntimeError("the fast decoder was used")

    monkeypatch.setattr(fit_fast, "decode", fast_fails)
    monkeypatch.delenv("ANALYZER_FIT_DECODER", raising=False)
    report = import_paths(SMALL[:2], store, jobs=2)
    assert report.counts()["failed"] == 2
    assert all("the fast decoder was used" in o.message for o in report.failed)


def test_import_decoders_store_the_same_summaries(tmp_path: Path) -> None:
    files = [str(p) for p in SMALL]
    runner = CliRunner()
    for name, options in (("fast", []), ("fitparse", ["--decoder", "fitparse", "--jobs", "1"])):
        result = runner.invoke(
            cli, ["--data-dir", str(tmp_path / name), "import", "--json", *options, *files]
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["counts"]["imported"] == 3
    with Store.open(tmp_path / "fast") as fast, Store.open(tmp_path / "fitparse") as slow:
        assert catalog(fast) == catalog(slow)


def test_jobs_defaults_to_every_core() -> None:
    result = CliRunner().invoke(cli, ["import", "--help"])
    assert "[default: (all cores)" in " ".join(result.output.split())
