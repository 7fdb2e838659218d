"""Hostile archives through the CLI (issue 8, item 3): zip and gzip bombs refused under
limits the user can set, unsafe entry names skipped with a warning, nothing written
anywhere: archives are read in memory, never extracted."""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from analyzer.cli import cli
from analyzer.store import Store
from tests.conftest import DATA

RUN_FIT = DATA / "sport-activities-features" / "fit_format_test_File.FIT"
RUN_TCX = DATA / "runpandas" / "run_garmin.tcx"
ZEROS_MB = 24  # deflates about 1000:1, far past the default ratio limit of 200


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def run(data: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "import", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def activity_count(data: Path) -> int:
    with Store.open(data) as store:
        return len(store.activity_ids())


@pytest.fixture
def zeros() -> bytes:
    return b"\0" * (ZEROS_MB * 1024 * 1024)


def test_zip_bomb_with_a_valid_looking_name_is_refused(
    tmp_path: Path, zeros: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "garmin-export.zip"
    bomb.write_bytes(
        zipped(
            {
                "activities/2026-10-12-morning-run.fit": zeros,
                "activities/run.tcx": RUN_TCX.read_bytes(),
            }
        )
    )
    # proof that nothing is unpacked to disk: extraction is never called
    monkeypatch.setattr(zipfile.ZipFile, "extract", _never)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", _never)
    result = run(tmp_path / "data", "--quiet", str(bomb))
    assert result.exit_code == 1
    assert "2026-10-12-morning-run.fit: compression ratio" in result.output
    assert "zip bomb" in result.output
    assert "raise --max-unpacked-mb / --max-ratio" in result.output
    assert "1 imported" in result.output  # the honest file beside it still imports
    assert activity_count(tmp_path / "data") == 1


def _never(*_args: object, **_kw: object) -> None:
    raise AssertionError("an archive was extracted to disk")


def test_the_ratio_limit_is_the_users_to_raise(tmp_path: Path, zeros: bytes) -> None:
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(zipped({"run.fit": zeros}))
    refused = run(tmp_path / "data", "--quiet", str(bomb))
    assert "zip bomb" in refused.output
    allowed = run(tmp_path / "data", "--quiet", "--max-ratio", "5000", str(bomb))
    assert allowed.exit_code == 1  # read this time, and found not to be a FIT file
    assert "zip bomb" not in allowed.output
    assert "run.fit" in allowed.output


def test_nested_zips_share_one_size_budget(tmp_path: Path) -> None:
    noise = [os.urandom(400 * 1024) for _ in range(4)]  # incompressible: ratio ~1
    inner = [zipped({f"day{n}/run{n}.fit": blob}) for n, blob in enumerate(noise)]
    outer = zipped({f"part{n}.zip": z for n, z in enumerate(inner)})
    path = tmp_path / "nested.zip"
    path.write_bytes(zipped({"export/all.zip": outer}))
    result = run(tmp_path / "data", "--quiet", "--max-unpacked-mb", "2.5", str(path))
    assert result.exit_code == 1
    over = [line for line in result.output.splitlines() if "over the size limit" in line]
    # the outer zips (about 1.6 MB each level) and two 0.4 MB entries fit; the rest do not
    assert over, result.output
    assert all("zip bomb" in line for line in over)


def test_a_zip_bomb_nested_inside_zips_is_refused(tmp_path: Path, zeros: bytes) -> None:
    path = tmp_path / "outer.zip"
    path.write_bytes(zipped({"a/inner.zip": zipped({"b/deep.zip": zipped({"run.gpx": zeros})})}))
    result = run(tmp_path / "data", "--quiet", str(path))
    assert result.exit_code == 1
    assert "inner.zip!b/deep.zip!run.gpx: compression ratio" in result.output


def test_gzip_bomb_is_refused_and_the_limit_is_settable(tmp_path: Path, zeros: bytes) -> None:
    bomb = tmp_path / "2026-10-12-run.fit.gz"
    bomb.write_bytes(gzip.compress(zeros, compresslevel=9))
    result = run(tmp_path / "data", "--quiet", str(bomb))
    assert result.exit_code == 1
    assert "2026-10-12-run.fit.gz: expands beyond" in result.output
    assert "decompression bomb" in result.output
    small = run(tmp_path / "data", "--quiet", "--max-unpacked-mb", "0.5", str(bomb))
    assert "expands beyond 0.5 MB" in small.output
    honest = tmp_path / "run.fit.gz"
    honest.write_bytes(gzip.compress(RUN_FIT.read_bytes()))
    assert run(tmp_path / "data", "--quiet", str(honest)).exit_code == 0


def snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_unsafe_entry_names_are_skipped_with_a_warning_and_nothing_escapes(
    tmp_path: Path,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    target = tmp_path / "abs-target.fit"
    evil = work / "evil.zip"
    payload = RUN_FIT.read_bytes()
    evil.write_bytes(
        zipped(
            {
                "../../escaped.fit": payload,
                "..\\windows-escape.fit": payload,
                str(target): payload,  # an absolute path
                "C:/drive.fit": payload,
                "activities/run.tcx": RUN_TCX.read_bytes(),
            }
        )
    )
    before = snapshot(tmp_path)
    data = work / "data"
    result = run(data, str(evil))
    assert result.exit_code == 0, result.output  # skipped with warnings, not failures
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 4, result.output
    for name in ("../../escaped.fit", "..\\windows-escape.fit", str(target), "C:/drive.fit"):
        assert any(name in w and "skipped, nothing written" in w for w in warnings), name
    assert activity_count(data) == 1
    created = snapshot(tmp_path) - before
    assert all(p.startswith("work/data") for p in created), created
    assert not target.exists()
    stored = {p.name for p in data.iterdir()}
    assert stored <= {"catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "streams"}
    assert [p.suffix for p in (data / "streams").iterdir()] == [".parquet"]


def test_json_summary_lists_the_warnings(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    evil.write_bytes(zipped({"../x.fit": b"x"}))
    result = run(tmp_path / "data", "--json", str(evil))
    assert result.exit_code == 0
    assert '"warnings": [' in result.output
    assert "../x.fit" in result.output


def test_help_documents_the_limits() -> None:
    text = CliRunner().invoke(cli, ["import", "--help"]).output
    assert "--max-unpacked-mb N" in text
    assert "--max-ratio R" in text
