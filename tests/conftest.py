"""Shared fixtures: the committed corpus subset and a demo-catalog home built once per session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from voxsearch.types import Utterance

DATA_DIR = Path(__file__).parent / "data"
CORPUS_DIR = DATA_DIR / "corpus"


def load_corpus() -> list[Utterance]:
    lines = (CORPUS_DIR / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [Utterance.from_dict(json.loads(line)) for line in lines if line.strip()]


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`make test`), each file's tests run on one worker, so module fixtures are built once;
    the tests of the shared `train --engine auto` run go together, so it is trained once, and first: started
    last, it kept one worker busy alone for the last 5 minutes."""
    for item in items:
        group = "auto_trained" if "auto_trained" in item.fixturenames else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: "auto_trained" not in item.fixturenames)  # stable: the rest keep their order


def pytest_configure(config: pytest.Config) -> None:
    """Refuse a pytest whose xdist would ignore the groups (and silently train the shared models once per worker)."""
    if config.getoption("dist", "no") == "loadgroup" and tuple(map(int, pytest.__version__.split(".")[:2])) >= (9, 2):
        raise pytest.UsageError(f"pytest {pytest.__version__} makes pytest-xdist ignore test groups "
                                "(pytest-dev/pytest-xdist#1386); install the dev extra again (it pins pytest < 9.2)")


@pytest.fixture(scope="session")
def corpus() -> list[Utterance]:
    return load_corpus()


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A VOXSEARCH_HOME holding the demo catalog as 'places' (built once per test session)."""
    from voxsearch.search import CatalogStore
    from voxsearch.search.demo import build_demo_catalog

    home = tmp_path_factory.mktemp("voxsearch-home")
    CatalogStore(home).import_entries(build_demo_catalog(), "places")
    return home


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("VOXSEARCH_"):
            monkeypatch.delenv(key)
