"""The store's commands through click's CliRunner: output, exit codes, nothing half-written."""

from __future__ import annotations

import csv
import errno
import json
import os
import shlex
import shutil
import sqlite3
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from analyzer.cli import cli
from analyzer.store import Store
from analyzer.store.migrations import SCHEMA_VERSION
from analyzer.symptoms.entries import CHECKIN_COLUMNS, DROPS_COLUMNS
from tests.conftest import DATA, corpus_or_skip

#: the columns of a symptoms.csv written before morning_pain: still read
OLD_COLUMNS = tuple(c for c in CHECKIN_COLUMNS if c != "morning_pain")

SMALL = [
    DATA / "workoutizer" / "2020-08-31-17-41-11.fit",
    DATA / "sport-activities-features" / "fit_format_test_File.FIT",
    DATA / "runpandas" / "run_garmin.tcx",
]
BAD = DATA / "invalid" / "Settings.fit"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(data: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args], input=input)


def one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    return lines[0]


def usage_error(result: Result) -> str:
    """The one ``Error:`` line of a usage error (exit 2), under click's usage lines."""
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.output
    return errors[0]


# --- import and activities ---------------------------------------------------------------


def test_import_summarises_and_exits_1_when_a_file_failed(data: Path) -> None:
    result = run(data, "import", *map(str, SMALL), str(BAD))
    assert result.exit_code == 1
    assert "imported   3" in result.output
    assert "failed     1" in result.output
    assert "not an activity" in result.output
    again = run(data, "import", "--json", *map(str, SMALL))
    assert again.exit_code == 0
    assert json.loads(again.output)["counts"]["present"] == 3


def test_import_of_a_folder_without_activity_files_says_so(data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "my runs ü"
    folder.mkdir()
    (folder / "notes.txt").write_text("not an export")
    result = run(data, "import", str(folder))
    assert result.exit_code == 0
    assert result.output.strip() == (
        f"Nothing to import: no .fit, .gpx or .tcx files (nor .zip or .gz) in {folder}."
    )


def test_import_names_what_a_damaged_file_lost(data: Path) -> None:
    damaged = DATA / "invalid" / "activity-unexpected-eof.fit"  # cut short on purpose
    result = run(data, "import", str(damaged))
    assert result.exit_code == 0, result.output
    assert f"warning: {damaged}: the file is truncated (unexpected end of file)" in result.output
    quiet = run(data, "import", "--quiet", "--reread", str(damaged))
    assert "the file is truncated" in quiet.output  # stderr, mixed in by the runner
    as_json = json.loads(run(data, "import", "--json", "--reread", str(damaged)).output)
    assert any("truncated" in w for w in as_json["files"][0]["warnings"])


def test_import_quiet_prints_one_line(data: Path) -> None:
    result = run(data, "import", "--quiet", str(SMALL[0]))
    assert result.exit_code == 0
    assert result.output.strip() == "import: 1 imported"


def _lose_the_stream(data: Path) -> list[str]:
    """Delete the one stored stream; the command doctor says brings it back."""
    with Store.open(data) as store:
        (activity_id,) = [a.activity_id for a in store.activities()]
        store.stream_path(activity_id).unlink()
    found = run(data, "doctor")
    assert found.exit_code == 1
    advice = found.output.split("get it back with: ")[1].splitlines()[0]
    assert advice.startswith("analyzer import --reread ")
    return shlex.split(advice)[1:]


def test_doctor_names_the_command_that_brings_a_lost_stream_back(data: Path) -> None:
    assert run(data, "import", "--quiet", str(SMALL[0])).exit_code == 0
    command = _lose_the_stream(data)
    assert command == ["import", "--reread", str(SMALL[0])]
    assert "1 already present" in run(data, "import", "--quiet", str(SMALL[0])).output
    assert run(data, "doctor").exit_code == 1, "a plain import skips the stored file"
    again = run(data, *command[:1], "--quiet", *command[1:])
    assert again.output.strip() == "import: 1 read again"
    assert run(data, "doctor").exit_code == 0


def test_doctor_advice_for_a_run_from_an_archive_names_the_archive(
    data: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "my export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(SMALL[0], f"activities/{SMALL[0].name}")
    assert run(data, "import", "--quiet", str(archive)).exit_code == 0
    command = _lose_the_stream(data)
    assert command == ["import", "--reread", str(archive)]
    assert run(data, *command).exit_code == 0
    assert run(data, "doctor").exit_code == 0


def test_activities_lists_in_the_profile_units(data: Path) -> None:
    run(data, "import", "--quiet", *map(str, SMALL))
    table = run(data, "activities")
    assert table.exit_code == 0
    assert table.output.count(" mi ") == 3
    run(data, "profile", "set", "--units", "km")
    assert run(data, "activities").output.count(" km ") == 3
    assert run(data, "activities", "--units", "mi").output.count(" mi ") == 3
    rows = json.loads(run(data, "activities", "--json", "--since", "2020-01-01").output)
    assert [r["local_date"] for r in rows] == ["2020-08-31", "2023-01-12"]
    assert {"distance_m", "moving_s", "hills"} <= set(rows[0])


def test_activities_outside_the_range_and_an_inverted_range(data: Path) -> None:
    run(data, "import", "--quiet", *map(str, SMALL))
    empty = run(data, "activities", "--since", "2099-01-01")
    assert empty.exit_code == 0
    assert empty.output.strip() == (
        "No activities since 2099-01-01; 3 stored in all (analyzer activities)."
    )
    inverted = run(data, "activities", "--since", "2020-09-01", "--until", "2020-08-01")
    assert inverted.exit_code == 2
    assert "--since 2020-09-01 is after --until 2020-08-01" in inverted.output


def test_activities_on_an_empty_store(data: Path) -> None:
    Store.open(data).close()
    result = run(data, "activities")
    assert result.exit_code == 0
    assert "No activities" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("activities",),
        ("log", "list"),
        ("drops", "list"),
        ("visa-a", "list"),
        ("hills",),
        ("report",),
        ("doctor",),
        ("backup", "x.zip"),
    ],
)
def test_reading_commands_refuse_a_folder_without_a_store(tmp_path: Path, args: tuple) -> None:
    typo = tmp_path / "analyzr-data"  # a mistyped --data-dir
    result = run(typo, *args)
    assert result.exit_code == 1, result.output
    assert f"no store in {typo}" in result.output
    assert not typo.exists()  # nothing was created


# --- profile -------------------------------------------------------------------------------


