"""Pages for weeks with data only; neutral weeks without check-ins; what is left out is said."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from analyzer.errors import AnalyzerError
from analyzer.report.build import build_reports
from tests.report.test_browser import SHOTS
from tests.weekly.helpers import daily_checkins, make_inputs, run


def inputs() -> Any:
    """W02: two runs, a ride and a week of check-ins; W05: a ride only; W04: one run and no
    check-ins; W19: a VISA-A only."""
    activities = [
        run("2026-01-06T07:00:00Z", sport="running"),
        run("2026-01-08T07:00:00Z", sport="running", sub_sport="trail"),
        run("2026-01-10T09:00:00Z", 40_000.0, sport="cycling", name="Saturday ride"),
        run("2026-01-27T09:00:00Z", 50_000.0, sport="cycling"),
        run("2026-01-20T07:00:00Z", sport="running"),
    ]
    checkins = daily_checkins("2026-01-05", "2026-01-11", 1)
    return make_inputs(activities, checkins, visa=[("2026-05-05", 80)])


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("weeks")
    build_reports(inputs(), folder)
    return folder


def text(path: Path) -> str:
    page = re.sub(r'<script type="application/json".*?</script>', "", path.read_text(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_only_weeks_with_data_get_pages(out: Path) -> None:
    assert sorted(p.stem for p in out.glob("*-W*.html")) == ["2026-W02", "2026-W04", "2026-W19"]


def test_previous_and_next_go_to_the_neighbouring_pages(out: Path) -> None:
    page = (out / "2026-W04.html").read_text()
    assert '<a href="2026-W02.html">← previous week</a>' in page
    assert '<a href="2026-W19.html">next week →</a>' in page
    assert "previous week" not in (out / "2026-W02.html").read_text()


def test_the_index_lists_the_weeks_with_data_and_says_what_it_left_out(out: Path) -> None:
    index = (out / "index.html").read_text()
    assert re.findall(r'href="(2026-W\d\d)\.html"', index) == ["2026-W19", "2026-W04", "2026-W02"]
    words = text(out / "index.html")
    assert "15 weeks with no runs, check-ins, heel drops or VISA-A get no page" in words
    assert "Not counted as running, over the whole history: 2 rides (55.9 mi)" in words


def test_a_week_says_which_activities_it_did_not_count(out: Path) -> None:
    words = text(out / "2026-W02.html")
    assert "Not counted as running: 1 ride (24.9 mi)" in words  # 40 km
    runs_tile = re.search(r"<dt>Runs</dt><dd>(\d+)</dd>", (out / "2026-W02.html").read_text())
    assert runs_tile is not None
    assert runs_tile.group(1) == "2"


def test_a_week_without_check_ins_is_neutral(out: Path) -> None:
    page = (out / "2026-W04.html").read_text()
    assert 'class="glance light-box-none"' in page
    assert '<span class="light light-none">Not judged</span>' in page
    assert "pain stayed low" not in page
    assert "mornings settled" not in page
    assert "Green" not in text(out / "2026-W04.html")


@pytest.mark.parametrize("name", ["2026-W02.html", "2026-W04.html", "2026-W19.html", "index.html"])
def test_not_medical_advice_is_said_once(out: Path, name: str) -> None:
    assert (out / name).read_text().count("Not medical advice") == 1


def test_last_n_means_the_last_n_weeks_with_data(tmp_path: Path) -> None:
    build_reports(inputs(), tmp_path, last=2)
    assert sorted(p.stem for p in tmp_path.glob("*-W*.html")) == ["2026-W04", "2026-W19"]


def test_a_week_without_data_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AnalyzerError, match="no data for week 2026-W05"):
        build_reports(inputs(), tmp_path, week="2026-W05")


def test_rides_alone_are_no_data(tmp_path: Path) -> None:
    only_rides = make_inputs([run("2026-01-10T09:00:00Z", 40_000.0, sport="cycling")])
    with pytest.raises(AnalyzerError, match="no runs, check-ins.*1 ride"):
        build_reports(only_rides, tmp_path)


def test_a_stale_page_of_an_empty_week_is_not_linked(tmp_path: Path) -> None:
    (tmp_path / "2026-W05.html").write_text("written by an older version")
    build_reports(inputs(), tmp_path)
    assert "2026-W05" not in (tmp_path / "index.html").read_text()
    assert "2026-W05" not in (tmp_path / "2026-W02.html").read_text()


@pytest.mark.browser
def test_the_neutral_light_is_grey_in_chromium(browser: Any, out: Path) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto((out / "2026-W04.html").as_uri())
    pill = page.locator("#glance .verdict .light")
    assert pill.inner_text() == "Not judged"
    # grey, none of the three lights' colours (report.css)
    colour = pill.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(95, 99, 104)"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "no-checkins-week.png"), full_page=True)
    page.goto((out / "index.html").as_uri())
    lights = page.locator("table.weeks .light").all_inner_texts()
    assert lights == ["Not judged", "Not judged", "Green"]
    page.screenshot(path=str(SHOTS / "index-with-gaps.png"), full_page=True)
    page.close()
