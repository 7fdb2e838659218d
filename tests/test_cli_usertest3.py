"""Fixes from the third user test of the command line: heel-drop corrections keep what was
not retyped, empty lists say what is stored, doctor says what its repair did, option
values out of range are usage errors, and smaller wording and layout fixes."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from analyzer import cli as cli_module
from analyzer import textout
from analyzer.cli import cli
from analyzer.importers.containers import Limits, expand
from analyzer.store import Store
from tests.conftest import DATA
from tests.test_cli_polish import _OnATerminal
from tests.test_textout import ride

FIT = DATA / "python-fitparse/activity-small-fenix2-run.fit"
SMALL = [
    DATA / "workoutizer" / "2020-08-31-17-41-11.fit",
    DATA / "sport-activities-features" / "fit_format_test_File.FIT",
    DATA / "runpandas" / "run_garmin.tcx",
]
AT = "2026-11-24T07:10"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(data: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args], input=input)


def drops_json(data: Path) -> list[dict[str, Any]]:
    return json.loads(run(data, "drops", "list", "--json").output)


# --- 1. a heel-drop correction changes only the values given -----------------------------------


def test_a_replaced_heel_drop_session_keeps_the_values_not_given(data: Path) -> None:
    first = run(data, "drops", "--at", AT, "--load-kg", "10", "--note", "with backpack")
    assert first.exit_code == 0, first.output
    fixed = run(data, "drops", "--at", AT, "--reps", "12", "--replace")
    assert fixed.exit_code == 0, fixed.output
    assert fixed.output.strip() == (
        "Heel-drop session at 2026-11-24T07:10+00:00 updated: reps 15 -> 12."
    )
    (row,) = drops_json(data)
    assert (row["straight_knee_sets"], row["bent_knee_sets"], row["reps"]) == (3, 3, 12)
    assert row["added_load_kg"] == 10.0
    assert row["note"] == "with backpack"
    cleared = run(data, "drops", "--at", AT, "--note", "", "--replace")
    assert "note with backpack -> (none)" in cleared.output
    assert drops_json(data)[0]["note"] is None
    assert drops_json(data)[0]["added_load_kg"] == 10.0


def test_a_heel_drop_correction_at_the_prompt_keeps_the_values_not_given(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(data, "drops", "--at", AT, "--load-kg", "10", "--note", "backpack").exit_code == 0
    monkeypatch.setattr(cli_module, "sys", _OnATerminal())
    result = run(data, "drops", "--at", AT, "--bent-sets", "2", input="y\n")
    assert result.exit_code == 0, result.output
    assert "A heel-drop session at 2026-11-24T07:10+00:00 already exists. Change it?" in (
        result.output
    )
    assert "updated: bent knee sets 3 -> 2." in result.output
    (row,) = drops_json(data)
    assert (row["bent_knee_sets"], row["added_load_kg"], row["note"]) == (2, 10.0, "backpack")


def test_a_new_heel_drop_session_takes_the_programme_for_what_is_not_given(data: Path) -> None:
    assert run(data, "drops", "--at", AT, "--reps", "12").exit_code == 0
    (row,) = drops_json(data)
    assert (row["straight_knee_sets"], row["bent_knee_sets"], row["reps"]) == (3, 3, 12)
    assert row["added_load_kg"] == 0.0


# --- 2. a filter that matches nothing says what is stored ---------------------------------------


def test_an_empty_filter_says_how_many_entries_are_stored(data: Path) -> None:
    run(data, "log", "--date", "2026-11-01", "--stiffness", "2")
    run(data, "log", "--date", "2026-11-02", "--stiffness", "3")
    run(data, "drops", "--at", AT)
    run(data, "visa-a", "--answers", "7,8,6,5,9,10,7,B14", "--date", "2026-11-01")
    said = run(data, "log", "list", "--since", "2027-01-01").output.strip()
    assert said == "No check-ins since 2027-01-01; 2 stored in all (analyzer log list)."
    said = run(data, "drops", "list", "--until", "2000-01-01").output.strip()
    assert said == "No heel-drop sessions until 2000-01-01; 1 stored in all (analyzer drops list)."
    said = run(data, "visa-a", "list", "--since", "2026-11-02", "--until", "2026-11-30").output
    assert said.strip() == (
        "No VISA-A results since 2026-11-02 until 2026-11-30; 1 stored in all "
        "(analyzer visa-a list)."
    )
    assert json.loads(run(data, "log", "list", "--json", "--since", "2027-01-01").output) == []


def test_an_empty_log_still_says_how_to_start_one(data: Path) -> None:
    Store.open(data).close()
    said = run(data, "drops", "list", "--since", "2026-01-01").output.strip()
    assert said == "No heel-drop sessions yet: analyzer drops"


# --- 3. doctor --repair says the activity left the history and how to bring it back ---------


def test_a_repaired_lost_stream_names_the_import_that_brings_it_back(data: Path) -> None:
    assert run(data, "import", "--quiet", str(SMALL[0])).exit_code == 0
    with Store.open(data) as store:
        (activity_id,) = store.activity_ids()
        store.stream_path(activity_id).unlink()
    repaired = run(data, "doctor", "--repair")
    assert repaired.exit_code == 0, repaired.output
    line = next(x for x in repaired.output.splitlines() if x.startswith("repaired: "))
    assert f"activity {activity_id}: its stream was missing, so this activity of " in line
    assert " was removed from the history; import its file again" in line
    assert "--reread" not in line  # a plain import reads it: the catalog forgot it
    command = line.split("to bring it back: analyzer ")[1].split()
    assert command == ["import", str(SMALL[0])]
    again = run(data, *command[:1], "--quiet", *command[1:])
    assert again.output.strip() == "import: 1 imported"
    assert run(data, "doctor").exit_code == 0
    as_json = json.loads(run(data, "doctor", "--json").output)
    assert as_json["ok"] is True


# --- 4. an option's value out of range is a usage error (exit 2) naming the option ----------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["profile", "set", "--hr-max", "400"], "--hr-max"),
        (["profile", "set", "--easy-fraction", "70"], "--easy-fraction"),
        (["profile", "set", "--set", "gap_limit_s=0"], "--set gap_limit_s"),
        (["log", "--stiffness", "11"], "--stiffness"),
        (["log", "--date", "2999-01-01", "--stiffness", "1"], "--date"),
        (["drops", "--reps", "150"], "--reps"),
        (["drops", "--straight-sets", "0", "--bent-sets", "0"], "--straight-sets/--bent-sets"),
        (["drops", "--at", "2026-11-24"], "--at"),
        (["visa-a", "--answers", "11,8,6,5,9,10,7,B14"], "--answers"),
    ],
)
def test_a_value_out_of_range_exits_2_naming_its_option(
    data: Path, args: list[str], option: str
) -> None:
    result = run(data, *args)
    assert result.exit_code == 2, result.output
    assert f"Error: Invalid value for '{option}': " in result.output


def test_the_readme_gives_exit_code_2_to_values_out_of_range() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    codes = readme.split("Exit codes:", 1)[1].split("\n\n", 1)[0]
    assert "out of range" in codes.split("2 a usage error", 1)[1]


# --- 5. inspect says a maximum given on the command line came from --hr-max --------------------


def test_inspect_names_hr_max_as_the_option_it_came_from(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "profile", "set", "--hr-max", "178").exit_code == 0
    given = run(data, "inspect", str(FIT), "--hr-max", "185")
    assert "max 185 bpm from --hr-max" in given.output
    assert "from profile" not in given.output
    (a,) = json.loads(run(data, "inspect", "--json", str(FIT), "--hr-max", "185").output)[
        "activities"
    ]
    assert (a["hr_max_used_bpm"], a["hr_max_source"]) == (185.0, "option")
    (b,) = json.loads(run(data, "inspect", "--json", str(FIT)).output)["activities"]
    assert (b["hr_max_used_bpm"], b["hr_max_source"]) == (178.0, "profile")


# --- 6. no hill table under a session not on foot ----------------------------------------------


def test_a_session_not_on_foot_prints_no_hill_table() -> None:
    hill = {
        "direction": "up",
        "start_distance_m": 80.0,
        "length_m": 320.0,
        "gain_m": 15.0,
        "grade_avg_pct": 4.5,
        "grade_max_pct": 5.8,
        "score": 1455.0,
        "duration_s": 49.0,
        "walked": False,
        "walking_share": 0.0,
        "heart_rate_avg_bpm": 123.0,
    }
    base = {**ride(), "start_time": "2020-09-12T12:23:00+00:00", "utc_offset_s": 3600}
    text = textout.activity_block({**base, "hills": [hill]}, "mi")
    assert "Hills       - (a ride)" in text
    assert "hill  at" not in text
    assert "score" not in text
    run_text = textout.activity_block({**base, "sport": "running", "hills": [hill]}, "mi")
    assert "hill  at" in run_text  # a run keeps its table
    assert "hill  at" not in textout.activity_block({**base, "sport": "running"}, "mi")


# --- 7. a yes/no value changed reads yes or no ---------------------------------------------


def test_swelling_changed_reads_no_to_yes(data: Path) -> None:
    run(data, "log", "--date", "2026-11-20", "--stiffness", "2", "--no-swelling")
    changed = run(data, "log", "--date", "2026-11-20", "--swelling", "--replace")
    assert "swelling no -> yes" in changed.output


# --- 8. a first import recomputes nothing the user has seen ----------------------------------


def test_a_first_import_says_nothing_of_recomputing(data: Path) -> None:
    first = run(data, "import", "--jobs", "1", *map(str, SMALL))
    assert first.exit_code == 0, first.output
    assert "recomputed" not in first.output
    assert "brought up to date" not in first.output
    report = json.loads(run(data, "import", "--json", str(SMALL[0])).output)
    assert report["recomputed_earlier"] == 0


def test_summaries_of_earlier_activities_brought_up_to_date_are_said() -> None:
    report = {"counts": {"imported": 1}, "files": [], "recomputed": 3, "recomputed_earlier": 2}
    text = textout.import_summary(report, "km")
    assert "2 summaries of activities stored before brought up to date" in text
    quiet = textout.import_summary({**report, "recomputed_earlier": 0}, "km")
    assert "brought up to date" not in quiet


# --- 9. CSV check-ins: dates, header names, encoding -------------------------------------------


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_csv_date_says_what_is_wrong_with_it(data: Path, tmp_path: Path) -> None:
    src = write(
        tmp_path / "in.csv",
        "date,morning_stiffness\n09/02/2026,2\n2026-02-30,3\n2026-11-01,2\n",
    )
    result = run(data, "log", "import", str(src))
    assert result.exit_code == 1
    assert (
        "line 2: date: '09/02/2026': dates are written year first, YYYY-MM-DD: "
        "2026-09-02 or 2026-02-09?" in result.output
    )
    assert "line 3: date: '2026-02-30': there is no 30 February 2026" in result.output


def test_csv_column_names_take_any_case_and_spaces(data: Path, tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", " Date ,Morning_Stiffness , NOTE\n2026-11-01,2,ok\n")
    result = run(data, "log", "import", str(src))
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(run(data, "log", "list", "--json").output)
    assert (entry["date"], entry["morning_stiffness"], entry["note"]) == ("2026-11-01", 2.0, "ok")


def test_a_windows_1252_csv_names_the_line_and_how_to_save_it(data: Path, tmp_path: Path) -> None:
    src = write(
        tmp_path / "in.csv",
        "date,morning_stiffness,note\n2026-11-01,2,\n2026-11-02,3,café with André\n",
        "cp1252",
    )
    result = run(data, "log", "import", str(src))
    assert result.exit_code == 1
    assert (
        f"Error: {src} is not UTF-8 text (line 3 reads '2026-11-02,3,café with André' as "
        'Windows-1252): save it as UTF-8 (in Excel: Save As, "CSV UTF-8") and import again'
        in result.output
    )
    assert json.loads(run(data, "log", "list", "--json").output) == []


# --- 10. a check-in that is itself a red flag gets the advice at once ----------------------------


def test_pain_during_above_acceptable_and_swelling_say_talk_to_your_physio(data: Path) -> None:
    result = run(data, "log", "--date", "2026-11-20", "--pain-during", "7", "--swelling")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "Pain during the run logged for 2026-11-20 was 7/10, above 5: talk to your physio. "
        "Not medical advice.",
        "Swelling logged on 2026-11-20: talk to your physio. Not medical advice.",
    ]
    calm = run(data, "log", "--date", "2026-11-21", "--pain-during", "5", "--no-swelling")
    assert "physio" not in calm.output  # 5 is acceptable (Silbernagel): not above it


def test_the_pain_red_flag_reads_the_profiles_threshold(data: Path) -> None:
    assert run(data, "profile", "set", "--set", "pain_acceptable_max=3").exit_code == 0
    result = run(data, "log", "--date", "2026-11-20", "--pain-during", "4")
    assert "was 4/10, above 3: talk to your physio" in result.output
    assert run(data, "profile", "set", "--set", "pain_acceptable_max=7").exit_code == 0
    calm = run(data, "log", "--date", "2026-11-21", "--pain-during", "6")
    assert "physio" not in calm.output


# --- 13. any setting back to its default --------------------------------------------------------


def test_a_setting_goes_back_to_its_default(data: Path) -> None:
    assert run(data, "profile", "set", "--set", "zone_edges=0.5,0.6,0.7,0.8").exit_code == 0
    assert run(data, "profile", "set", "--units", "km", "--hr-max", "180").exit_code == 0
    result = run(data, "profile", "set", "--set", "zone_edges=default", "--units", "Default")
    assert result.exit_code == 0, result.output
    assert "zone_edges = (0.5, 0.6, 0.7, 0.8, 0.9) (the default)" in result.output
    assert "units = mi (the default)" in result.output
    cleared = run(data, "profile", "set", "--hr-max", "default")
    assert "hr_max_bpm = none (the default)" in cleared.output
    shown = json.loads(run(data, "profile", "show", "--json").output)
    assert shown["from_profile"] == []
    assert shown["settings"]["zone_edges"] == [0.5, 0.6, 0.7, 0.8, 0.9]
    unknown = run(data, "profile", "set", "--set", "colour=default")
    assert unknown.exit_code == 2
    assert "unknown setting" in unknown.output


# --- 14. a zip over its total size limit says it was the total --------------------------------


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_a_zip_over_its_total_blames_the_total_not_the_last_file(tmp_path: Path) -> None:
    kb = 1024
    bundle = tmp_path / "bundle.zip"
    blobs = {f"run{n}.fit": os.urandom(200 * kb) for n in range(3)}
    bundle.write_bytes(zipped(blobs))
    limits = Limits.from_user(0.5, None)  # 512 kB: the first two (400 kB) fit, not the third
    entries = list(expand(bundle, limits))
    assert [e.error is None for e in entries] == [True, True, False]
    said = str(entries[2].error)
    assert said.startswith(f"{bundle}!run2.fit: the archive {bundle} unpacks to more than")
    assert "0.50 MB in all, over the size limit" in said
    assert "the files before this one came to 0.39 MB and this one is 0.20 MB" in said


def test_a_file_over_the_limit_of_one_file_is_said_so(tmp_path: Path) -> None:
    bundle = tmp_path / "big.zip"
    bundle.write_bytes(zipped({"big.fit": os.urandom(600 * 1024)}))
    (entry,) = expand(bundle, Limits.from_user(0.5, None))
    assert "unpacks to 0.59 MB, over the size limit of 0.50 MB a file" in str(entry.error)


# --- 15. heel drops listed in the order shown ---------------------------------------------


def test_heel_drops_list_in_local_time_order(data: Path) -> None:
    # logged in Berlin (UTC+1) at 07:45, then at home (UTC) at 07:00: 06:45 and 07:00 UTC
    assert run(data, "drops", "--at", "2026-11-10T07:45+01:00").exit_code == 0
    assert run(data, "drops", "--at", "2026-11-10T07:00+00:00").exit_code == 0
    times = [r["time"] for r in drops_json(data)]
    assert times == ["2026-11-10T07:00:00+00:00", "2026-11-10T07:45:00+01:00"]
    lines = run(data, "drops", "list").output.splitlines()
    assert [line[:16] for line in lines[2:4]] == ["2026-11-10 07:00", "2026-11-10 07:45"]


# --- 16. the import table gives the detail its room first ---------------------------------------


def test_an_import_table_at_100_columns_keeps_every_detail_whole() -> None:
    long = "GoldenCheetah/Karoo-Botley_BW_Swanmore_Wickham-2025-05-09-1238.fit"
    files = [
        {"file": f"/c/{long}", "outcome": "imported", "local_date": "2025-05-09",
         "distance_m": 34000.0},
        {"file": "/c/invalid/activity-filecrc.fit", "outcome": "duplicate",
         "message": "duplicate of 2012-04-09 /c/invalid/activity-activity-filecrc.fit"},
    ]  # fmt: skip
    report = {"counts": {"imported": 1, "duplicate": 1}, "files": files}
    text = textout.import_summary(report, "mi", width=100)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "duplicate of 2012-04-09 invalid/activity-activity-filecrc.fit" in text
    assert "cut" not in text
    (name_row,) = [line for line in text.splitlines() if "21.13 mi" in line]
    name = name_row.split()[0]
    assert name.startswith("GoldenCheeta")
    assert name.endswith("-1238.fit")
    assert "\u2026" in name
