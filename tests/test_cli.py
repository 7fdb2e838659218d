"""The command line through click's CliRunner: help everywhere, exit codes, JSON keys."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from analyzer import pipeline
from analyzer.cli import cli
from analyzer.importers import read
from analyzer.metrics.heart import observed_max_bpm
from analyzer.settings import Settings
from tests.conftest import DATA

FIT = DATA / "python-fitparse/activity-small-fenix2-run.fit"

INSPECT_KEYS = {
    "sport", "start_time", "utc_offset_s", "elapsed_s", "timer_s", "distance_m",
    "points", "channels", "device", "device_summary",
}  # fmt: skip


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in sorted(group.commands.items()):
        out.append((*prefix, name))
        if isinstance(command, click.Group):
            out.extend(_commands(command, (*prefix, name)))
    return out


def test_every_command_has_help_text_and_an_example() -> None:
    runner = CliRunner()
    commands = _commands(cli)
    assert ("inspect",) in commands
    for path in [(), *commands]:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output
        if path:
            assert "Example" in result.output, path
    # every option of every command carries help text
    for path in commands:
        command: click.Command = cli
        for part in path:
            assert isinstance(command, click.Group)
            command = command.commands[part]
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, (path, param.name)


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert "analyzer" in result.output


def test_inspect_json_has_the_documented_keys() -> None:
    result = CliRunner().invoke(cli, ["inspect", "--json", str(FIT)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["file"] == str(FIT)
    assert isinstance(report["warnings"], list)
    [activity] = report["activities"]
    assert set(activity) >= INSPECT_KEYS
    assert activity["start_time"].endswith("+00:00")
    # fit_sessions.tsv: total_distance 9008.22 m
    assert activity["distance_m"] == pytest.approx(9008.22, rel=1e-3)
    assert activity["device_summary"]["total_distance"] == pytest.approx(9008.22)


def test_inspect_human_output_in_miles_and_km() -> None:
    runner = CliRunner()
    miles = runner.invoke(cli, ["inspect", str(FIT)])
    assert miles.exit_code == 0
    assert "5.60 mi" in miles.output  # 9008.22 m / 1609.344
    km = runner.invoke(cli, ["inspect", "--units", "km", str(FIT)])
    assert "9.01 km" in km.output


def test_inspect_not_an_activity_exits_1_naming_the_file() -> None:
    path = DATA / "invalid/Settings.fit"
    result = CliRunner().invoke(cli, ["inspect", str(path)])
    assert result.exit_code == 1
    assert str(path) in result.output
    assert "settings" in result.output


def test_inspect_damaged_file_exits_0_with_a_warning() -> None:
    result = CliRunner().invoke(cli, ["inspect", str(DATA / "invalid/activity-filecrc.fit")])
    assert result.exit_code == 0
    assert "CRC" in result.output


def test_usage_errors_exit_2(tmp_path: object) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["inspect"]).exit_code == 2
    assert runner.invoke(cli, ["inspect", "--units", "furlongs", str(FIT)]).exit_code == 2
    assert runner.invoke(cli, ["inspect", "/no/such/file.fit"]).exit_code == 2


def test_inspect_takes_the_maximum_heart_rate_across_the_sessions_of_a_file() -> None:
    # the fenix 2 triathlon: each leg used to be judged against its own maximum (115 bpm
    # for a transition: an easy limit of 80 bpm), or none at all
    path = DATA / "python-fitparse" / "activity-large-fenxi2-multisport.fit"
    report = pipeline.inspect_file(path, Settings())
    used = {a["hr_max_used_bpm"] for a in report["activities"]}
    held = [observed_max_bpm(a.frame, Settings()) for a in read(path)]
    assert used == {max(v for v in held if v is not None)}
