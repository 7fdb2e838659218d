"""The benchmarks import: a rename in the package must not leave a bench broken until
someone next runs it (bench/report.py imported a function that had moved)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import load_script

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*.py")))
def test_each_bench_imports(script: str) -> None:
    name = f"bench_{script[:-3]}"
    try:
        module = load_script(BENCH / script, name)  # defines; each runs only under __main__
    finally:
        sys.modules.pop(name, None)
    assert callable(getattr(module, "main", None))
