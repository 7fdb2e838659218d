"""Every sample week in headless Chromium (Debian's, never a downloaded browser).

Asserts: no console errors, no failed requests, every figure drawn, the verdict present,
the ``<script>alert(1)</script>`` note shown as text with no dialog. Screenshots go to
``reports/`` (ignored by git) for people to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.report.conftest import CHROMIUM, REPO, WEEKS

SHOTS = REPO / "reports"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent: `make browser` installs it"
    ),
]


class PageWatch:
    """Everything that went wrong on one page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.failed: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req: self.failed.append(req.url))
        page.on("dialog", self._dialog)

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.errors.append(msg.text)
        elif msg.type == "warning" or "WARN" in msg.text:  # plotly logs warnings as traces
            self.warnings.append(msg.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


DRAWN = """() => Array.from(document.querySelectorAll('div.figure[data-figure]'))
    .filter(d => d.classList.contains('js-plotly-plot') && d.querySelector('svg.main-svg'))
    .length"""


@pytest.mark.parametrize("week", WEEKS)
def test_week_renders_in_chromium(browser: Any, sample_reports: Path, week: str) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    watch = PageWatch(page)
    page.goto((sample_reports / f"{week}.html").as_uri())
    page.wait_for_load_state("load")
    placeholders = page.locator("div.figure[data-figure]").count()
    assert placeholders >= 6
    page.wait_for_function(f"() => ({DRAWN})() === {placeholders}", timeout=10_000)
    assert watch.errors == []
    assert watch.warnings == []  # e.g. plotly's "Invalid color specifier: Array(7)"
    assert watch.failed == []
    verdict = page.locator("#glance .verdict-text").inner_text()
    assert verdict.split(":")[0] in ("Green", "Amber", "Red")
    assert "Not medical advice" in page.content()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{week}.png"), full_page=True)
    assert watch.dialogs == []
    page.close()


def test_script_note_is_text_and_never_runs(browser: Any, sample_reports: Path) -> None:
    page = browser.new_page()
    watch = PageWatch(page)
    page.goto((sample_reports / "2026-W46.html").as_uri())
    page.wait_for_load_state("load")
    notes = page.locator("table.day-lights").inner_text()  # the note beside its day
    assert "<script>alert(1)</script>" in notes
    page.wait_for_timeout(300)
    assert watch.dialogs == []
    assert watch.errors == []
    page.close()


def test_index_lists_the_weeks_with_lights(browser: Any, sample_reports: Path) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    watch = PageWatch(page)
    page.goto((sample_reports / "index.html").as_uri())
    rows = page.locator("table.weeks tbody tr")
    assert rows.count() == len(WEEKS)
    assert page.locator("table.weeks .light").count() == len(WEEKS)
    page.screenshot(path=str(SHOTS / "index.png"), full_page=True)
    assert watch.errors == []
    assert watch.failed == []
    page.close()


def test_print_layout_fits_a4(browser: Any, sample_reports: Path) -> None:
    """In print media every chart is at most the A4 text width (186 mm, about 703 px)."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto((sample_reports / "2026-W43.html").as_uri())
    page.wait_for_function(f"() => ({DRAWN})() > 0")
    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    widths = page.evaluate(
        "() => Array.from(document.querySelectorAll('div.figure svg.main-svg'))"
        ".map(s => s.getBoundingClientRect().width)"
    )
    assert widths
    assert max(widths) <= 703
    page.close()


WIDER_THAN_SCREEN = """() => Array.from(document.querySelectorAll('main *'))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
        && !e.closest('.table-wrap'))
    .map(e => e.tagName + '.' + e.className)"""


@pytest.mark.parametrize("page_name", ["index.html", "hills.html", WEEKS[3] + ".html"])
def test_phone_width_never_scrolls_the_page_sideways(
    browser: Any, sample_reports: Path, page_name: str
) -> None:
    """At 400 px nothing sticks out of the screen: tables reflow into cards (or scroll
    inside their card) and charts fit."""
    page = browser.new_page(viewport={"width": 400, "height": 800})
    watch = PageWatch(page)
    page.goto((sample_reports / page_name).as_uri())
    page.wait_for_load_state("load")
    placeholders = page.locator("div.figure[data-figure]").count()
    page.wait_for_function(f"() => ({DRAWN})() === {placeholders}", timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    assert page.evaluate(WIDER_THAN_SCREEN) == []
    for table in page.locator("table.reflow").all():
        assert "reflowed" in (table.get_attribute("class") or "")
        first = table.locator("tbody td").first
        assert first.get_attribute("data-label")  # each value under its column heading
    if placeholders:  # the day chart draws its narrow variant: short upright weekdays
        ticks = page.evaluate(
            "() => Array.from(document.querySelectorAll('#days .xtick text'))"
            ".map(t => t.textContent)"
        )
        assert ticks
        assert all(len(t) <= 5 for t in ticks)
    assert watch.errors == []
    assert watch.warnings == []
    page.close()


def open_drawn(browser: Any, path: Path, width: int) -> tuple[Any, PageWatch]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    watch = PageWatch(page)
    page.goto(path.as_uri())
    placeholders = page.locator("div.figure[data-figure]").count()
    page.wait_for_function(f"() => ({DRAWN})() === {placeholders}", timeout=10_000)
    return page, watch


BOXES = """sel => Array.from(document.querySelectorAll(sel))
    .map(e => e.getBoundingClientRect())
    .filter(r => r.width > 0)
    .map(r => [r.left, r.right, r.top, r.bottom])"""


def apart(boxes: list[list[float]]) -> bool:
    """No two boxes (left, right, top, bottom) overlap."""
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]:
                return False
    return True


@pytest.mark.parametrize("width", [400, 1280])
def test_week_labels_of_the_trends_never_run_together(
    browser: Any, sample_reports: Path, width: int
) -> None:
    page, watch = open_drawn(browser, sample_reports / f"{WEEKS[-1]}.html", width)
    ticks = page.evaluate(BOXES, "[aria-label=trends] .xtick text")
    assert apart(ticks)
    texts = page.evaluate(
        "() => Array.from(document.querySelectorAll('[aria-label=trends] .xtick text'))"
        ".map(t => t.textContent)"
    )
    assert texts[-1].endswith("W47")  # the week shown is always labelled
    assert len(texts) == (6 if width < 560 else 12)  # every week once there is room
    assert watch.errors == []
    page.close()


@pytest.mark.parametrize("width", [400, 1280])
def test_hill_band_labels_never_collide(browser: Any, sample_reports: Path, width: int) -> None:
    """The sample's Thursday of W47 has three hills within a mile: at 400 px their labels
    ran together ("RUN 5%walked 6%RUN 4%")."""
    page, watch = open_drawn(browser, sample_reports / f"{WEEKS[-1]}.html", width)
    profiles = page.locator("[aria-label=profile]").count()
    assert profiles == 4
    shown = 0
    for i in range(profiles):
        boxes = page.evaluate(
            """i => Array.from(document.querySelectorAll('[aria-label=profile]')[i]
                .querySelectorAll('.annotation'))
                .filter(a => a.querySelector('text') && a.getBoundingClientRect().width > 0)
                .map(a => { const r = a.getBoundingClientRect();
                            return [r.left, r.right, r.top, r.bottom]; })""",
            i,
        )
        assert apart(boxes)
        shown += len(boxes)
    assert shown >= 4  # the labels that fit are still there
    assert watch.errors == []
    page.close()


@pytest.mark.parametrize("width", [400, 1280])
def test_the_map_legend_is_off_the_tracks(browser: Any, sample_reports: Path, width: int) -> None:
    page, watch = open_drawn(browser, sample_reports / f"{WEEKS[-1]}.html", width)
    plot = page.evaluate(BOXES, "[aria-label=map] .nsewdrag")[0]
    legend = page.evaluate(BOXES, "[aria-label=map] .legend")[0]
    assert apart([plot, legend])
    widths = page.evaluate(
        "() => document.querySelector('[aria-label=map]').data"
        ".filter(t => /^[A-Z][a-z]{2} \\d+ [A-Z][a-z]{2}$/.test(t.name))"
        ".map(t => [t.name, t.line.width])"
    )
    by_day = dict(widths)
    assert by_day["Tue 17 Nov"] > by_day["Sat 21 Nov"]  # the same loop: Tuesday's is the edge
    assert watch.errors == []
    page.close()


LONGEST_ROW = {  # column (from 1): the widest cells of the hills page of a large store
    2: "Hill 70 — 1.5 mi into Route 22",
    4: "20700 ft",
    6: "43.6%\u00a0/ 59.4%",
    10: "164 bpm",
    11: "not enough check-ins: 0 mornings after running it, 0 after walking it (3 of each needed)",
}


def test_the_hills_table_fits_its_card_on_a_laptop(browser: Any, sample_reports: Path) -> None:
    """At 1280 px the twelve columns fit, with the widest cells seen on a large store,
    and a date is never broken at its hyphens; at 400 px each hill is a card."""
    page, watch = open_drawn(browser, sample_reports / "hills.html", 1280)
    page.evaluate(
        """cells => { const row = document.querySelector('#recurring-hills tbody tr');
            for (const [column, text] of Object.entries(cells)) {
                row.children[Number(column) - 1].textContent = text; }
            row.querySelector('td.seen span').innerHTML =
                '<span class="nw">2015-08-29</span> to <span class="nw">2018-05-14</span>, 12 runs';
        }""",
        {str(k): v for k, v in LONGEST_ROW.items()},
    )
    fit = page.evaluate(
        "() => { const w = document.querySelector('#recurring-hills .table-wrap');"
        " return [w.scrollWidth, w.clientWidth]; }"
    )
    assert fit[0] <= fit[1]
    dates = page.evaluate(BOXES, "#recurring-hills td.seen .nw")
    assert all(b[3] - b[2] < 25 for b in dates)  # one line each
    assert watch.errors == []
    page.close()
