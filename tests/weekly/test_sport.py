"""Only runs count: the file's sport decides, and without one, the data (weekly.sport)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer import pipeline
from analyzer.metrics.speed import speed_facts
from analyzer.settings import Settings
from analyzer.store import Store
from analyzer.weekly.hills import load_overview
from analyzer.weekly.source import from_store, with_speed_facts
from analyzer.weekly.sport import RUN, kind_of, kinds
from analyzer.weekly.view import history, left_out
from tests.conftest import DATA, corpus_or_skip
from tests.weekly.helpers import make_inputs, run

DEFAULTS = Settings()
MULTISPORT = DATA / "python-fitparse" / "activity-large-fenxi2-multisport.fit"
WALK_TCX = DATA / "sport-activities-features" / "walking_activity_1.tcx"  # TCX Sport="Other"
#: the fenix2's own session messages (corpus fit_sessions.tsv, total_distance, m)
#: the two running legs, and the first leg, "generic" in the file: 25 km at 2.1 m/s with
#: 8,692 s of it running by cadence, so the data make it a run
MULTISPORT_RUNS_M = [2245.23, 12740.37, 25072.07]
MULTISPORT_RIDE_M = 28928.27


@pytest.mark.parametrize("sub_sport", [None, "trail", "treadmill", "track", "generic"])
def test_fit_running_with_any_sub_sport_is_a_run(sub_sport: str | None) -> None:
    assert kind_of({"sport": "running", "sub_sport": sub_sport}) == RUN


@pytest.mark.parametrize(
    ("sport", "kind"),
    [
        ("cycling", "ride"),
        ("transition", "transition"),
        ("cross_country_skiing", "ski session"),
        ("walking", "walk"),
        ("other", "other"),
    ],
)
def test_every_other_sport_is_not_a_run(sport: str, kind: str) -> None:
    # even when it is as slow as a run: the file said what it was
    assert kind_of({"sport": sport, "speed_median_mps": 2.5, "speed_sustained_mps": 3.0}) == kind


@pytest.mark.parametrize(
    "sport", ["TrailRun", "VirtualRun", "treadmill_running", "track_running", "indoor_running"]
)
def test_every_running_word_of_gpx_types_is_a_run(sport: str) -> None:
    assert kind_of({"sport": sport, "speed_median_mps": 2.5, "speed_sustained_mps": 3.0}) == RUN


@pytest.mark.parametrize("sport", [None, "", "generic", "GENERIC"])
def test_a_silent_sport_lets_the_data_decide(sport: str | None) -> None:
    # FIT's "generic" is what a watch writes when it was not told the sport
    slow = {"sport": sport, "speed_median_mps": 2.6, "speed_sustained_mps": 3.2}
    assert kind_of(slow) == RUN
    assert kind_of({**slow, "speed_sustained_mps": 12.0}) != RUN


def test_without_a_sport_the_data_decide() -> None:
    # a 10 km runner at 4:00/km (4.2 m/s) with a 2-minute surge at 6 m/s is still a run
    assert kind_of({"sport": None, "speed_median_mps": 4.2, "speed_sustained_mps": 6.0}) == RUN
    # 2 minutes above 800 m world-record pace: no one runs that
    assert kind_of({"sport": None, "speed_median_mps": 4.2, "speed_sustained_mps": 9.0}) != RUN
    # a whole session above 10 000 m world-record pace
    assert kind_of({"sport": None, "speed_median_mps": 7.0}) != RUN
    # not one second of running
    assert kind_of({"sport": None, "running_s": 0.0, "walking_s": 3600.0}) != RUN
    # nothing known: counted as a run, as the brief of the report asks
    assert kind_of({"sport": None}) == RUN


def test_a_gps_spike_does_not_make_a_run_too_fast() -> None:
    n = 1800
    speed = np.full(n, 3.0)
    speed[600:610] = 25.0  # ten seconds of GPS jump
    frame = pd.DataFrame({"elapsed_s": np.arange(n, dtype=float), "speed_mps": speed})
    median, sustained = speed_facts(frame, DEFAULTS)
    assert median == pytest.approx(3.0)
    assert sustained == pytest.approx(3.0)
    ride = frame.assign(speed_mps=np.r_[np.full(900, 5.0), np.full(900, 9.0)])
    assert speed_facts(ride, DEFAULTS)[1] == pytest.approx(9.0)


@pytest.mark.parametrize(
    "path",
    [
        DATA / "python-fitparse" / "activity-small-fenix2-run.fit",
        DATA / "runpandas" / "strava_export.gpx",
        DATA / "runpandas" / "run_garmin.tcx",
        DATA / "workoutizer" / "garmin_example.gpx",
        DATA / "workoutizer" / "run_with_coordinates.fit",
    ],
)
def test_real_runs_would_count_as_runs_without_their_sport(path: Path, tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        pipeline.import_paths([path], store)
        (activity,) = store.activities()
        facts = speed_facts(store.stream_frame(activity.activity_id), DEFAULTS)
    assert activity.sport == "running"
    row = {"sport": None, "speed_median_mps": facts[0], "speed_sustained_mps": facts[1]}
    assert kind_of(row) == RUN


def test_a_ride_without_a_sport_is_too_fast(tmp_path: Path) -> None:
    ride = corpus_or_skip() / "GoldenCheetah" / "UrbanBiker2019-04-18_16-12.gpx"  # a bike app
    with Store.open(tmp_path) as store:
        pipeline.import_paths([ride], store)
        inputs = from_store(store)
    assert inputs.activities["sport"].isna().all()
    hist = history(inputs)
    assert hist.runs.empty
    assert left_out(hist.others)[0][0] == "1 session too fast for running"


@pytest.fixture(scope="module")
def multisport(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("multisport")
    with Store.open(data) as store:
        pipeline.import_paths([MULTISPORT, WALK_TCX], store)
    return data


def test_multisport_week_counts_the_run_legs_only(multisport: Path) -> None:
    with Store.open(multisport) as store:
        hist = history(from_store(store))
        listed = store.activities()
    assert len(listed) == 8  # stored as they are: 7 sessions and the walk
    week = hist.weekly.loc["2015-W35"]
    assert week["runs"] == 3
    assert week["distance_m"] == pytest.approx(sum(MULTISPORT_RUNS_M), rel=0.01)
    words = dict(left_out(hist.others[hist.others["week"] == "2015-W35"]))
    assert set(words) == {"1 ride", "3 transitions"}
    assert words["1 ride"] == pytest.approx(MULTISPORT_RIDE_M, rel=0.01)
    # the TCX walk says Sport="Other" in the file: neither running nor biking
    walk_week = hist.others[hist.others["week"] != "2015-W35"]
    assert list(walk_week["kind"]) == ["other"]


def test_recurring_hills_come_from_runs_only(multisport: Path) -> None:
    with Store.open(multisport) as store:
        frame = store.activities_frame()
        runs = set(frame.query("sport in ('running', 'generic')")["activity_id"])
        overview = load_overview(store, persist=False)
    on_hills = {a for h in overview.hills for a in h.activity_ids}
    on_routes = {a for r in overview.routes for a in r.activity_ids}
    assert on_hills  # the run legs climb
    assert on_hills <= runs
    assert on_routes <= runs


def test_activities_in_code_without_a_sport_stay_runs() -> None:
    # Inputs built without sport columns (older callers): everything counts, as before
    hist = history(make_inputs([run("2026-10-13T06:00:00Z"), run("2026-10-15T06:00:00Z")]))
    assert len(hist.runs) == 2
    assert hist.others.empty


def test_speed_facts_of_a_file_without_a_sport_are_stored_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (DATA / "runpandas" / "strava_export.gpx").read_text()
    silent = tmp_path / "no-type.gpx"  # the same run, its <type> taken out
    silent.write_text(re.sub(r"<type>.*?</type>", "", text))
    with Store.open(tmp_path / "data") as store:
        pipeline.import_paths([silent, DATA / "runpandas" / "run_garmin.tcx"], store)
        acts = store.activities_frame().set_index("source_path")
        quiet, named = acts.loc[str(silent)], acts.loc[str(DATA / "runpandas" / "run_garmin.tcx")]
        median, sustained = speed_facts(store.stream_frame(quiet["activity_id"]), DEFAULTS)

        def no_stream(activity_id: str) -> pd.DataFrame:
            raise AssertionError(f"stream of {activity_id} read again")

        monkeypatch.setattr(store, "stream_frame", no_stream)
        inputs = from_store(store)
    assert pd.isna(quiet["sport"])
    assert quiet["speed_median_mps"] == pytest.approx(median)
    assert quiet["speed_sustained_mps"] == pytest.approx(sustained)
    assert named["sport"] == "running"  # the file says: nothing to store
    assert not named["speed_facts_stored"]
    assert (kinds(inputs.activities) == RUN).all()


def test_summaries_from_before_the_facts_were_stored_read_the_stream() -> None:
    acts = pd.DataFrame(
        {
            "id": ["old", "new", "named"],
            "sport": [None, None, "running"],
            "speed_median_mps": [None, 3.0, None],
            "speed_sustained_mps": [None, 3.5, None],
            "speed_facts_stored": [0, 1, 0],
        }
    )
    read: list[str] = []

    def streams(activity_id: str) -> pd.DataFrame:
        read.append(activity_id)
        return pd.DataFrame({"elapsed_s": np.arange(600.0), "speed_mps": np.full(600, 9.0)})

    out = with_speed_facts(acts, streams, DEFAULTS)
    assert read == ["old"]
    assert list(out["speed_median_mps"].iloc[:2]) == [9.0, 3.0]
    assert np.isnan(out["speed_median_mps"].iloc[2])
    assert "speed_facts_stored" not in out.columns


def test_a_spike_alone_in_a_window_after_a_pause_is_not_a_sustained_speed() -> None:
    # 20 min at 3 m/s, a 5-minute pause (no samples), one 15 m/s GPS jump at the restart,
    # then 20 min more at 3 m/s: the window after the pause holds the jump alone
    before = np.arange(0.0, 1200.0)
    after = np.arange(1500.0, 2700.0)
    seconds = np.r_[before, after]
    speed = np.full(len(seconds), 3.0)
    speed[len(before)] = 15.0
    frame = pd.DataFrame({"elapsed_s": seconds, "speed_mps": speed})
    median, sustained = speed_facts(frame, DEFAULTS)
    assert sustained == pytest.approx(3.0)
    assert (
        kind_of({"sport": None, "speed_median_mps": median, "speed_sustained_mps": sustained})
        == RUN
    )


def test_a_fragment_is_not_a_run_whatever_its_sport() -> None:
    # under a minute long, or somewhere under 100 m: no running day, no load
    assert kind_of({"sport": "running", "elapsed_s": 13.0, "distance_m": 5.7}) != RUN
    assert kind_of({"sport": "running", "elapsed_s": 300.0, "distance_m": 60.0}) != RUN
    assert kind_of({"sport": None, "elapsed_s": 45.0}) != RUN
    # a short run is still a run; so is one without a distance (a treadmill, HR only)
    assert kind_of({"sport": "running", "elapsed_s": 600.0, "distance_m": 1500.0}) == RUN
    assert kind_of({"sport": "running", "elapsed_s": 1800.0, "distance_m": 0.0}) == RUN
    # code review: a 30-minute indoor run whose GPS drifted 45 m is a run, not a fragment
    treadmill = {"sport": "running", "sub_sport": "treadmill", "elapsed_s": 1800.0}
    assert kind_of({**treadmill, "distance_m": 45.0}) == RUN
    assert kind_of({**treadmill, "distance_m": 45.0, "moving_s": 1750.0}) == RUN
    # a watch left running in a pocket: 15 minutes, 40 m, 20 s of it moving
    pocket = {"sport": "running", "elapsed_s": 900.0, "distance_m": 40.0, "moving_s": 20.0}
    assert kind_of(pocket) != RUN


def test_the_damaged_corpus_fragment_is_left_out(tmp_path: Path) -> None:
    # activity-activity-filecrc.fit (corpus invalid/): its second session is 13.7 s and
    # 5.73 m by the file's own session message; it gave a 2012 week with "1 run, 0.00 mi"
    path = DATA / "invalid" / "activity-activity-filecrc.fit"  # in tests/data (MIT, NOTICE)
    with Store.open(tmp_path / "data") as store:
        pipeline.import_paths([path], store)
        acts = from_store(store).activities
    frag = acts[acts["distance_m"] < 10]
    assert len(frag) == 1
    assert kinds(frag).tolist() == ["fragment too short for a run"]


def test_moving_speed_is_the_profile_standing_speed() -> None:
    # speed_facts reads Settings.stand_speed_mps (DOMAIN: standing still below it), so a
    # profile that changes it changes what counts as moving: 10 min at 0.4 m/s (standing
    # by the default 0.5, moving from 0.3), 10 min at 1.0 m/s and 10 min at 3.0 m/s
    speed = np.r_[np.full(600, 0.4), np.full(600, 1.0), np.full(600, 3.0)]
    frame = pd.DataFrame({"elapsed_s": np.arange(1800.0), "speed_mps": speed})
    assert speed_facts(frame, DEFAULTS)[0] == pytest.approx(2.0)  # median of 1.0 and 3.0
    assert speed_facts(frame, DEFAULTS.with_changes(stand_speed_mps=0.3))[0] == pytest.approx(1.0)
    assert speed_facts(frame, DEFAULTS.with_changes(stand_speed_mps=1.5))[0] == pytest.approx(3.0)
    # the sustained (2-minute median) speed is over every sample, whatever is standing
    assert speed_facts(frame, DEFAULTS.with_changes(stand_speed_mps=1.5))[1] == pytest.approx(3.0)


def test_stored_speed_facts_follow_the_profile(tmp_path: Path) -> None:
    # a run without a sport (its facts stored at import), then the profile's standing
    # speed raised to 1.5 m/s: the summary is recomputed, its slow seconds (4% of the run
    # against 1.5% under 0.5 m/s) left out of the moving median, which rises
    text = (DATA / "runpandas" / "strava_export.gpx").read_text()
    silent = tmp_path / "no-type.gpx"
    silent.write_text(re.sub(r"<type>.*?</type>", "", text))
    with Store.open(tmp_path / "data") as store:
        pipeline.import_paths([silent], store)
        (row,) = store.activities()
        frame = store.stream_frame(row.activity_id)
        default = store.activities_frame()["speed_median_mps"].iloc[0]
        pipeline.update_profile(store, {"stand_speed_mps": 1.5})
        changed = store.activities_frame()["speed_median_mps"].iloc[0]
    speed = frame["speed_mps"].to_numpy(dtype=float)
    assert default == pytest.approx(float(np.nanmedian(speed[speed >= 0.5])))
    assert changed == pytest.approx(float(np.nanmedian(speed[speed >= 1.5])))
    assert changed > default + 0.005  # 2.755 against 2.744 m/s
