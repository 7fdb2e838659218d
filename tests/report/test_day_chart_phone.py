"""The day-by-day chart on a phone (400 px) and after a resize: the score axis title is
whole, the rings of the mornings after a hill run never cover the heel-drop triangles, and
no chart is squashed when the window crosses the narrow breakpoint (plotly's own resize dropped the
layout's height and a redraw came out at the div's min-height, 120 px)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analyzer.report import figures
from analyzer.report.build import build_reports
from analyzer.report.units import Units
from analyzer.weekly.view import history, week_view
from tests.report.test_browser import DRAWN, PageWatch, apart
from tests.weekly.helpers import checkin, drops, make_inputs, run

#: 2026-W45 (Mon 2 - Sun 8 Nov): a hill run on Tue, Thu and Sat; the mornings after them
#: at 7, 4 and 10 (high ones once put the note on the triangles); heel drops every day
HILL_RUNS = [run(f"2026-11-0{d}T07:00Z", hills_run=1, uphill_run_s=120.0) for d in (3, 5, 7)]
STIFFNESS = {2: 1, 3: 2, 4: 7, 5: 3, 6: 4, 7: 2, 8: 10}


def inputs() -> Any:
    checkins = [checkin(f"2026-11-0{d}", float(v)) for d, v in STIFFNESS.items()]
    sessions = [drops(f"2026-11-0{d}T08:00+00:00") for d in range(2, 9)]
    return make_inputs(HILL_RUNS, checkins, sessions, today=pd.Timestamp("2026-11-20"))


def test_each_morning_after_a_hill_run_is_ringed_in_the_legend() -> None:
    """The mornings after the hill runs (Wed 7, Fri 4, Sun 10) carry a ring on their
    stiffness point, one legend entry says what it means, and no arrowed note is left."""
    ins = inputs()
    days = week_view(ins, history(ins), "2026-W45").days
    fig = figures.day_chart(days, Units("mi"))
    ring = next(t for t in fig["data"] if t.get("uid") == "after-hill")
    stiff = next(t for t in fig["data"] if t.get("uid") == "morning_stiffness")
    assert ring["y"] == [7.0, 4.0, 10.0]
    assert ring["x"] == [stiff["x"][i] for i in (2, 4, 6)]  # on the points themselves
    assert ring["name"] == "morning after a hill run"
    texts = [a["text"] for a in fig["layout"].get("annotations", [])]
    assert not any("hill" in t for t in texts)
    narrow = figures.narrow_variant(fig)["layout"].get("annotations", [])
    assert not any("hill" in a["text"] for a in narrow)


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hill-week")
    build_reports(inputs(), out)
    return out / "2026-W45.html"


#: the day chart's parts, in page pixels: the score axis title, its panel, the plot, the
#: rings of the mornings after a hill run, and the heel-drop triangles with their counts
PARTS = """() => {
  const d = document.querySelector('#days div.figure');
  const box = e => {
    const r = e.getBoundingClientRect();
    return [r.left, r.right, r.top, r.bottom];
  };
  const fl = d._fullLayout, y3 = fl.yaxis3, top = d.getBoundingClientRect().top;
  const drops = Array.from(d.querySelectorAll('.scatterlayer g.trace')).filter(
    g => Array.from(g.querySelectorAll('text')).some(t => /^\\d+\\/\\d+$/.test(t.textContent)));
  const marks = drops.flatMap(g => Array.from(g.querySelectorAll('path.point, text')));
  return {
    div: box(d),
    title: box(d.querySelector('.g-y3title text')),
    panel: [top + y3._offset, top + y3._offset + y3._length],
    rings: Array.from(d.querySelectorAll('.scatterlayer g.trace')).filter(
      g => g.querySelectorAll('path.point').length === 3 && !g.querySelector('text')
        && g.querySelector('path.point').style.fill === 'none'
    ).flatMap(g => Array.from(g.querySelectorAll('path.point')).map(box)),
    drops: marks.map(box).filter(b => b[1] > b[0]),
  };
}"""

HEIGHTS = """() => Array.from(document.querySelectorAll('div.figure[data-figure]')).map(
  d => [d.id, Math.round(d.getBoundingClientRect().height), d._fullLayout.height])"""


def check_day_chart(page: Any) -> None:
    parts = page.evaluate(PARTS)
    left, right, top, bottom = parts["title"]
    assert left >= parts["div"][0]  # the title starts inside the chart
    assert right > left
    assert parts["panel"][0] - 1 <= top  # beside its own panel
    assert bottom <= parts["panel"][1] + 1
    assert len(parts["rings"]) == 3  # the three mornings after a hill run
    assert len(parts["drops"]) == 14  # 7 triangles, 7 counts
    for ring in parts["rings"]:
        assert all(apart([ring, mark]) for mark in parts["drops"]), (ring, parts["drops"])


@pytest.mark.browser
@pytest.mark.parametrize("width", [400, 1280])
def test_the_day_chart_is_whole_at_phone_and_desktop_width(
    browser: Any, page_path: Path, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    watch = PageWatch(page)
    page.goto(page_path.as_uri())
    count = page.locator("div.figure[data-figure]").count()
    page.wait_for_function(f"() => ({DRAWN})() === {count}", timeout=10_000)
    check_day_chart(page)
    assert watch.errors == []
    assert watch.warnings == []
    page.close()


#: the narrow variant's weekdays are on two lines ("Mon<br>2"), the wide one's on one
SHORT_TICKS = """() => Array.from(document.querySelectorAll('#days .xtick text'))
    .every(t => t.querySelectorAll('tspan.line').length === 2)"""
LONG_TICKS = """() => Array.from(document.querySelectorAll('#days .xtick text'))
    .every(t => t.querySelectorAll('tspan.line').length < 2)"""


@pytest.mark.browser
def test_no_chart_is_squashed_after_the_window_crosses_the_breakpoint(
    browser: Any, page_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = PageWatch(page)
    page.goto(page_path.as_uri())
    count = page.locator("div.figure[data-figure]").count()
    page.wait_for_function(f"() => ({DRAWN})() === {count}", timeout=10_000)
    drawn = {name: height for name, _, height in page.evaluate(HEIGHTS)}
    for width, ready in ((400, SHORT_TICKS), (1280, LONG_TICKS), (400, SHORT_TICKS)):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_function(ready, timeout=10_000)  # report.js redrew it for this width
        page.wait_for_timeout(400)  # plotly's own resize runs on a timer too
        for name, shown, height in page.evaluate(HEIGHTS):
            assert shown == height, (width, name, shown, height)  # the div holds the plot
            assert height >= 250, (width, name, height)  # 120: squashed to the min-height
            if width == 1280:
                assert height == drawn[name]
    check_day_chart(page)
    assert watch.errors == []
    page.close()
