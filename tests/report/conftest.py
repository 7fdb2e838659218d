"""The sample report, built once per session through the CLI (import, logs, report)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import cli

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"
WEEKS = [f"2026-W{n}" for n in range(42, 48)]


def run_cli(data: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--data-dir", str(data), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the six sample weeks, both CSV logs and the sample profile."""
    data = tmp_path_factory.mktemp("data")
    run_cli(
        data,
        *("profile", "set", "--age", "44", "--hr-max", "178", "--hr-rest", "55"),
        *("--timezone", "Europe/London"),
    )
    run_cli(data, "import", "--quiet", str(SAMPLE))
    run_cli(data, "log", "import", "--replace", str(SAMPLE / "symptoms.csv"))
    run_cli(data, "drops", "import", "--replace", str(SAMPLE / "heel_drops.csv"))
    return data


@pytest.fixture(scope="session")
def sample_reports(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    run_cli(sample_store, "report", "--all", "--out", str(out))
    return out
