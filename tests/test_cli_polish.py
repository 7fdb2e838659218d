"""Fixes from a user test of the command line: tables and text fitted to narrow terminals,
date hints both ways round, a file that is not FIT said so, distinguishable import rows,
profile choices in any case, VISA-A answered one way, and small wording fixes."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from analyzer import cli as cli_module
from analyzer import textout
from analyzer.cli import cli
from analyzer.errors import UnreadableFile
from analyzer.importers import fit, read_bytes
from tests.conftest import DATA
from tests.sample_store import SAMPLE, build_sample_store
from tests.test_cli import _commands
from tests.test_textout import activity

FIT = DATA / "python-fitparse/activity-small-fenix2-run.fit"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = build_sample_store(tmp_path_factory.mktemp("sample"))
    drops = run(data, "drops", "import", str(SAMPLE / "heel_drops.csv"))
    assert drops.exit_code == 0, drops.output
    return data


def run(data: Path, *args: str, input: str | None = None, **env: str) -> Result:
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args], input=input, env=env)


def at_width(monkeypatch: pytest.MonkeyPatch, width: int | None) -> None:
    """What ``table_width`` gives on a terminal of ``width`` columns (None: piped)."""
    monkeypatch.setattr(cli_module, "table_width", lambda: width)


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


# --- 1. tables that cannot fit become one block per row --------------------------------------

HEAD = ["date", "stiffness", "min", "pinch", "swelling", "side", "note"]
ROWS = [
    ("2026-10-14", "5", "25", "3", "no", "left", "Stiff first thing, eased after the heel drops"),
    ("2026-10-15", "3", "15", "3", "no", "left", ""),
]


def test_a_table_that_cannot_fit_becomes_blocks_with_every_column() -> None:
    text = textout.table(HEAD, ROWS, width=30, wrap_last=True)
    lines = text.splitlines()
    assert widest(text) <= 30
    assert lines[0] == "2026-10-14"  # the first column is the title line
    assert all(line.startswith("    ") for line in lines[1:4])
    flat = " ".join(text.split())
    for pair in ("stiffness: 5", "min: 25", "pinch: 3", "swelling: no", "side: left"):
        assert pair in flat
    assert "note: Stiff first thing, eased after the heel drops" in flat
    assert "2026-10-15" in lines
    assert flat.count("note:") == 1  # an empty note is left out
    assert NBSP not in text  # pairs are kept whole while wrapping, printed with spaces
    assert "not shown" not in text
    assert "cut" not in text


def test_a_pair_is_never_split_across_lines() -> None:
    text = textout.table(HEAD, ROWS, width=30, wrap_last=True)
    for line in text.splitlines():
        body = line.strip()
        if body.startswith("note:") or not body or ":" not in body:
            continue
        # every line of pairs holds whole "header: value" pairs, two spaces apart
        for pair in body.split("  "):
            assert re.fullmatch(r"[a-z ]+: \S+", pair), (pair, text)


def test_the_note_wraps_on_its_own_lines_under_its_label() -> None:
    text = textout.table(HEAD, ROWS, width=34, wrap_last=True)
    notes = [line for line in text.splitlines() if "note:" in line]
    assert notes == ["    note: Stiff first thing, eased"]
    after = text.splitlines()[text.splitlines().index(notes[0]) + 1]
    assert after == " " * len("    note: ") + "after the heel drops"


def test_piped_tables_stay_plain_tables() -> None:
    text = textout.table(HEAD, ROWS, wrap_last=True)
    assert text.splitlines()[0].split() == HEAD
    assert "note:" not in text


def test_a_table_that_fits_once_its_optional_columns_go_stays_a_table() -> None:
    rows = [{**activity(n)} for n in range(1, 3)]
    text = textout.activities_table(rows, "km", width=80)
    assert text.splitlines()[0].startswith("start ")
    assert "id, format not shown" in text


def test_activities_at_60_columns_are_blocks_showing_id_and_format() -> None:
    text = textout.activities_table([activity(1), activity(2)], "km", width=60)
    assert widest(text) <= 60
    lines = text.splitlines()
    assert lines[0] == "2026-11-01 07:00"
    for pair in ("distance: 10.00 km", "pace: 6:00 /km", "hills: 2/1", "format: fit"):
        assert any(pair in line for line in lines), pair  # a pair is never split
    assert any("id: 0675fd30" in line for line in lines)
    assert "not shown" not in text


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (("activities",), "start "),
        (("log", "list"), "date "),
        (("drops", "list"), "time "),
        (("profile", "show"), "setting "),
    ],
)
@pytest.mark.parametrize("width", [60, 80])
def test_list_commands_fit_the_terminal(
    sample: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], first: str, width: int
) -> None:
    at_width(monkeypatch, width)
    result = run(sample, *args)
    assert result.exit_code == 0, result.output
    assert widest(result.output) <= width, result.output
    if width == 60:  # none of them fits 60 columns as a table
        assert not result.output.startswith(first)
        assert result.output.splitlines()[1].startswith("    ")


def test_the_check_ins_show_every_column_as_blocks(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_width(monkeypatch, 60)
    text = run(sample, "log", "list").output
    block = text.split("2026-10-14\n", 1)[1].split("\n2026-10-15", 1)[0]
    flat = " ".join(block.split())
    for header in ("stiff:", "min:", "am pain:", "during:", "after:", "pinch:", "swell:", "side:"):
        assert header in flat
    assert "note: Stiff first thing, eased after the heel drops" in flat


def test_visa_a_list_fits_60_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    for day, answers in (("2026-11-01", "7,8,6,5,9,10,7,B14"), ("2026-11-08", "3,3,3,3,3,3,0,C0")):
        assert run(data, "visa-a", "--date", day, "--answers", answers).exit_code == 0
    for width in (40, 60, 80):
        at_width(monkeypatch, width)
        text = run(data, "visa-a", "list").output
        assert widest(text) <= width, text
        assert "-48" in text
        assert "18/100" in text


def test_piped_list_commands_keep_the_plain_table(sample: Path) -> None:
    assert run(sample, "activities").output.startswith("start ")
    assert run(sample, "profile", "show").output.startswith("setting ")


# --- 2. inspect, the VISA-A prompts and the help examples fit ---------------------------------


def test_inspect_wraps_its_values_under_the_value_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_width(monkeypatch, 80)
    result = run(tmp_path / "none", "inspect", str(FIT))
    assert result.exit_code == 0, result.output
    assert widest(result.output) <= 80, result.output
    lines = result.output.splitlines()
    easy = next(n for n, line in enumerate(lines) if line.startswith("Easy "))
    assert lines[easy + 1].startswith(" " * 12)
    assert lines[easy + 1].strip()
    flat = " ".join(result.output.split())
    assert "(set yours: analyzer profile set --hr-max N, or --hr-max here)" in flat


def test_inspect_piped_keeps_one_line_per_value(tmp_path: Path) -> None:
    result = run(tmp_path / "none", "inspect", str(FIT))
    easy = next(line for line in result.output.splitlines() if line.startswith("Easy "))
    assert easy.endswith("or --hr-max here)")


def test_the_visa_a_prompts_wrap_to_the_terminal(tmp_path: Path) -> None:
    answers = "\n".join(["5", "6", "7", "8", "9", "3", "4", "c", "10"]) + "\n"
    result = run(tmp_path / "data", "visa-a", "--date", "2026-11-02", input=answers, COLUMNS="60")
    assert result.exit_code == 0, result.output
    assert widest(result.output) <= 60, result.output
    assert "2. Once warmed up for the day, does a full stretch of the\n   calf" in result.output


def test_every_help_example_is_under_80_columns() -> None:
    for path in [(), *_commands(cli)]:
        text = CliRunner().invoke(cli, [*path, "--help"]).output
        examples = text.split("Example:", 1)[-1].split("Options:", 1)[0]
        for line in examples.splitlines():
            assert len(line) < 80, (path, line)


# --- 3. dates written month or day first ----------------------------------------------------


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("12/08/2020", "2020-12-08 or 2020-08-12?"),  # both readings are dates
        ("12/20/2020", "2020-12-20?"),  # only month first is
        ("20/12/2020", "2020-12-20?"),  # only day first is
        ("05/05/2020", "2020-05-05?"),  # the same either way: once
        ("12.08.2020", "2020-08-12 or 2020-12-08?"),  # dots: day first is read first
    ],
)
def test_a_date_not_written_year_first_gets_each_possible_reading(
    tmp_path: Path, written: str, hint: str
) -> None:
    result = run(tmp_path / "data", "log", "--date", written, "--stiffness", "3")
    assert result.exit_code == 2
    assert f"'{written}': dates are written year first, YYYY-MM-DD: {hint}" in result.output
    assert not (tmp_path / "data").exists() or "saved" not in result.output


def test_a_date_no_reading_makes_sense_of_gets_the_format(tmp_path: Path) -> None:
    result = run(tmp_path / "data", "log", "--date", "13/13/2020", "--stiffness", "3")
    assert result.exit_code == 2
    assert "is not a date written YYYY-MM-DD" in result.output


# --- 4. a file that is not FIT --------------------------------------------------------------


def test_a_text_file_named_fit_is_not_a_fit_file(tmp_path: Path) -> None:
    fake = tmp_path / "fake.fit"
    fake.write_text("not a fit\n")
    result = run(tmp_path / "data", "import", str(fake))
    assert result.exit_code == 1
    assert f"failed: {fake}: not a FIT file: its header does not say FIT" in result.output
    assert "truncated" not in result.output


def test_a_gpx_named_fit_is_said_to_look_like_xml() -> None:
    with pytest.raises(UnreadableFile, match="not a FIT file.*looks like XML"):
        read_bytes(b'<?xml version="1.0"?><gpx></gpx>', "run.fit")


def test_a_fit_file_cut_inside_its_header_is_truncated() -> None:
    head = FIT.read_bytes()[:10]
    with pytest.raises(UnreadableFile, match="truncated"):
        fit.read_bytes(head, "cut.fit")


def test_a_long_file_without_the_signature_is_not_fit() -> None:
    data = bytearray(FIT.read_bytes())
    data[8:12] = b"XXXX"
    with pytest.raises(UnreadableFile, match="not a FIT file"):
        fit.read_bytes(bytes(data), "odd.fit")


# --- 5. the import summary keeps its rows apart ---------------------------------------------


def test_names_are_cut_in_the_middle() -> None:
    assert textout.clip_middle("4078723797_strava.gpx", 12) == "40787\u2026va.gpx"
    assert textout.clip_middle("short.fit", 12) == "short.fit"


def _copies_report() -> dict[str, Any]:
    names = ["4078723797.fit", "4078723797_strava.gpx", "4801048867.fit"]
    names += ["4801048867_strava.gpx", "activity_4801048867.gpx", "activity_4801048867.tcx"]
    files = [
        {
            "file": f"/corpus/sweatpy/{name}",
            "outcome": "duplicate" if i % 2 or i > 3 else "imported",
            "local_date": "2019-09-20",
            "distance_m": 5000.0,
            "message": f"duplicate of 2019-09-20 {names[0]}",
        }
        for i, name in enumerate(names)
    ]
    return {"counts": {"imported": 2, "duplicate": 4}, "files": files}


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_import_rows_stay_distinguishable_at_any_width(width: int) -> None:
    text = textout.import_summary(_copies_report(), "km", width=width)
    assert widest(text) <= width, text
    body = text.split("In /corpus/sweatpy/:\n", 1)[1]
    # every detail is whole ("duplicate of" which run), wrapped in a block if need be
    assert " ".join(body.split()).count("duplicate of 2019-09-20 4078723797.fit") == 4, text
    if width >= 80:  # a table: name (whole where it fits), outcome, detail on one line
        rows = body.split("-\n", 1)[1].splitlines()[:6]
        names = [row.split()[0] for row in rows]
        assert len(set(names)) == 6, names
        assert "activity_4801048867.tcx" in names
    else:  # names would keep under 24 columns beside the details: a block per file
        names = [line for line in body.splitlines() if line and not line.startswith(" ")]
        assert names == [
            "4078723797.fit", "4078723797_strava.gpx", "4801048867.fit",
            "4801048867_strava.gpx", "activity_4801048867.gpx", "activity_4801048867.tcx",
        ]  # fmt: skip
        assert "    outcome: duplicate" in body


# --- 6. profile set: choices in any case, options named, shares hinted ------------------------


def test_profile_choices_take_any_case(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run(data, "profile", "set", "--side", "Left", "--sex", "Female", "--units", "KM")
    assert result.exit_code == 0, result.output
    assert "affected_side = left" in result.output
    assert "units = km" in result.output


def test_a_wrong_choice_names_the_option(tmp_path: Path) -> None:
    result = run(tmp_path / "data", "profile", "set", "--side", "Lefty")
    assert result.exit_code == 2
    assert "--side" in result.output
    assert "'Lefty' is not one of left, right, both" in result.output
    assert "affected_side" not in result.output


def test_a_share_given_as_a_percentage_gets_a_hint(tmp_path: Path) -> None:
    result = run(tmp_path / "data", "profile", "set", "--easy-fraction", "70")
    assert result.exit_code == 2  # a usage error: the option's value is out of range
    assert (
        "Error: Invalid value for '--easy-fraction': 70 is outside 0.3-1; did you mean 0.70?"
        in result.output
    )
    wrong = run(tmp_path / "data", "profile", "set", "--easy-fraction", "10")
    assert "did you mean" not in wrong.output  # 0.10 would be outside too
    share = run(tmp_path / "data", "profile", "set", "--set", "route_overlap_share=72.5")
    assert "did you mean 0.725?" in share.output


def test_settings_that_disagree_name_the_option(tmp_path: Path) -> None:
    result = run(tmp_path / "data", "profile", "set", "--hr-max", "110", "--hr-rest", "115")
    assert result.exit_code == 2
    assert (
        "Error: Invalid value for '--hr-rest': resting 115 must be below maximum 110"
        in result.output
    )


# --- 7. VISA-A: the prompt takes the scores --answers takes, and asks again -----------------


def test_the_prompt_and_answers_give_the_same_total(tmp_path: Path) -> None:
    data = tmp_path / "data"
    typed = "\n".join(["7", "8", "6", "5", "9", "10", "7", "B", "14"]) + "\n"
    prompted = run(data, "visa-a", "--date", "2026-11-01", input=typed)
    assert prompted.exit_code == 0, prompted.output
    given = run(data, "visa-a", "--date", "2026-11-02", "--answers", "7,8,6,5,9,10,7,B14")
    total = "66/100"
    assert f"VISA-A 2026-11-01: {total}" in prompted.output
    assert f"VISA-A 2026-11-02: {total}" in given.output
    assert " 7) full training or competition" in prompted.output  # the score beside it
    assert "14) 21-30 minutes" in prompted.output  # branch B's scores


def test_a_bad_answer_asks_again_with_what_to_type(tmp_path: Path) -> None:
    typed = "\n".join(["5", "6", "7", "8", "9", "3", "B", "2", "4", "x", "c", "4", "10"]) + "\n"
    result = run(tmp_path / "data", "visa-a", "--date", "2026-11-02", input=typed)
    assert result.exit_code == 0, result.output
    assert "Error: 'B' is not an answer to question 7: type 0, 4, 7 or 10." in result.output
    assert "Error: '2' is not an answer to question 7" in result.output
    assert "Error: 'x' is not an answer to question 8: type A, B or C." in result.output
    assert "Error: '4' is not an answer to question 8 (C): type 0, 2, 5, 7 or 10." in (
        result.output
    )
    assert "VISA-A 2026-11-02: 52/100" in result.output  # 38 + 4 + C 10


def test_visa_a_replace_speaks_of_one_result_a_day() -> None:
    text = CliRunner().invoke(cli, ["visa-a", "--help"]).output
    assert "same date/time" not in text
    assert "one result a day" in " ".join(text.split())


# --- 8. backup's name, watch's failed note, a "no" at a prompt --------------------------------


def test_backup_refuses_another_archive_name(sample: Path, tmp_path: Path) -> None:
    for name, shown in (("x.tar", ".tar"), ("x.tar.gz", ".tar.gz")):
        result = run(sample, "backup", str(tmp_path / name))
        assert result.exit_code == 2
        assert f"a backup is a .zip archive, not {shown}; name it {tmp_path / 'x.zip'}" in (
            " ".join(result.output.split())
        )
        assert not (tmp_path / name).exists()


def test_backup_adds_zip_to_a_name_without_a_suffix(sample: Path, tmp_path: Path) -> None:
    result = run(sample, "backup", str(tmp_path / "store-copy"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "store-copy.zip").exists()
    assert f"Wrote {tmp_path / 'store-copy.zip'}" in result.output


def test_watch_names_where_the_failed_note_is(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "Settings.fit").write_bytes((DATA / "invalid" / "Settings.fit").read_bytes())
    result = run(tmp_path / "data", "watch", str(inbox), "--once", "--out", str(tmp_path / "r"))
    assert result.exit_code == 1
    note = inbox / "failed" / "Settings.fit.txt"
    assert note.exists()
    assert f"failed: Settings.fit (see {note})" in result.output


class _Tty:
    def isatty(self) -> bool:
        return True


class _OnATerminal:
    """``sys`` as the CLI sees it when a person types at a terminal."""

    stdin = _Tty()

    def __getattr__(self, name: str) -> Any:
        return getattr(sys, name)


def test_no_at_the_replace_prompt_is_a_choice_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    assert run(data, "log", "--date", "2026-11-01", "--stiffness", "3").exit_code == 0
    monkeypatch.setattr(cli_module, "sys", _OnATerminal())
    result = run(data, "log", "--date", "2026-11-01", "--stiffness", "4", input="n\n")
    assert result.exit_code == 0, result.output
    assert "A check-in for 2026-11-01 already exists. Change it?" in result.output
    assert "Kept the check-in for 2026-11-01 as it was; nothing written." in result.output
    assert "Error" not in result.output
    kept = run(data, "log", "delete", "--date", "2026-11-01", input="n\n")
    assert kept.exit_code == 0
    assert "Kept the check-in of 2026-11-01; nothing deleted." in kept.output
    monkeypatch.undo()
    assert "2026-11-01  3 " in run(data, "log", "list").output


# --- 9. hill lengths in miles or km from a tenth of a mile or 1 km ----------------------------


@pytest.mark.parametrize(
    ("meters", "units", "shown"),
    [
        (6309.4, "mi", "3.92 mi"),  # the 20700 ft of the user test
        (161.0, "mi", "0.10 mi"),
        (150.0, "mi", "492 ft"),
        (1200.0, "km", "1.20 km"),
        (999.4, "km", "999 m"),
        (999.6, "km", "1.00 km"),
        (None, "km", "\u2013"),
    ],
)
def test_hill_lengths(meters: float | None, units: str, shown: str) -> None:
    assert textout.hill_length(meters, units) == shown


def test_the_hills_command_gives_long_hills_in_miles() -> None:
    from tests.test_textout import hills_data

    data = hills_data()
    data["hills"][0]["length_m"] = 6309.4
    table = textout.hills_report(data, "mi")
    assert "3.92 mi" in table
    assert "20700 ft" not in table
    blocks = " ".join(textout.hills_report(data, "mi", width=60).split())
    assert "3.92 mi long, +50 ft" in blocks
    data["hills"][0]["length_m"] = 150.0
    assert "150 m long" in " ".join(textout.hills_report(data, "km", width=60).split())


def test_the_check_ins_keep_a_table_at_80_columns_leaving_out_the_side(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_width(monkeypatch, 80)
    text = run(sample, "log", "list").output
    assert widest(text) <= 80, text
    assert text.splitlines()[0].split() == [
        "date",
        "stiff",
        "min",
        "am",
        "pain",
        "during",
        "after",
        "pinch",
        "swell",
        "note",
    ]
    assert "side not shown at this width" in text
    at_width(monkeypatch, 100)  # wide enough for the side and a note of 24 columns
    assert run(sample, "log", "list").output.splitlines()[0].split()[-2:] == ["side", "note"]


def test_inspect_judges_a_file_by_the_stored_history_as_activities_does(tmp_path: Path) -> None:
    # the user test: without a maximum in the profile, inspect took the file's own held
    # maximum (4% easy) while activities took the history's (40% easy) for the same run
    data = tmp_path / "data"
    files = sorted(SAMPLE.glob("*-run.fit"))[:3]
    assert run(data, "import", *map(str, files)).exit_code == 0
    stored = {a["source_path"]: a for a in json.loads(run(data, "activities", "--json").output)}
    history = max(a["hr_max_used_bpm"] for a in stored.values())
    for path in files:
        (seen,) = json.loads(run(data, "inspect", "--json", str(path)).output)["activities"]
        assert seen["hr_max_source"] == "observed"
        assert seen["hr_max_used_bpm"] == history
        assert seen["easy_share"] == pytest.approx(stored[str(path)]["easy_share"])


def test_a_city_for_a_time_zone_gets_its_iana_name(tmp_path: Path) -> None:
    # second user test: --timezone Berlin said only "use an IANA name like Europe/London"
    result = run(tmp_path / "data", "profile", "set", "--timezone", "Berlin")
    assert result.exit_code != 0
    assert "unknown time zone 'Berlin'; use an IANA name: Europe/Berlin?" in result.output
    nowhere = run(tmp_path / "data", "profile", "set", "--timezone", "Atlantis")
    assert "like Europe/London" in nowhere.output


def test_an_updated_check_in_says_what_changed_readably(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run(data, "log", "--date", "2026-11-20", "--morning-pain", "1")
    changed = run(data, "log", "--date", "2026-11-20", "--stiffness", "3", "--replace")
    assert "morning stiffness (none) -> 3" in changed.output, changed.output