def test_profile_set_recomputes_the_summaries(data: Path) -> None:
    run(data, "import", "--quiet", *map(str, SMALL))
    result = run(data, "profile", "set", "--hr-max", "190", "--timezone", "Europe/London")
    assert result.exit_code == 0, result.output
    assert "Recomputed 3 activity summaries" in result.output
    assert "Recomputing summaries 3/3" in result.output  # CliRunner mixes stderr in
    rows = json.loads(run(data, "activities", "--json").output)
    assert {r["hr_max_used_bpm"] for r in rows} == {190.0}
    shown = json.loads(run(data, "profile", "show", "--json").output)
    assert shown["settings"]["hr_max_bpm"] == 190.0
    assert sorted(shown["from_profile"]) == ["hr_max_bpm", "timezone"]


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--timezone", "Mars/Olympus"], "unknown time zone"),
        (["--hr-max", "fast"], "not a valid number"),
        (["--hr-max", "400"], "outside 100-240"),
        (["--age", "5"], "outside 10-100"),
        (["--drops-per-day", "0"], "outside 1-10"),
        (["--set", "gap_limit_s=0"], "outside 1-3600"),  # every step a pause: no moving time
        (["--set", "zone_edges=1,2"], "fractions between 0 and 1"),
        (["--hr-max", "110", "--hr-rest", "115"], "must be below maximum"),
        (["--set", "colour=red"], "unknown setting"),
        (["--units", "furlongs"], "not one of mi, km"),
    ],
)
def test_profile_set_refuses_bad_values(data: Path, args: list[str], problem: str) -> None:
    result = run(data, "profile", "set", *args)
    # an option's value of the wrong form, out of range or not going with another is a
    # usage error (2) naming the option, as in log and drops; 1 is for data errors
    said = usage_error(result)
    assert problem in said
    named = "--set " + args[-1].partition("=")[0] if args[-2] == "--set" else args[-2]
    assert f"Invalid value for '{named}'" in said
    assert run(data, "profile", "show", "--json").exit_code == 0
    assert json.loads(run(data, "profile", "show", "--json").output)["from_profile"] == []


def test_profile_set_usage_errors_exit_2(data: Path) -> None:
    assert run(data, "profile", "set").exit_code == 2
    assert run(data, "profile", "set", "--set", "no-equals-sign").exit_code == 2


# --- log -----------------------------------------------------------------------------------


def test_log_a_check_in_then_list_it(data: Path) -> None:
    result = run(data, "log", "--date", "2026-10-12", "--stiffness", "3", "--no-swelling")
    assert result.exit_code == 0, result.output
    listed = json.loads(run(data, "log", "list", "--json").output)
    assert listed == [
        {
            "date": "2026-10-12",
            "morning_stiffness": 3.0,
            "morning_stiffness_minutes": None,
            "morning_pain": None,
            "pain_during": None,
            "pain_after": None,
            "pinch_tenderness": None,
            "swelling": False,
            "side": None,
            "note": None,
        }
    ]
    assert "2026-10-12" in run(data, "log", "list").output


def test_log_defaults_to_today_and_the_profile_side(data: Path) -> None:
    run(data, "profile", "set", "--side", "left")
    assert run(data, "log", "--tenderness", "2").exit_code == 0
    [entry] = json.loads(run(data, "log", "list", "--json").output)
    assert entry["side"] == "left"
    assert abs(date.fromisoformat(entry["date"]) - date.today()) <= timedelta(days=1)


def test_a_second_check_in_for_a_date_needs_replace(data: Path) -> None:
    run(data, "log", "--date", "2026-10-12", "--stiffness", "3")
    refused = one_line_error(run(data, "log", "--date", "2026-10-12", "--stiffness", "5"))
    assert "--replace" in refused
    assert json.loads(run(data, "log", "list", "--json").output)[0]["morning_stiffness"] == 3
    ok = run(data, "log", "--date", "2026-10-12", "--stiffness", "5", "--replace")
    assert ok.exit_code == 0
    assert json.loads(run(data, "log", "list", "--json").output)[0]["morning_stiffness"] == 5


def test_replacing_one_value_keeps_the_others(data: Path) -> None:
    full = ["--stiffness", "3", "--stiffness-minutes", "15", "--pain-during", "2"]
    run(data, "log", "--date", "2026-10-12", *full, "--no-swelling", "--note", "felt ok")
    ok = run(data, "log", "--date", "2026-10-12", "--stiffness", "4", "--replace")
    assert ok.output.strip() == "Check-in for 2026-10-12 updated: morning stiffness 3 -> 4."
    [entry] = json.loads(run(data, "log", "list", "--json").output)
    assert entry["morning_stiffness"] == 4
    assert entry["morning_stiffness_minutes"] == 15
    assert entry["pain_during"] == 2
    assert entry["swelling"] is False
    assert entry["note"] == "felt ok"
    cleared = run(data, "log", "--date", "2026-10-12", "--note", "", "--replace")
    assert "note felt ok -> (none)" in cleared.output
    same = run(data, "log", "--date", "2026-10-12", "--stiffness", "4")
    assert same.exit_code == 0, "the same value again needs no --replace"
    assert same.output.strip() == "Check-in for 2026-10-12 unchanged."


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--stiffness", "11"], "outside 0-10"),
        (["--pain-during", "-1"], "outside 0-10"),
        (["--date", "2999-01-01", "--stiffness", "1"], "in the future"),
        (["--stiffness-minutes", "-3"], "outside 0-1440"),
        (["--side", "middle", "--stiffness", "1"], "not one of left, right, both"),
    ],
)
def test_a_bad_check_in_is_refused_in_one_line(data: Path, args: list[str], problem: str) -> None:
    said = usage_error(run(data, "log", *args))  # a bad option value: exit 2, not 1
    assert problem in said
    assert f"Invalid value for '{args[0]}'" in said
    assert json.loads(run(data, "log", "list", "--json").output) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2015-02-30", "'2015-02-30': there is no 30 February 2015"),
        ("2015-13-01", "'2015-13-01': there is no month 13"),
        ("30/02/2015", "'30/02/2015' is not a date written YYYY-MM-DD, e.g. 2026-11-20"),
        ("20-11-2026", "'20-11-2026': dates are written year first, YYYY-MM-DD: 2026-11-20?"),
        ("20/11/2026", "'20/11/2026': dates are written year first, YYYY-MM-DD: 2026-11-20?"),
    ],
)
def test_a_bad_date_says_what_is_wrong(data: Path, text: str, problem: str) -> None:
    result = run(data, "log", "--date", text, "--stiffness", "2")
    assert result.exit_code == 2
    assert problem in result.output


