"""Shared paths. Corpus checks skip with a reason where ../shared/corpus is absent."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
CORPUS = REPO.parent / "shared" / "corpus"


def load_script(path: Path, name: str) -> ModuleType:
    """A script of the repository (bench/, tools/) imported as the module ``name``; it
    stays in ``sys.modules``, where its dataclasses look their module up."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def corpus_or_skip() -> Path:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip(f"the test corpus is absent ({CORPUS}); it lies beside the checkout")
    return CORPUS


def fit_sessions() -> list[dict[str, str]]:
    """Rows of the corpus's fit_sessions.tsv: each device's own session summary."""
    with (corpus_or_skip() / "fit_sessions.tsv").open(newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture
def corpus() -> Path:
    return corpus_or_skip()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
