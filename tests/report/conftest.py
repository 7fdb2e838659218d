"""The sample report, built once per session through the CLI (import, logs, report)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from analyzer.cli import cli

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"
WEEKS = [f"2026-W{n}" for n in range(42, 48)]
#: Debian's Chromium, driven by Playwright; never a browser download
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test of the session."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: `make browser` installs it")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


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