def test_a_new_check_in_needs_a_score_or_a_note_a_logged_one_may_change_its_side(
    data: Path,
) -> None:
    for empty in (["--note", ""], ["--side", "left"]):
        refused = run(data, "log", "--date", "2026-11-10", *empty)
        assert refused.exit_code == 2, refused.output
        assert "no check-in for 2026-11-10 yet: give a score or a note" in refused.output
    assert json.loads(run(data, "log", "list", "--json").output) == []
    run(data, "log", "--date", "2026-11-10", "--stiffness", "2")
    moved = run(data, "log", "--date", "2026-11-10", "--side", "left", "--replace")
    assert moved.output.strip() == "Check-in for 2026-11-10 updated: side (none) -> left."


def test_log_without_values_is_a_usage_error(data: Path) -> None:
    assert run(data, "log").exit_code == 2


def write_csv(path: Path, header: tuple[str, ...], *rows: str) -> Path:
    path.write_text("\n".join([",".join(header), *rows]) + "\n", encoding="utf-8")
    return path


def test_log_import_and_export_round_trip(data: Path, tmp_path: Path) -> None:
    src = write_csv(
        tmp_path / "in.csv",
        OLD_COLUMNS,
        "2026-10-12,2,11,,,2,false,left,Week 5",
        '2026-10-13,2,10,2,2,2,false,left,"a ""quoted"", note"',
    )
    result = run(data, "log", "import", str(src))
    assert result.exit_code == 0
    assert "2 added" in result.output
    assert "2 already present" in run(data, "log", "import", str(src)).output
    out = tmp_path / "out.csv"
    assert run(data, "log", "export", str(out)).exit_code == 0
    # the export has every column; morning_pain is empty where the CSV had none
    with out.open(newline="") as exported, src.open(newline="") as given:
        rows, before = list(csv.DictReader(exported)), list(csv.DictReader(given))
    assert [r.pop("morning_pain") for r in rows] == ["", ""]
    assert rows == before
    out.write_text("an earlier export\n")
    refused = one_line_error(run(data, "log", "export", str(out)))
    assert refused == f"Error: {out} exists; --force replaces it"
    assert out.read_text() == "an earlier export\n"  # untouched
    assert run(data, "log", "export", "--force", str(out)).exit_code == 0
    assert out.read_text().startswith(",".join(CHECKIN_COLUMNS) + "\n")


def test_log_import_over_a_logged_date_stops_keeps_or_merges(data: Path, tmp_path: Path) -> None:
    run(data, "log", "--date", "2026-10-13", "--stiffness", "4", "--note", "stiff after hill")
    src = write_csv(
        tmp_path / "in.csv",
        OLD_COLUMNS,
        "2026-10-12,2,11,,,2,false,left,Week 5",
        "2026-10-13,3,10,2,2,2,false,left,",  # the same date, other values, no note
    )

    def logged() -> dict[str, dict]:
        return {e["date"]: e for e in json.loads(run(data, "log", "list", "--json").output)}

    stopped = one_line_error(run(data, "log", "import", str(src)))
    assert "already logged for 2026-10-13; nothing was written" in stopped
    assert "--keep-logged" in stopped
    assert list(logged()) == ["2026-10-13"]
    kept = run(data, "log", "import", "--keep-logged", str(src))
    assert kept.exit_code == 0, kept.output
    assert "1 added, 0 replaced, 0 already present, 1 kept as logged" in kept.output
    assert logged()["2026-10-13"]["morning_stiffness"] == 4
    merged = run(data, "log", "import", "--replace", str(src))
    assert "1 replaced" in merged.output
    day = logged()["2026-10-13"]
    assert day["morning_stiffness"] == 3  # the row's value replaces the logged one
    assert day["note"] == "stiff after hill"  # its empty cell keeps the logged note
    assert run(data, "log", "import", "--replace", "--keep-logged", str(src)).exit_code == 2


def test_drops_import_replace_keeps_what_an_empty_cell_does_not_give(
    data: Path, tmp_path: Path
) -> None:
    at = "2026-10-12T07:49"
    run(data, "drops", "--at", at, "--load-kg", "10", "--note", "left calf sore")
    src = write_csv(tmp_path / "d.csv", DROPS_COLUMNS, f"{at},3,3,12,,")  # reps given only
    assert "1 replaced" in run(data, "drops", "import", "--replace", str(src)).output
    [session] = json.loads(run(data, "drops", "list", "--json").output)
    assert session["reps"] == 12
    assert session["added_load_kg"] == 10.0  # empty cell: the logged load stays
    assert session["note"] == "left calf sore"


def test_a_csv_row_without_a_side_gets_the_profile_side(data: Path, tmp_path: Path) -> None:
    run(data, "profile", "set", "--side", "right")
    src = write_csv(tmp_path / "in.csv", OLD_COLUMNS, "2026-10-12,2,11,,,2,false,,")
    assert "1 added" in run(data, "log", "import", str(src)).output
    [entry] = json.loads(run(data, "log", "list", "--json").output)
    assert entry["side"] == "right"
    assert "1 already present" in run(data, "log", "import", str(src)).output


def test_a_csv_with_one_bad_row_writes_nothing(data: Path, tmp_path: Path) -> None:
    src = write_csv(
        tmp_path / "in.csv",
        OLD_COLUMNS,
        "2026-10-12,2,11,,,2,false,left,",
        "2026-10-13,12,10,,,2,false,left,",
        "2026-10-14,2,10,,,2,false,left,",
        "2026-10-15,2,10,,,2,false,left,,",
    )
    result = run(data, "log", "import", str(src))
    assert result.exit_code == 1
    assert "2 bad line(s), nothing was written" in result.output
    assert "line 3: morning_stiffness: score 12 is outside 0-10" in result.output
    assert "line 5: row: malformed row" in result.output
    assert json.loads(run(data, "log", "list", "--json").output) == []


def test_a_csv_import_over_different_entries_needs_replace(data: Path, tmp_path: Path) -> None:
    run(data, "log", "--date", "2026-10-12", "--stiffness", "7")
    src = write_csv(
        tmp_path / "in.csv",
        OLD_COLUMNS,
        "2026-10-11,2,11,,,2,false,left,",
        "2026-10-12,2,11,,,2,false,left,",
    )
    assert "--replace" in one_line_error(run(data, "log", "import", str(src)))
    assert len(json.loads(run(data, "log", "list", "--json").output)) == 1
    assert run(data, "log", "import", "--replace", str(src)).exit_code == 0
    assert len(json.loads(run(data, "log", "list", "--json").output)) == 2


