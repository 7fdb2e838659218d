"""The pages without a browser: files, escaping, CSP, figures valid for plotly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.errors import AnalyzerError
from analyzer.report.build import figure_json, select_weeks
from tests.report.conftest import WEEKS, run_cli

FIGURE_DATA = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)


def test_every_week_and_the_index_are_written(sample_reports: Path) -> None:
    for week in WEEKS:
        assert (sample_reports / f"{week}.html").is_file()
    index = (sample_reports / "index.html").read_text()
    for week in WEEKS:
        assert f'href="{week}.html"' in index
    assert (sample_reports / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    assert (sample_reports / "assets" / "report.js").is_file()


def test_pages_have_a_strict_csp_and_no_inline_script(sample_reports: Path) -> None:
    for week in WEEKS:
        page = (sample_reports / f"{week}.html").read_text()
        assert "script-src 'self'" in page
        scripts = re.findall(r"<script([^>]*)>", page)
        for attrs in scripts:
            assert 'type="application/json"' in attrs or 'src="assets/' in attrs
        assert "onload=" not in page
        assert "javascript:" not in page


def test_the_script_note_is_escaped(sample_reports: Path) -> None:
    page = (sample_reports / "2026-W46.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_figure_json_cannot_break_out_of_its_block() -> None:
    text = str(figure_json({"layout": {"title": {"text": "</script><script>alert(1)</script>&"}}}))
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert json.loads(text)["layout"]["title"]["text"].startswith("</script>")


@pytest.mark.parametrize("week", WEEKS)
def test_every_figure_is_valid_plotly(sample_reports: Path, week: str) -> None:
    page = (sample_reports / f"{week}.html").read_text()
    blocks = FIGURE_DATA.findall(page)
    placeholders = re.findall(r'data-figure="([^"]+)"', page)
    assert sorted(placeholders) == sorted(i for i, _ in blocks)
    for _, raw in blocks:
        go.Figure(json.loads(raw))  # raises on any property plotly does not know


def test_page_size_is_small(sample_reports: Path) -> None:
    for week in WEEKS:
        assert (sample_reports / f"{week}.html").stat().st_size < 250_000


def test_one_week_only_and_bad_week(sample_store: Path, tmp_path: Path) -> None:
    out = run_cli(sample_store, "report", "--week", "2026-W45", "--out", str(tmp_path))
    assert "2026-W45.html" in out
    written = sorted(p.name for p in tmp_path.glob("*.html"))
    assert written == ["2026-W45.html", "hills.html", "index.html"]
    with pytest.raises(AnalyzerError, match="no data for week 2030-W01"):
        select_weeks(WEEKS, week="2030-W01")
    assert select_weeks(WEEKS, last=2) == WEEKS[-2:]


@pytest.mark.parametrize("bad", ["nonsense", "2026-W60", "2026-47", "W47"])
def test_a_malformed_week_is_a_usage_error(sample_store: Path, tmp_path: Path, bad: str) -> None:
    result = CliRunner().invoke(
        cli, ["--data-dir", str(sample_store), "report", "--week", bad, "--out", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert f"{bad!r} is not an ISO week" in result.output
    assert not list(tmp_path.iterdir())


def test_a_week_is_read_in_either_case(sample_store: Path, tmp_path: Path) -> None:
    out = run_cli(sample_store, "report", "--week", "2026-w45", "--out", str(tmp_path))
    assert "2026-W45.html" in out


def test_an_unwritable_out_folder_is_one_line_and_exit_1(
    sample_store: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = CliRunner().invoke(
        cli, ["--data-dir", str(sample_store), "report", "--out", str(blocker / "reports")]
    )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cannot write the report" in result.output
    assert "Traceback" not in result.output


def test_the_hill_week_says_stiffness_rose_after_the_hill(sample_reports: Path) -> None:
    page = (sample_reports / "2026-W43.html").read_text()
    assert "where a hill was run, morning stiffness the next day changed by +" in page
    assert "talk to your physio" in page
    assert "Not medical advice" in page


def test_each_run_names_the_device_that_recorded_it(sample_reports: Path) -> None:
    # tools/make_sample_data.py writes the FIT runs as a Garmin Forerunner 945 (product 3113)
    page = (sample_reports / "2026-W43.html").read_text()
    profiles = page.count('<div class="profile">')
    assert profiles >= 3
    assert page.count('<span class="device">· garmin fr945</span>') == profiles


def test_hill_mornings_says_average_only_over_several_runs() -> None:
    from analyzer.report.build import hill_mornings

    runs = pd.DataFrame(
        {"stiffness_change": [3.0, 1.0, 2.0, float("nan")], "hills_run": [0, 2, 1, 1]}
    )
    assert hill_mornings(runs) == [
        "After the 2 runs where a hill was run, morning stiffness the next day changed by "
        "+1.5 points on average.",
        "After the one run where no hill was run, morning stiffness the next day changed by "
        "+3.0 points.",
        # user test: "reads as a finding from one data point"
        "3 runs with both mornings logged this week: what one week shows, not a pattern; "
        "the link below reads the whole history.",
    ]
    many = pd.DataFrame({"stiffness_change": [1.0] * 8, "hills_run": [0, 1] * 4})
    assert len(hill_mornings(many)) == 2  # 8 runs, as many as the link needs: no caveat
    # the pairs the link needs are the setting link_min_pairs: with 10, 8 runs get the caveat
    assert hill_mornings(many, min_pairs=10)[-1].startswith("8 runs with both mornings logged")
    assert len(hill_mornings(runs, min_pairs=3)) == 2  # 3 runs: as many as 3 needs


def test_the_visa_a_tile_dates_the_latest_and_the_one_before() -> None:
    from analyzer.report.build import _visa_a_dates

    visa = pd.DataFrame(
        {"date": pd.to_datetime(["2026-09-01", "2026-10-05", "2026-11-12"]), "total": [60, 55, 70]}
    )
    assert _visa_a_dates(visa) == {
        "visa_a_date": "12 Nov 2026",
        "visa_a_previous_date": "5 Oct 2026",
    }
    assert _visa_a_dates(visa.iloc[:0]) == {"visa_a_date": None, "visa_a_previous_date": None}
