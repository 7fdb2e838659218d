"""The link section of a sample week in headless Chromium, on a 1280 px screen and a
400 px phone: every load's chart drawn, its symptom buttons clear of plotly's modebar and
switching the chart, the pairings table whole (a card per load on the phone)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.report.conftest import CHROMIUM, WEEKS
from tests.report.test_browser import DRAWN, PageWatch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent: `make browser` installs it"
    ),
]

#: page boxes [left, right, top, bottom] of the first link chart's parts
PARTS = """() => {
  const fig = document.querySelector('#link figure.link div.figure');
  const box = e => {
    const r = e.getBoundingClientRect();
    return [r.left, r.right, r.top, r.bottom];
  };
  return {
    figure: box(fig),
    buttons: Array.from(fig.querySelectorAll('g.updatemenu-button')).map(box),
    modebar: box(fig.querySelector('.modebar')),
    title: fig.querySelector('g.g-gtitle').textContent,
    ytitle: fig.querySelector('g.g-ytitle').textContent,
    margin: fig._fullLayout.margin.l,
  };
}"""


@pytest.mark.parametrize("width", [1280, 400])
def test_link_charts_switch_symptom_at_both_widths(
    browser: Any, sample_reports: Path, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    watch = PageWatch(page)
    page.goto((sample_reports / f"{WEEKS[-1]}.html").as_uri())
    placeholders = page.locator("div.figure[data-figure]").count()
    page.wait_for_function(f"() => ({DRAWN})() === {placeholders}", timeout=10_000)
    assert page.locator("#link figure.link div.figure").count() == 5
    assert page.locator("#link table.link-table tbody tr").count() == 5
    assert page.locator("#link table.link-table tbody td").count() == 5 * 4
    before = page.evaluate(PARTS)
    fig_left, fig_right = before["figure"][:2]
    assert before["margin"] == (44 if fig_right - fig_left < 560 else 55)  # narrow below 560
    assert before["ytitle"] == "next-morning stiffness"
    assert before["title"].startswith("rho = ")
    modebar_bottom = before["modebar"][3]
    for left, right, top, _ in before["buttons"]:
        assert top >= modebar_bottom  # a click on a symptom never lands on "zoom"
        assert fig_left <= left < right <= fig_right
    chart = page.locator("#link figure.link div.figure").first
    chart.locator("g.updatemenu-button", has_text="tenderness").click()
    page.wait_for_timeout(300)
    after = page.evaluate(PARTS)
    assert after["ytitle"] == "next-morning tenderness"
    assert after["title"] != before["title"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert watch.errors == []
    assert watch.warnings == []
    page.close()
