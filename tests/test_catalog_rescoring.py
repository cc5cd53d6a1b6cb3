"""Catalog rescoring with the real Whisper engine: readings proposed by search hits, scored on the audio."""

from __future__ import annotations

import pytest

from voxsearch.audio import load_audio, prepare_for_asr
from voxsearch.catalog_rescoring import CatalogRescoring, ScoredCandidate, pick, score_candidates
from voxsearch.config import Settings
from voxsearch.eval.dataset import load_eval_set
from voxsearch.types import Hypothesis, ModelInfo, SearchHit, Transcript

from tests.train.test_adaptation import MANIFEST

pytest.importorskip("faster_whisper", reason="the whisper extra is not installed")

MODEL = ModelInfo(engine="test", version="1")


@pytest.fixture(scope="module")
def engine():
    from voxsearch.asr.whisper_engine import WhisperEngine

    return WhisperEngine()


def _clip(text: str):
    item = next(i for i in load_eval_set(MANIFEST).items if i.reference == text and i.tags["noise"] == "clean")
    return prepare_for_asr(load_audio(item.path, Settings().limits))


def test_the_spoken_text_scores_above_an_unrelated_one(engine) -> None:
    engine.transcribe(_clip("weather in kinshasa"))
    (spoken, n_spoken), (other, _) = engine.score_texts(["Weather in Kinshasa.", "Set a timer for ten minutes."])
    assert n_spoken > 0 and spoken > other + 5


def test_readings_of_the_hits_are_scored_next_to_the_n_best(engine) -> None:
    transcript = engine.transcribe(_clip("weather in kinshasa"))
    hits = [SearchHit("city:2314302", "Kinshasa, CD", 0.9, "city"), SearchHit("city:1", "Kisangani, CD", 0.5, "city")]
    scored = score_candidates(engine, transcript, hits, CatalogRescoring(candidates=4))
    own = [c for c in scored if c.entity_id is None]
    readings = [c for c in scored if c.entity_id is not None]
    assert {c.text for c in own} == {h.text.strip() for h in transcript.nbest}
    assert 0 < len(readings) <= 4 and "Weather in Kinshasa." in {c.text for c in readings}
    best = pick(transcript, scored, CatalogRescoring(bonus=4.0))
    assert best.text == "Weather in Kinshasa."


def test_pick_follows_bonus_and_keeps_the_rest_of_the_n_best() -> None:
    transcript = Transcript("Whether in Arizona.", MODEL, nbest=(Hypothesis("Whether in Arizona.", -0.2),
                                                                 Hypothesis("weather in Arizona", -0.4)))
    scored = [ScoredCandidate("Whether in Arizona.", None, -1.0, 5),
              ScoredCandidate("Weather in Arizona.", "state:AZ", -3.0, 5)]
    assert pick(transcript, scored, CatalogRescoring(bonus=1.0)) is transcript
    chosen = pick(transcript, scored, CatalogRescoring(bonus=2.5))
    assert chosen.text == "Weather in Arizona."
    assert [h.text for h in chosen.nbest] == ["Weather in Arizona.", "Whether in Arizona.", "weather in Arizona"]
    assert chosen.words == ()
    assert pick(transcript, [], CatalogRescoring()) is transcript
