"""Searching the n-best: a catalog name the recognizer ranked second can still be found."""

from __future__ import annotations

from pathlib import Path

import pytest

from voxsearch.config import SearchSettings
from voxsearch.pipeline import search_hypotheses
from voxsearch.search import CatalogIndex, CatalogStore
from voxsearch.types import CatalogEntry, Hypothesis, ModelInfo, Transcript

CITIES = [
    CatalogEntry(id="austin", title="Austin", popularity=900_000),
    CatalogEntry(id="boston", title="Boston", popularity=650_000),
    CatalogEntry(id="denver", title="Denver", popularity=700_000),
]
MODEL = ModelInfo(engine="test-fixture", version="0")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CatalogIndex:
    home: Path = tmp_path_factory.mktemp("home")
    store = CatalogStore(home)
    store.import_entries(CITIES, "cities")
    return store.open("cities")


def transcript(*nbest: tuple[str, float]) -> Transcript:
    return Transcript(text=nbest[0][0], model=MODEL, nbest=tuple(Hypothesis(t, s) for t, s in nbest))


def test_an_unmatched_best_hypothesis_falls_back_to_the_next(index: CatalogIndex) -> None:
    heard = transcript(("weather in zxqv", -0.40), ("weather in denver", -0.55))
    hits = search_hypotheses(index, heard, 3, SearchSettings())
    assert hits[0].id == "denver"
    plain = index.search("weather in denver", top_k=1)[0]
    assert hits[0].score == pytest.approx(plain.score - 0.15, abs=1e-6)


def test_the_best_hypothesis_keeps_the_lead_and_alternatives_follow(index: CatalogIndex) -> None:
    heard = transcript(("directions to boston", -0.30), ("directions to austin", -0.60))
    hits = search_hypotheses(index, heard, 3, SearchSettings())
    assert [h.id for h in hits[:2]] == ["boston", "austin"]
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))


@pytest.mark.parametrize("options", [SearchSettings(nbest_hypotheses=1), SearchSettings(nbest_weight=0.0)])
def test_one_hypothesis_is_a_plain_search(index: CatalogIndex, options: SearchSettings) -> None:
    heard = transcript(("directions to boston", -0.30), ("directions to austin", -0.31))
    assert search_hypotheses(index, heard, 3, options) == tuple(index.search("directions to boston", top_k=3))
