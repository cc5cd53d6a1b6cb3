"""Both engines on real speech: accuracy, word confidences, n-best, provenance, repeatability."""

from __future__ import annotations

import re

import pytest

from voxsearch.asr import Engine
from voxsearch.types import Transcript

from tests.asr.clips import CLIP_IDS, CLIPS, word_errors

# Set from measurements (see tests/data/asr/README.md), with margin: per clip, and over all clips.
MAX_CLIP_WER = {"whisper": 0.35, "pocketsphinx": 0.6}
MAX_CORPUS_WER = {"whisper": 0.2, "pocketsphinx": 0.3}


@pytest.mark.parametrize("clip_id", CLIP_IDS)
def test_clip_wer_within_bound(engine: Engine, transcripts: dict[str, Transcript], clip_id: str) -> None:
    reference = CLIPS[CLIP_IDS.index(clip_id)][0].text
    errors, words = word_errors(reference, transcripts[clip_id].text)
    assert errors / words <= MAX_CLIP_WER[engine.info.engine], (reference, transcripts[clip_id].text)


def test_corpus_wer_within_bound(engine: Engine, transcripts: dict[str, Transcript]) -> None:
    counts = [word_errors(utt.text, transcripts[cid].text) for cid, (utt, _) in zip(CLIP_IDS, CLIPS)]
    wer = sum(e for e, _ in counts) / sum(n for _, n in counts)
    assert wer <= MAX_CORPUS_WER[engine.info.engine]


def test_text_is_stripped_and_matches_words(transcripts: dict[str, Transcript]) -> None:
    for transcript in transcripts.values():
        assert transcript.text and transcript.text == transcript.text.strip()
        assert " ".join(w.text for w in transcript.words) == " ".join(transcript.text.split())


def test_words_carry_confidences_and_ordered_times(transcripts: dict[str, Transcript]) -> None:
    for clip_id, transcript in transcripts.items():
        duration_s = CLIPS[CLIP_IDS.index(clip_id)][1].duration_s
        assert transcript.words
        assert 0.0 <= transcript.confidence <= 1.0
        previous_end = 0.0
        for word in transcript.words:
            assert 0.0 <= word.confidence <= 1.0
            assert previous_end <= word.start_s < word.end_s <= duration_s + 0.05
            previous_end = word.end_s


def test_nbest_starts_with_the_transcript_and_is_distinct(transcripts: dict[str, Transcript]) -> None:
    for transcript in transcripts.values():
        texts = [h.text for h in transcript.nbest]
        assert texts[0] == transcript.text
        assert len(texts) == len(set(texts)) <= transcript.model.options["nbest_size"]


def test_nbest_offers_alternatives(transcripts: dict[str, Transcript]) -> None:
    assert max(len(t.nbest) for t in transcripts.values()) >= 2


def test_info_identifies_engine_model_and_options(engine: Engine, transcripts: dict[str, Transcript]) -> None:
    from importlib.metadata import version

    package = {"whisper": "faster-whisper", "pocketsphinx": "pocketsphinx"}[engine.info.engine]
    model = {"whisper": "tiny.en", "pocketsphinx": "en-us"}[engine.info.engine]
    assert re.fullmatch(rf"{re.escape(version(package))}/{re.escape(model)}/[0-9a-f]{{8}}", engine.info.version)
    assert engine.info.options["nbest_size"] == 5
    assert all(t.model == engine.info for t in transcripts.values())
    assert isinstance(engine, Engine)


def test_repeated_transcription_is_identical(engine: Engine, transcripts: dict[str, Transcript]) -> None:
    audio = CLIPS[0][1]
    assert engine.transcribe(audio) == transcripts[CLIP_IDS[0]]