def test_an_unknown_column_is_refused(data: Path, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", ("date", "mood"), "2026-10-12,happy")
    result = run(data, "log", "import", str(src))
    assert result.exit_code == 1
    assert "unknown column 'mood'" in result.output


def test_a_non_utf8_csv_is_refused(data: Path, tmp_path: Path) -> None:
    src = tmp_path / "latin1.csv"
    src.write_bytes(",".join(OLD_COLUMNS).encode() + b"\n2026-10-12,2,,,,,,,caf\xe9\n")
    assert "not UTF-8" in one_line_error(run(data, "log", "import", str(src)))


# --- heel drops ----------------------------------------------------------------------------


def test_drops_log_list_and_round_trip(data: Path, tmp_path: Path) -> None:
    assert run(data, "drops").exit_code == 0
    at = run(data, "drops", "--at", "2026-10-12T07:49:00+01:00", "--load-kg", "2.5")
    assert at.exit_code == 0, at.output
    rows = json.loads(run(data, "drops", "list", "--json").output)
    assert [r["time"] for r in rows][0] == "2026-10-12T07:49:00+01:00"
    assert rows[0]["added_load_kg"] == 2.5
    # the same time again: nothing given changes nothing; a new value needs --replace
    same = run(data, "drops", "--at", "2026-10-12T07:49:00+01:00")
    assert same.output.strip() == "Heel-drop session at 2026-10-12T07:49+01:00 unchanged."
    assert "a heel-drop session at" in one_line_error(
        run(data, "drops", "--at", "2026-10-12T07:49:00+01:00", "--reps", "12")
    )
    out = tmp_path / "drops.csv"
    run(data, "drops", "export", str(out))
    other = tmp_path / "other"
    result = run(other, "drops", "import", str(out))
    assert result.exit_code == 0
    assert "2 added" in result.output
    again = tmp_path / "again.csv"
    run(other, "drops", "export", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_bad_drops_are_refused(data: Path, tmp_path: Path) -> None:
    assert "outside 0-20" in usage_error(run(data, "drops", "--straight-sets", "-1"))
    assert "in the future" in usage_error(run(data, "drops", "--at", "2999-01-01T07:00"))
    src = write_csv(
        tmp_path / "d.csv",
        DROPS_COLUMNS,
        "2026-10-12T07:49:00+01:00,3,3,15,0,",
        "2026-10-12T18:51:00+01:00,3,3,fifteen,0,",
    )
    result = run(data, "drops", "import", str(src))
    assert result.exit_code == 1
    assert "line 3: reps" in result.output
    assert json.loads(run(data, "drops", "list", "--json").output) == []


# --- VISA-A --------------------------------------------------------------------------------


def test_visa_a_with_answers(data: Path) -> None:
    result = run(data, "visa-a", "--answers", "7,8,6,5,9,10,7,B14", "--date", "2026-11-01")
    assert result.exit_code == 0
    assert "66/100" in result.output
    assert "Invalid value for '--answers': item 7" in usage_error(
        run(data, "visa-a", "--answers", "7,8,6,5,9,10,5,14")
    )
    with Store.open(data) as store:
        [stored] = store.visa_a()
    assert stored.items == (7, 8, 6, 5, 9, 10, 7, 14)


def test_visa_a_list_shows_each_total_and_its_change(data: Path) -> None:
    Store.open(data).close()
    assert "No VISA-A results yet" in run(data, "visa-a", "list").output
    run(data, "visa-a", "--answers", "7,8,6,5,9,10,7,B14", "--date", "2026-11-01")
    run(data, "visa-a", "--answers", "3,3,3,3,3,3,0,C0", "--date", "2026-11-15")
    lines = run(data, "visa-a", "list").output.splitlines()
    # 7+8+6+5+9+10+7+14 = 66; 6 x 3 + 0 + 0 = 18: a fall of 48
    assert lines[2].split()[:2] == ["2026-11-01", "66/100"]
    assert lines[3].split()[:3] == ["2026-11-15", "18/100", "-48"]
    listed = json.loads(run(data, "visa-a", "list", "--json", "--since", "2026-11-10").output)
    # the change of the first result shown is from the one before it, shown or not
    assert listed == [
        {
            "date": "2026-11-15",
            "total": 18,
            "change": -48,
            "items": [3, 3, 3, 3, 3, 3, 0, 0],
            "q8_branch": "C",
        }
    ]
    since = run(data, "visa-a", "list", "--since", "2026-11-10").output.splitlines()
    assert since[2].split()[:3] == ["2026-11-15", "18/100", "-48"]


def test_visa_a_at_the_prompt(data: Path) -> None:
    # items 7 and 8 are typed as their scores, the numbers --answers takes
    answers = "\n".join(["5", "6", "7", "8", "9", "3", "4", "c", "10"]) + "\n"
    result = run(data, "visa-a", "--date", "2026-11-02", input=answers)
    assert result.exit_code == 0, result.output
    assert "VISA-A 2026-11-02: 52/100" in result.output  # 38 + item 7: 4 + item 8 C: 10


# --- the inbox -----------------------------------------------------------------------------


def test_watch_once_moves_files_and_explains_failures(data: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(SMALL[0], inbox / "run.fit")
    shutil.copy2(SMALL[2], inbox / "run.tcx")
    shutil.copy2(BAD, inbox / "settings.fit")
    (inbox / "notes.txt").write_text("not an activity file, left alone")
    result = run(data, "watch", str(inbox), "--once", "--interval", "0.05", "--out", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in (inbox / "imported").iterdir()) == ["run.fit", "run.tcx"]
    assert sorted(p.name for p in (inbox / "failed").iterdir()) == [
        "settings.fit",
        "settings.fit.txt",
    ]
    assert "not an activity" in (inbox / "failed" / "settings.fit.txt").read_text()
    assert sorted(p.name for p in inbox.iterdir()) == ["failed", "imported", "notes.txt"]
    assert len(json.loads(run(data, "activities", "--json").output)) == 2
    assert "imported: run.fit" in result.output
    nothing = run(data, "watch", str(inbox), "--once", "--interval", "0.05", "--out", str(tmp_path))
    assert nothing.exit_code == 0
    assert "Nothing to import" in nothing.output
    # the same run dropped again is not imported again, and says so
    shutil.copy2(SMALL[0], inbox / "again.fit")
    again = run(data, "watch", str(inbox), "--once", "--interval", "0.05", "--out", str(tmp_path))
    assert again.exit_code == 0, again.output
    assert "already present: again.fit" in again.output
    assert len(json.loads(run(data, "activities", "--json").output)) == 2


def test_watch_moves_an_empty_file_to_failed_once_it_stays_empty(
    data: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    empty = inbox / "empty.gpx"
    empty.write_bytes(b"")
    fresh = run(data, "watch", str(inbox), "--once", "--interval", "0.05", "--out", str(tmp_path))
    assert empty.exists()  # just made: a copy may be starting, so it waits
    assert fresh.exit_code == 0, fresh.output
    old = time.time() - 3600
    os.utime(empty, (old, old))  # left empty for an hour: nothing more is coming
    result = run(data, "watch", str(inbox), "--once", "--interval", "0.05", "--out", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert not empty.exists()
    assert "empty" in (inbox / "failed" / "empty.gpx.txt").read_text()


def test_watch_a_missing_inbox(data: Path, tmp_path: Path) -> None:
    assert "no such folder" in one_line_error(run(data, "watch", str(tmp_path / "x"), "--once"))


# --- bad data folders ----------------------------------------------------------------------


def test_a_catalog_from_a_newer_version(data: Path) -> None:
    Store.open(data).close()
    with sqlite3.connect(data / "catalog.sqlite") as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    message = one_line_error(run(data, "activities"))
    assert "newer version of analyzer" in message
    assert "upgrade analyzer" in message


def test_a_read_only_data_folder(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "mkdir", read_only)
    message = one_line_error(run(data, "log", "--stiffness", "3"))
    assert "read-only disk" in message
    assert "--data-dir" in message
    assert not data.exists()


def test_an_export_to_a_read_only_folder_is_one_line(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(data, "log", "--date", "2026-10-12", "--stiffness", "3").exit_code == 0

    mount = tmp_path / "read-only"
    mount.mkdir()
    write_text, unlink = Path.write_text, Path.unlink

    def refuse(real: Any) -> Any:
        def wrapped(self: Path, *args: Any, **kwargs: Any) -> Any:
            if self.parent == mount:
                raise OSError(errno.EROFS, "Read-only file system")
            return real(self, *args, **kwargs)

        return wrapped

    # on a read-only mount even removing the temp file that was never made fails
    monkeypatch.setattr(Path, "write_text", refuse(write_text))
    monkeypatch.setattr(Path, "unlink", refuse(unlink))
    message = one_line_error(run(data, "log", "export", str(mount / "out.csv")))
    assert message == f"Error: {mount / 'out.csv'}: cannot write (Read-only file system)"


# --- help ----------------------------------------------------------------------------------

STORE_COMMANDS = ["import", "activities", "profile", "log", "drops", "visa-a", "watch"]


def walk(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name in STORE_COMMANDS if not prefix else group.commands:
        command = group.commands[name]
        out.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            out += walk(command, f"{prefix}{name} ")
    return out


def test_every_store_command_has_help_an_example_and_option_help() -> None:
    assert isinstance(cli, click.Group)
    for name, command in walk(cli):
        assert command.help, name
        assert "Example" in command.help, name
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help, f"{name} {param.name}"
        assert CliRunner().invoke(cli, [*name.split(), "--help"]).exit_code == 0, name


def test_report_over_many_weeks_prints_one_line(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analyzer.report import build

    out = tmp_path / "reports"
    pages = [out / f"2025-W{n:02d}.html" for n in range(1, 41)]

    def fake_build(store: object, folder: Path, **kwargs: object) -> list[Path]:
        return [*pages, out / "hills.html", out / "index.html"]

    monkeypatch.setattr(build, "build_from_store", fake_build)
    run(data, "log", "--date", "2025-01-01", "--stiffness", "1")  # creates the store
    result = run(data, "report", "--all", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"Wrote 40 weekly pages (2025-W01 to 2025-W40) and hills.html, index.html to {out}; "
        f"open {out / 'index.html'}"
    )


def test_a_reports_folder_belongs_to_one_data_folder(tmp_path: Path) -> None:
    mine, other, out = tmp_path / "mine", tmp_path / "other", tmp_path / "reports"
    for folder in (mine, other):
        run(folder, "log", "--date", "2026-11-02", "--stiffness", "2")
    old_page = out / "2026-W40.html"  # written before folders were marked: taken over
    out.mkdir()
    old_page.write_text("an older report")
    assert run(mine, "report", "--out", str(out)).exit_code == 0
    assert (out / ".analyzer-store").read_text().strip() == str(mine.resolve())
    refused = one_line_error(run(other, "report", "--out", str(out)))
    assert f"{out} holds the reports of another data folder ({mine.resolve()})" in refused
    assert old_page.read_text() == "an older report"
    assert run(mine, "report", "--out", str(out)).exit_code == 0  # its own folder, again
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(SMALL[0], inbox / "run.fit")
    watched = run(other, "watch", str(inbox), "--once", "--interval", "0.05", "--out", str(out))
    assert watched.exit_code == 1
    assert "holds the reports of another data folder" in watched.output  # nothing rewritten
    assert (out / ".analyzer-store").read_text().strip() == str(mine.resolve())
    assert (inbox / "run.fit").exists()  # said before importing: the file waits


def test_report_first_brings_stale_summaries_up_to_date(data: Path, tmp_path: Path) -> None:
    # a stale row (an upgrade's newer analysis, an interrupted reread) is recomputed from
    # its stream before any page is written
    from analyzer.store.catalog import STALE_KEY

    run(data, "import", "--quiet", str(SMALL[0]))
    run(data, "log", "--date", "2020-09-01", "--stiffness", "2")
    with Store.open(data) as store:
        store.conn.execute("UPDATE activities SET settings_key = ?", (STALE_KEY,))
        store.conn.commit()
    result = run(data, "report", "--all", "--out", str(tmp_path / "reports"))
    assert result.exit_code == 0, result.output
    assert "Recomputing summaries 1/1" in result.output
    with Store.open(data) as store:
        assert store.stale_activity_ids(STALE_KEY) == [a.activity_id for a in store.activities()]
        (row,) = store.activities()
        assert row.columns["settings_key"] != STALE_KEY


def test_watch_writes_the_page_of_an_old_run_it_imports(data: Path, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "reports"
    inbox.mkdir()
    shutil.copy2(SMALL[0], inbox / "new.fit")  # 2020-08-31: the latest week with data
    shutil.copy2(SMALL[2], inbox / "old.tcx")  # 2018-11-25, two years before
    result = run(data, "watch", str(inbox), "--once", "--interval", "0.05", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.html")) == [
        "2018-W47.html",
        "2020-W36.html",
        "hills.html",
        "index.html",
    ]
    assert 'href="2018-W47.html"' in (out / "index.html").read_text()
    # both pages it wrote are named: the latest week's path, and the old week beside it
    assert f"report: {out / '2020-W36.html'} (also 2018-W47)" in result.output


@pytest.mark.parametrize("what", ["log", "drops", "visa-a"])
def test_every_list_takes_since_and_until(data: Path, what: str) -> None:
    for day in ("2026-10-01", "2026-10-08", "2026-10-15"):
        entry = {
            "log": ["log", "--date", day, "--stiffness", "2"],
            "drops": ["drops", "--at", f"{day}T07:30"],
            "visa-a": ["visa-a", "--answers", "7,8,6,5,9,10,7,B14", "--date", day],
        }[what]
        assert run(data, *entry).exit_code == 0
    listed = run(data, what, "list", "--json", "--since", "2026-10-05", "--until", "2026-10-10")
    rows = json.loads(listed.output)
    assert len(rows) == 1
    assert "2026-10-08" in json.dumps(rows[0])
    inverted = run(data, what, "list", "--since", "2026-10-10", "--until", "2026-10-05")
    assert inverted.exit_code == 2


def test_a_damaged_stream_is_named_once_never_a_traceback(data: Path, tmp_path: Path) -> None:
    run(data, "import", "--quiet", *map(str, SMALL[:2]))
    with Store.open(data) as store:
        store.stream_path(store.activity_ids()[0]).write_bytes(b"not a parquet file")
    changed = run(data, "profile", "set", "--hr-max", "185")  # every summary goes stale
    assert changed.output.count("could not recompute") == 1, changed.output
    assert changed.exit_code == 1, changed.output  # STYLE rule 2: never 0 after a failure
    result = run(data, "report", "--out", str(tmp_path / "reports"))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.count("could not recompute") == 1, result.output
    assert "is damaged" in result.output
    assert "analyzer import --reread" in result.output
    # the pages are written; the damaged run's profile is left out, with the reason; the
    # summary that could not be recomputed is still a failure (exit 1)
    assert result.exit_code == 1, result.output
    pages = [p.read_text() for p in (tmp_path / "reports").glob("*-W*.html")]
    assert len(pages) == 2
    assert sum("Not shown: stream" in page for page in pages) == 1


def test_watch_of_a_walk_alone_imports_it_and_says_why_no_report(
    data: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    walk = DATA / "sport-activities-features" / "walking_activity_1.tcx"  # TCX Sport="Other"
    shutil.copy2(walk, inbox / walk.name)
    out = tmp_path / "reports"
    result = run(data, "watch", str(inbox), "--once", "--interval", "0.05", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"imported: {walk.name}" in result.output
    assert "report not written: the store holds no runs" in result.output


def test_an_out_of_range_value_is_named_by_its_option(data: Path) -> None:
    # a usage error (exit 2), as a badly written value is: 1 is for data errors
    assert usage_error(run(data, "log", "--stiffness", "11")) == (
        "Error: Invalid value for '--stiffness': score 11 is outside 0-10; give a number 0-10"
    )
    assert usage_error(run(data, "drops", "--load-kg", "-10")).startswith(
        "Error: Invalid value for '--load-kg': "
    )
    assert "'--reps': 150 is outside 0-100" in usage_error(run(data, "drops", "--reps", "150"))
    assert "'--hr-max': 400 is outside" in usage_error(
        run(data, "profile", "set", "--hr-max", "400")
    )
    assert not json.loads(run(data, "drops", "list", "--json").output)


@pytest.mark.parametrize(
    ("name", "value"),
    [("acwr_min_weeks", 2), ("acwr_max_break_weeks", 8), ("link_min_pairs", 5)],
)
def test_a_load_rule_setting_recomputes_no_summary(data: Path, name: str, value: int) -> None:
    # the load rules are read by the report alone: the stored summaries stay valid
    assert run(data, "import", str(SMALL[0])).exit_code == 0
    result = run(data, "profile", "set", "--set", f"{name}={value}")
    assert result.exit_code == 0, result.output
    assert "Recomputed" not in result.output
    assert run(data, "profile", "set", "--set", f"{name}=0").exit_code == 2  # out of range


def test_a_value_stored_under_an_older_range_does_not_block_other_settings(data: Path) -> None:
    with Store.open(data) as store:  # older versions allowed these
        store.update_profile({"drops_sessions_per_day": 0, "zone_edges": [0.5, 0.7, 1.0]}, [])
    result = run(data, "profile", "set", "--units", "km")
    assert result.exit_code == 0, result.output
    assert run(data, "profile", "set", "--drops-per-day", "0").exit_code == 2  # not anew


def test_profile_show_without_a_store_shows_the_defaults_and_creates_nothing(
    tmp_path: Path,
) -> None:
    typo = tmp_path / "analyzr-data"
    result = run(typo, "profile", "show", "--json")
    assert result.exit_code == 0, result.output
    assert f"No store in {typo} yet: these are the defaults." in result.output  # stderr
    assert not typo.exists()


def test_a_visa_a_fall_of_ten_says_talk_to_your_physio_when_logged(data: Path) -> None:
    run(data, "visa-a", "--answers", "7,8,6,5,9,10,7,B14", "--date", "2026-11-09")  # 66
    fall = run(data, "visa-a", "--answers", "5,5,5,5,5,5,4,A7", "--date", "2026-11-18")  # 41
    assert fall.exit_code == 0, fall.output
    assert "That is 25 below the 66 of 2026-11-09: talk to your physio." in fall.output
    # 50 is better than the 41 just before: a rise after the fall, not a second fall
    rise = run(data, "visa-a", "--answers", "6,6,5,5,5,5,4,A14", "--date", "2026-11-20")  # 50
    assert "physio" not in rise.output
    back = run(data, "visa-a", "--answers", "7,8,6,5,9,4,7,B14", "--date", "2026-11-24")  # 60
    assert back.output.startswith("VISA-A 2026-11-24: 60/100")
    assert "physio" not in back.output  # 6 below the best, 10 above the one before


def test_a_wrong_entry_can_be_deleted_after_a_confirmation(data: Path) -> None:
    run(data, "log", "--date", "1990-01-01", "--stiffness", "2")  # a typo of a year
    run(data, "drops", "--at", "2026-11-24T07:45")
    run(data, "visa-a", "--answers", "7,8,6,5,9,10,7,B14", "--date", "2026-11-09")
    asked = run(data, "log", "delete", "--date", "1990-01-01")  # no terminal: needs --yes
    assert "needs --yes" in one_line_error(asked)
    deleted = CliRunner().invoke(
        cli, ["--data-dir", str(data), "log", "delete", "--date", "1990-01-01", "--yes"]
    )
    assert deleted.exit_code == 0, deleted.output
    assert "Deleted the check-in of 1990-01-01." in deleted.output
    assert json.loads(run(data, "log", "list", "--json").output) == []
    gone = run(data, "drops", "delete", "--at", "2026-11-24T07:45:00", "--yes")
    assert "Deleted the heel-drop session at 2026-11-24 07:45." in gone.output
    assert json.loads(run(data, "drops", "list", "--json").output) == []
    assert run(data, "visa-a", "delete", "--date", "2026-11-09", "--yes").exit_code == 0
    assert json.loads(run(data, "visa-a", "list", "--json").output) == []
    missing = one_line_error(run(data, "visa-a", "delete", "--date", "2026-11-09", "--yes"))
    assert "no VISA-A result of 2026-11-09: see analyzer visa-a list" in missing


def test_a_ride_without_a_sport_reads_as_a_ride_in_the_activities(data: Path) -> None:
    ride = corpus_or_skip() / "GoldenCheetah" / "UrbanBiker2019-04-18_16-12.gpx"  # no <type>
    assert run(data, "import", str(ride)).exit_code == 0
    line = run(data, "activities").output.splitlines()[2]
    assert " mph " in line  # its speed, from the speed facts the analysis stored
    assert " /mi " not in line


def test_a_report_of_a_week_without_data_claims_no_folder(data: Path, tmp_path: Path) -> None:
    run(data, "log", "--date", "2026-11-02", "--stiffness", "2")
    out = tmp_path / "new-reports"
    assert run(data, "report", "--week", "2020-W01", "--out", str(out)).exit_code == 1
    assert not out.exists()


def test_a_heel_drop_session_logged_in_another_offset_is_deleted_by_its_instant(
    data: Path,
) -> None:
    run(data, "profile", "set", "--timezone", "Europe/Berlin")
    run(data, "drops", "--at", "2026-01-05T23:30-05:00")  # on a trip: 05:30 in Berlin
    gone = run(data, "drops", "delete", "--at", "2026-01-06T05:30", "--yes")
    assert gone.exit_code == 0, gone.output
    assert json.loads(run(data, "drops", "list", "--json").output) == []


def test_backup_counts_every_log(data: Path, tmp_path: Path) -> None:
    run(data, "log", "--date", "2026-11-02", "--stiffness", "2")
    run(data, "drops", "--at", "2026-11-02T07:45")
    run(data, "drops", "--at", "2026-11-02T19:10")
    run(data, "visa-a", "--answers", "7,8,6,5,9,10,7,B14", "--date", "2026-11-02")
    result = run(data, "backup", str(tmp_path / "b.zip"))
    assert result.exit_code == 0, result.output
    assert "1 check-ins, 2 heel-drop sessions, 1 VISA-A results" in result.output
    manifest = json.loads(zipfile.ZipFile(tmp_path / "b.zip").read("MANIFEST.json"))
    assert (manifest["checkins"], manifest["heel_drops"], manifest["visa_a"]) == (1, 2, 1)


def test_morning_pain_is_logged_listed_and_exported(data: Path, tmp_path: Path) -> None:
    logged = run(data, "log", "--date", "2026-11-20", "--stiffness", "3", "--morning-pain", "2")
    assert logged.exit_code == 0, logged.output
    (entry,) = json.loads(run(data, "log", "list", "--json").output)
    assert (entry["morning_stiffness"], entry["morning_pain"]) == (3.0, 2.0)
    listed = run(data, "log", "list").output
    assert "am pain" in listed.splitlines()[0]
    assert "am pain: on getting up" in listed
    out = tmp_path / "out.csv"
    assert run(data, "log", "export", str(out)).exit_code == 0
    with out.open(newline="") as fh:
        (row,) = csv.DictReader(fh)
    assert row["morning_pain"] == "2"
    bad = usage_error(run(data, "log", "--date", "2026-11-21", "--morning-pain", "11"))
    assert "'--morning-pain'" in bad


def test_a_csv_without_the_morning_pain_column_reimports_as_already_present(
    data: Path, tmp_path: Path
) -> None:
    # the user test: a spreadsheet kept from before morning pain was logged, re-imported
    # after logging one with --morning-pain, was refused as "already logged ... differs"
    src = write_csv(tmp_path / "old.csv", OLD_COLUMNS, "2026-10-12,2,11,,,2,false,left,Week 5")
    assert run(data, "log", "import", str(src)).exit_code == 0
    assert (
        run(data, "log", "--date", "2026-10-12", "--morning-pain", "1", "--replace").exit_code == 0
    )
    again = run(data, "log", "import", str(src))
    assert again.exit_code == 0, again.output
    assert "1 already present" in again.output
    (entry,) = json.loads(run(data, "log", "list", "--json").output)
    assert entry["morning_pain"] == 1.0  # kept: the file did not say otherwise
    # a value the file does give still counts as a difference
    changed = write_csv(tmp_path / "new.csv", OLD_COLUMNS, "2026-10-12,4,11,,,2,false,left,Week 5")
    assert run(data, "log", "import", str(changed)).exit_code == 1


def test_a_csv_separated_by_semicolons_says_so(data: Path, tmp_path: Path) -> None:
    src = tmp_path / "de.csv"
    src.write_text("date;morning_stiffness;pain_during\n2026-10-12;2,5;\n", encoding="utf-8")
    error = run(data, "log", "import", str(src)).output
    assert "separated by semicolons, not commas" in error
    assert str(src) in error


def test_a_heel_drops_csv_of_times_only_imports(data: Path, tmp_path: Path) -> None:
    # final review: a one-column CSV was refused as "separated by semicolons"
    src = tmp_path / "times.csv"
    src.write_text("time\n2026-11-20T07:00:00+00:00\n", encoding="utf-8")
    result = run(data, "drops", "import", str(src))
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output


def test_a_region_for_a_time_zone_is_an_error_not_a_crash(data: Path) -> None:
    result = run(data, "profile", "set", "--timezone", "Europe")
    assert result.exit_code != 0
    assert "unknown time zone 'Europe'" in result.output


def test_a_missing_stream_does_the_rest_then_exits_1_naming_it(data: Path, tmp_path: Path) -> None:
    # STYLE rule 2: a summary that cannot be recomputed is a data error, reported after
    # everything else is done: the profile saved, the pages written
    run(data, "import", "--quiet", *map(str, SMALL[:2]))
    with Store.open(data) as store:
        gone = store.activity_ids()[0]
        store.stream_path(gone).unlink()
    changed = run(data, "profile", "set", "--hr-max", "181")
    assert changed.exit_code == 1, changed.output
    assert "hr_max_bpm = 181.0" in changed.output
    assert f"could not recompute {gone}: stream " in changed.output
    assert "The profile is saved, but that activity keeps its old summary" in changed.output
    assert "run 'analyzer doctor'" in changed.output
    with Store.open(data) as store:
        assert store.settings().hr_max_bpm == 181.0
    out = tmp_path / "reports"
    result = run(data, "report", "--out", str(out))
    assert result.exit_code == 1, result.output
    assert f"could not recompute {gone}: stream " in result.output
    assert "The pages are written, but that activity keeps its old summary" in result.output
    assert "run 'analyzer doctor'" in result.output
    assert len(list(out.glob("*-W*.html"))) == 2
    assert (out / "index.html").exists()
    # what the message sends the user to: doctor names it, and --repair clears it
    assert gone in run(data, "doctor").output
    assert run(data, "doctor", "--repair").exit_code == 0
    assert run(data, "report", "--out", str(out)).exit_code == 0
    assert run(data, "profile", "set", "--hr-max", "182").exit_code == 0


def test_an_import_that_cannot_recompute_an_older_summary_says_so(data: Path) -> None:
    # the profile changed while a stream was gone: the old summary stays stale, and the
    # next import, which refreshes stale summaries, names it and exits 1 (it was silent)
    run(data, "import", "--quiet", str(SMALL[0]))
    with Store.open(data) as store:
        gone = store.activity_ids()[0]
        store.stream_path(gone).unlink()
    assert run(data, "profile", "set", "--hr-max", "181").exit_code == 1
    result = run(data, "import", "--quiet", str(SMALL[2]))
    assert result.exit_code == 1, result.output
    assert "import: 1 imported" in result.output
    assert f"could not recompute {gone}: stream " in result.output
    assert "The files are imported, but that activity keeps its old summary" in result.output
    # the JSON on stdout; the same words follow on stderr (mixed in by the runner)
    listed, _ = json.JSONDecoder().raw_decode(run(data, "import", "--json", str(SMALL[2])).output)
    assert listed["not_recomputed"][0].startswith(f"{gone}: stream ")


def test_watch_says_what_a_damaged_file_lost_and_what_it_could_not_recompute(
    data: Path, tmp_path: Path
) -> None:
    # review: watch printed neither, and exited 0 where import exits 1
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(DATA / "invalid" / "activity-unexpected-eof.fit", inbox / "cut.fit")
    warned = run(
        data, "watch", str(inbox), "--once", "--interval", "0.05", "--out", str(tmp_path / "r")
    )
    assert warned.exit_code == 0, warned.output
    assert "warning: " in warned.output
    assert "the file is truncated (unexpected end of file)" in warned.output
    shutil.copy2(DATA / "invalid" / "activity-unexpected-eof.fit", inbox / "cut2.fit")
    quiet = run(data, "watch", str(inbox), "--once", "--interval", "0.05", "--damaged", "ignore")
    assert "truncated" not in quiet.output  # already present, and ignore says nothing anyway
    with Store.open(data) as store:
        gone = store.activity_ids()[0]
        store.stream_path(gone).unlink()
    assert run(data, "profile", "set", "--hr-max", "181").exit_code == 1
    shutil.copy2(SMALL[2], inbox / "run.tcx")
    result = run(
        data, "watch", str(inbox), "--once", "--interval", "0.05", "--out", str(tmp_path / "r")
    )
    assert result.exit_code == 1, result.output
    assert "imported: run.tcx" in result.output
    assert f"could not recompute {gone}: stream " in result.output


def test_inspect_of_a_stored_tcx_shows_the_clock_it_was_stored_with(data: Path) -> None:
    # a user test: a TCX (no UTC offset of its own) imported while the profile was in New
    # York, inspected after moving the profile back to Berlin, showed Berlin's clock while
    # `activities` kept New York's
    assert run(data, "profile", "set", "--timezone", "America/New_York").exit_code == 0
    assert run(data, "import", "--quiet", str(SMALL[2])).exit_code == 0
    assert run(data, "profile", "set", "--timezone", "Europe/Berlin").exit_code == 0
    stored = json.loads(run(data, "activities", "--json").output)[0]
    seen = json.loads(run(data, "inspect", "--json", str(SMALL[2])).output)["activities"][0]
    assert seen["utc_offset_s"] == stored["utc_offset_s"]
    assert seen["utc_offset_s"] in (-5 * 3600, -4 * 3600)  # New York, winter or summer


def test_the_link_settings_reach_the_page(data: Path, tmp_path: Path) -> None:
    # DOMAIN: every threshold is a setting; the links' pairs and lump share are the
    # report's alone (no summary recomputed), checked for range, and said on the page
    assert run(data, "import", "--quiet", str(SMALL[0])).exit_code == 0
    changed = run(
        data, "profile", "set", "--set", "link_min_pairs=5", "--set", "link_lump_share=0.6"
    )
    assert changed.exit_code == 0, changed.output
    assert "Recomputed" not in changed.output
    assert "link_min_pairs = 5" in changed.output
    assert "outside 3-1000" in usage_error(run(data, "profile", "set", "--set", "link_min_pairs=2"))
    share = usage_error(run(data, "profile", "set", "--set", "link_lump_share=70"))
    assert "did you mean 0.70?" in share
    out = tmp_path / "reports"
    assert run(data, "report", "--out", str(out)).exit_code == 0
    (page,) = out.glob("*-W*.html")
    text = page.read_text()
    assert "Below 5 pairs there is not enough data yet" in text
    assert "fewer than 5 pairs: not enough data" in text
    assert "5 needed" in text  # the table cells and the charts
    assert "8 needed" not in text
