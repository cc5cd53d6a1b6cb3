from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from voxsearch.search import CatalogIndex, CatalogStore
from voxsearch.search.demo import build_demo_catalog
from voxsearch.types import CatalogEntry

logger = logging.getLogger(__name__)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> CatalogStore:
    store = CatalogStore(tmp_path_factory.mktemp("home"))
    result = store.import_entries(build_demo_catalog(), "places")
    logger.warning("demo catalog import: %d entries in %.2f s", result.entries, result.elapsed_s)
    return store


@pytest.fixture(scope="session")
def places(demo_store: CatalogStore) -> Iterator[CatalogIndex]:
    with demo_store.open("places") as index:
        yield index


MEDIA_ENTRIES = [
    CatalogEntry(id="song:bohemian", title="Bohemian Rhapsody", text="Queen", category="song", popularity=950),
    CatalogEntry(id="song:jolene", title="Jolene", text="Dolly Parton", category="song", popularity=400),
    CatalogEntry(id="song:radio", title="Radio Ga Ga", text="Queen", category="song", popularity=300),
    CatalogEntry(id="song:rhapsody-blue", title="Rhapsody in Blue", text="George Gershwin", category="song"),
    CatalogEntry(id="song:9to5", title="9 to 5", text="Dolly Parton", category="song", popularity=200),
    CatalogEntry(id="song:maryjane", title="Mary Jane", text="Rick James", category="song", popularity=150),
    CatalogEntry(id="recipe:tikka", title="Chicken Tikka Masala", text="curry with marinated chicken",
                 aliases=("Tikka Masala",), category="recipe", popularity=80),
    CatalogEntry(id="recipe:korma", title="Chicken Korma", text="mild curry", category="recipe", popularity=60),
    CatalogEntry(id="recipe:paneer", title="Paneer Tikka", text="grilled cheese skewers", category="recipe"),
]


def imported(tmp_path_factory: pytest.TempPathFactory, entries: list[CatalogEntry], name: str
             ) -> Iterator[CatalogIndex]:
    """The index of `entries` imported as catalog `name` into a fresh home (for a fixture to yield from)."""
    store = CatalogStore(tmp_path_factory.mktemp(f"{name}-home"))
    store.import_entries(entries, name)
    with store.open(name) as index:
        yield index


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogIndex]:
    yield from imported(tmp_path_factory, MEDIA_ENTRIES, "media")


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
