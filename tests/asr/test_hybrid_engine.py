"""The hybrid engine's routing on real engines and a real catalog index: "scores" compares pocketsphinx's two
searches, "general" puts Whisper's text first and decodes pocketsphinx's catalog search alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.asr.clips import CLIP_IDS, CLIPS
from tests.asr.test_pocketsphinx import _catalog_model
from voxsearch.asr import PocketsphinxEngine, PocketsphinxOptions
from voxsearch.asr.hybrid_engine import HybridEngine, MatchThresholds, whisper_doubt
from voxsearch.search import CatalogStore
from voxsearch.text.normalize import normalize_for_scoring
from voxsearch.types import CatalogEntry


class _CountingPocketsphinx(PocketsphinxEngine):
    """The real decoder, noting which searches it ran."""

    searches: list[str]

    def _decode(self, pcm: bytes, duration_s: float, search: str):  # type: ignore[no-untyped-def]
        self.searches.append(search)
        return super()._decode(pcm, duration_s, search)


@pytest.fixture(scope="module")
def catalog_engine(tmp_path_factory: pytest.TempPathFactory) -> _CountingPocketsphinx:
    small = _catalog_model(tmp_path_factory.mktemp("catalog-lm"))
    engine = _CountingPocketsphinx(PocketsphinxOptions(catalog_lm_path=small.lm_path))
    engine.searches = []
    return engine


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    store = CatalogStore(tmp_path_factory.mktemp("home"))
    store.import_entries([CatalogEntry(id="sf", title="San Francisco"), CatalogEntry(id="chi", title="Chicago"),
                          CatalogEntry(id="ny", title="New York")], "cities")
    index = store.open("cities")

    def best_match(text: str) -> float:
        hits = index.search(text, top_k=1)
        return hits[0].score if hits else 0.0

    return best_match


def _clip(name: str):  # type: ignore[no-untyped-def]
    return CLIPS[CLIP_IDS.index(name)][1]


def test_general_routing_decodes_only_the_catalog_search(catalog_engine, whisper_engine, matcher) -> None:
    hybrid = HybridEngine(catalog_engine, whisper_engine, matcher, MatchThresholds(catalog=0.5), routing="general")
    audio = _clip("flite_directions")
    catalog_engine.searches.clear()
    transcript = hybrid.transcribe(audio)
    assert catalog_engine.searches == ["catalog"]
    # Whisper's text, or the catalog's when it names an entry better
    assert normalize_for_scoring(transcript.text) == "directions to san francisco"
    assert transcript.model.options["routing"] == "general"
    catalog_engine.searches.clear()
    HybridEngine(catalog_engine, whisper_engine, matcher, MatchThresholds(catalog=0.5)).transcribe(audio)
    assert sorted(catalog_engine.searches) == ["_default", "catalog"]  # "scores" compares both searches


def test_general_routing_keeps_whisper_for_speech_that_names_nothing(catalog_engine, whisper_engine, matcher) -> None:
    hybrid = HybridEngine(catalog_engine, whisper_engine, matcher, MatchThresholds(catalog=0.97), routing="general")
    audio = _clip("festival_restaurants")
    heard = whisper_engine.transcribe(audio).text
    transcript = hybrid.transcribe(audio)
    assert transcript.text == heard
    assert [h.text for h in transcript.nbest][:1] == [heard]


def test_general_routing_needs_a_matcher(catalog_engine, whisper_engine) -> None:
    with pytest.raises(ValueError, match="general"):
        HybridEngine(catalog_engine, whisper_engine, None, routing="general")
    with pytest.raises(ValueError, match="routing"):
        HybridEngine(catalog_engine, whisper_engine, lambda text: 0.0, routing="loudest")  # type: ignore[arg-type]


def test_catalog_transcript_is_the_catalog_search_of_catalog_hypothesis(catalog_engine: PocketsphinxEngine,
                                                                       tmp_path: Path) -> None:
    audio = _clip("festival_weather")
    assert catalog_engine.catalog_transcript(audio).text == catalog_engine.catalog_hypothesis(audio)[0].text


def test_whisper_veto_gives_back_speech_the_catalog_lm_turned_into_names(catalog_engine, whisper_engine,
                                                                         matcher) -> None:
    # a catalog threshold of 0 hands every clip to the catalog hypothesis when it names something better
    loose = HybridEngine(catalog_engine, whisper_engine, matcher, MatchThresholds(catalog=0.0), routing="general")
    vetoed = HybridEngine(catalog_engine, whisper_engine, matcher, MatchThresholds(catalog=0.0), routing="general",
                          whisper_veto=5.0)
    for name in ("festival_restaurants", "cmu_goforward"):  # out of the catalog: its LM makes names of them
        audio = _clip(name)
        heard = whisper_engine.transcribe(audio).text
        guessed = loose.transcribe(audio).text
        assert guessed == catalog_engine.catalog_transcript(audio).text != heard
        assert whisper_doubt(whisper_engine, heard, guessed) > 5.0
        assert vetoed.transcribe(audio).text == heard
    kept = vetoed.transcribe(_clip("flite_directions"))
    assert normalize_for_scoring(kept.text) == "directions to san francisco"
    assert kept.model.options["whisper_veto"] == 5.0 and "whisper_veto" not in loose.info.options


@pytest.mark.parametrize("veto", [float("nan"), "5", float("inf")])
def test_whisper_veto_must_be_a_finite_number(catalog_engine, whisper_engine, matcher, veto) -> None:
    with pytest.raises(ValueError, match="whisper_veto"):
        HybridEngine(catalog_engine, whisper_engine, matcher, whisper_veto=veto)


def test_whisper_veto_needs_a_matcher(catalog_engine, whisper_engine) -> None:
    with pytest.raises(ValueError, match="whisper_veto"):
        HybridEngine(catalog_engine, whisper_engine, None, whisper_veto=5.0)
