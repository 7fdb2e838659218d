"""``--damaged warn|strict|ignore`` on import, inspect and watch (STYLE rule 10): a cut
FIT, a cut GPX and a clean file in each mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from analyzer import pipeline
from analyzer.cli import DAMAGED_MODES, cli
from analyzer.importers import damage
from analyzer.store import Store
from tests.conftest import DATA

FIT = DATA / "workoutizer/2020-08-31-17-41-11.fit"
GPX = DATA / "workoutizer/garmin_example.gpx"
CLEAN = DATA / "runpandas/run_garmin.tcx"

FIT_DAMAGE = "the file is truncated (unexpected end of file)"
GPX_DAMAGE = "the GPX file is cut off at line"
REFUSED = "refused as damaged (--damaged strict)"


def cut_fit(folder: Path) -> Path:
    path = folder / "cut.fit"
    data = FIT.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def cut_gpx(folder: Path) -> Path:
    path = folder / "cut.gpx"
    data = GPX.read_bytes()
    end = b"</trkpt>"
    at = data.index(end, len(data) // 2) + len(end)
    path.write_bytes(data[:at])
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    cut_fit(folder)
    cut_gpx(folder)
    (folder / CLEAN.name).write_bytes(CLEAN.read_bytes())
    return folder


def run(data: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args])


def stored(data: Path) -> dict[str, list[str]]:
    """Stored activities: source file name -> its stored warnings."""
    with Store.open(data) as store:
        return {
            Path(a.summary["source_path"]).name: a.summary["warnings"]
            for a in store.activities(None, None)
        }


def test_the_modes_are_the_libraries() -> None:
    assert DAMAGED_MODES == damage.MODES
    assert damage.DEFAULT == DAMAGED_MODES[0] == "warn"


@pytest.mark.parametrize("command", ["import", "inspect", "watch"])
def test_each_reading_command_documents_the_option(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "--damaged [warn|strict|ignore]" in result.output
    assert "[default: warn]" in result.output


def test_an_unknown_mode_is_a_usage_error(inbox: Path, tmp_path: Path) -> None:
    result = run(tmp_path / "data", "import", str(inbox), "--damaged", "maybe")
    assert result.exit_code == 2
    assert "--damaged" in result.output


@pytest.mark.parametrize("mode", [None, "warn"])
def test_warn_keeps_the_damaged_files_and_says_what_was_lost(
    inbox: Path, tmp_path: Path, mode: str | None
) -> None:
    data = tmp_path / "data"
    given = ["--damaged", mode] if mode else []
    result = run(data, "import", "--jobs", "1", str(inbox), *given)
    assert result.exit_code == 0, result.output
    assert f"cut.fit: {FIT_DAMAGE}; kept the" in result.output
    assert GPX_DAMAGE in result.output
    assert sorted(stored(data)) == ["cut.fit", "cut.gpx", CLEAN.name]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_strict_refuses_the_damaged_files_and_stores_the_clean_one(
    inbox: Path, tmp_path: Path, jobs: str
) -> None:
    data = tmp_path / "data"
    result = run(data, "import", "--jobs", jobs, "--json", str(inbox), "--damaged", "strict")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["counts"]["imported"] == 1
    assert report["counts"]["failed"] == 2
    failed = {
        Path(o["file"]).name: o["message"] for o in report["files"] if o["outcome"] == "failed"
    }
    assert sorted(failed) == ["cut.fit", "cut.gpx"]
    assert failed["cut.fit"] == f"{inbox / 'cut.fit'}: {FIT_DAMAGE}; {REFUSED}"
    assert failed["cut.gpx"].startswith(f"{inbox / 'cut.gpx'}: {GPX_DAMAGE} ")
    assert failed["cut.gpx"].endswith(REFUSED)
    assert list(stored(data)) == [CLEAN.name]


def test_strict_says_which_file_failed_on_the_terminal(inbox: Path, tmp_path: Path) -> None:
    result = run(tmp_path / "data", "import", "-j", "1", str(inbox / "cut.fit"), "--damaged=strict")
    assert result.exit_code == 1
    assert f"failed: {inbox / 'cut.fit'}: {FIT_DAMAGE}; {REFUSED}" in result.output


def test_ignore_stores_the_damaged_files_without_printing_the_damage(
    inbox: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    result = run(data, "import", "--jobs", "2", str(inbox), "--damaged", "ignore")
    assert result.exit_code == 0, result.output
    assert FIT_DAMAGE not in result.output
    assert GPX_DAMAGE not in result.output
    assert "no session message" in result.output  # not damage: still said
    warnings = stored(data)
    assert sorted(warnings) == ["cut.fit", "cut.gpx", CLEAN.name]
    assert any(w.startswith(FIT_DAMAGE) for w in warnings["cut.fit"])  # kept with the run
    assert any(GPX_DAMAGE in w for w in warnings["cut.gpx"])
    listed = json.loads(run(data, "activities", "--json").stdout)
    assert any(GPX_DAMAGE in w for a in listed for w in a["warnings"])


def test_ignore_leaves_the_damage_out_of_the_json_report(inbox: Path, tmp_path: Path) -> None:
    result = run(
        tmp_path / "data", "import", "-j", "1", "--json", str(inbox), "--damaged", "ignore"
    )
    report = json.loads(result.stdout)
    said = [w for o in report["files"] for w in o["warnings"]]
    assert said == ["no session message: the device summary is missing"]


@pytest.mark.parametrize("name", ["cut.fit", "cut.gpx"])
def test_inspect_strict_refuses_a_damaged_file(inbox: Path, tmp_path: Path, name: str) -> None:
    result = run(tmp_path / "data", "inspect", str(inbox / name), "--damaged", "strict")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {inbox / name}: ")
    assert REFUSED in result.stderr
    assert (FIT_DAMAGE if name == "cut.fit" else GPX_DAMAGE) in result.stderr


def test_inspect_strict_reads_a_clean_file(inbox: Path, tmp_path: Path) -> None:
    result = run(tmp_path / "data", "inspect", str(inbox / CLEAN.name), "--damaged", "strict")
    assert result.exit_code == 0, result.output


def test_inspect_ignore_prints_no_damage_but_its_json_activity_keeps_it(
    inbox: Path, tmp_path: Path
) -> None:
    path = str(inbox / "cut.gpx")
    warned = run(tmp_path / "data", "inspect", path)
    assert GPX_DAMAGE in warned.output
    quiet = run(tmp_path / "data", "inspect", path, "--damaged", "ignore")
    assert quiet.exit_code == 0
    assert GPX_DAMAGE not in quiet.output
    report = json.loads(
        run(tmp_path / "data", "inspect", path, "--damaged", "ignore", "--json").stdout
    )
    assert report["warnings"] == []
    assert GPX_DAMAGE in report["activities"][0]["warnings"][0]


def test_watch_strict_moves_a_damaged_file_to_failed(inbox: Path, tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "reports"
    result = run(
        data, "watch", str(inbox), "--once", "--interval", "0", "--out", str(out),
        "--damaged", "strict",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in (inbox / "imported").iterdir()) == [CLEAN.name]
    why = (inbox / "failed" / "cut.fit.txt").read_text()
    assert FIT_DAMAGE in why
    assert REFUSED in why
    assert (inbox / "failed" / "cut.gpx").is_file()
    assert list(stored(data)) == [CLEAN.name]


def test_watch_ignore_imports_the_damaged_files(inbox: Path, tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        batches = pipeline.watch_inbox(
            inbox, store, tmp_path / "reports", once=True, interval_s=0, damaged="ignore"
        )
    assert len(batches[0].imported) == 3
    assert not batches[0].failed
    said = [w for o in batches[0].report.outcomes for w in o.warnings]
    assert said == ["no session message: the device summary is missing"]
