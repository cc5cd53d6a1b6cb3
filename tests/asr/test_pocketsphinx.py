"""PocketSphinx specifics: clean word output, custom language model and dictionary, model errors."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from tests.asr.clips import CLIP_IDS, CLIPS
from voxsearch.asr import PocketsphinxEngine, PocketsphinxOptions
from voxsearch.audio.denoise import denoise
from voxsearch.config import DenoiseSettings
from voxsearch.errors import ModelError
from voxsearch.types import Audio, Transcript

CATALOG_WORDS = ("directions", "to", "san", "francisco", "weather", "in", "chicago")


def _catalog_model(folder: Path) -> PocketsphinxOptions:
    """A unigram LM and a dictionary holding only CATALOG_WORDS (lines taken from the bundled CMUdict)."""
    import pocketsphinx

    bundled = Path(pocketsphinx.get_model_path("en-us/cmudict-en-us.dict")).read_text(encoding="utf-8")
    entries = [line for line in bundled.splitlines() if re.sub(r"\(\d+\)$", "", line.split(" ", 1)[0]) in CATALOG_WORDS]
    (folder / "catalog.dict").write_text("\n".join(entries) + "\n", encoding="utf-8")
    logp = round(math.log10(1 / (len(CATALOG_WORDS) + 1)), 4)
    unigrams = [f"{logp} {w} 0" for w in ("</s>", *CATALOG_WORDS)] + ["-99 <s> 0"]
    arpa = ["\\data\\", f"ngram 1={len(unigrams)}", "", "\\1-grams:", *unigrams, "", "\\end\\", ""]
    (folder / "catalog.lm").write_text("\n".join(arpa), encoding="utf-8")
    return PocketsphinxOptions(lm_path=folder / "catalog.lm", dict_path=folder / "catalog.dict")


def test_words_have_no_fillers_or_pronunciation_markers(pocketsphinx_engine) -> None:
    for _, audio in CLIPS:
        transcript = pocketsphinx_engine.transcribe(audio)
        tokens = transcript.text.split() + [w.text for w in transcript.words]
        tokens += [t for h in transcript.nbest for t in h.text.split()]
        assert not [t for t in tokens if re.search(r"[<>\[\]()+]", t)], transcript


def test_catalog_language_model_fixes_a_misrecognition(pocketsphinx_engine, tmp_path: Path) -> None:
    audio = CLIPS[CLIP_IDS.index("flite_directions")][1]
    assert pocketsphinx_engine.transcribe(audio).text != "directions to san francisco"  # general LM
    engine = PocketsphinxEngine(_catalog_model(tmp_path))
    transcript: Transcript = engine.transcribe(audio)
    assert transcript.text == "directions to san francisco"
    assert engine.info.options["lm"] == "catalog.lm"
    assert engine.info.version != pocketsphinx_engine.info.version


@pytest.mark.parametrize("option", ["lm_path", "dict_path", "hmm_dir"])
def test_missing_model_file_names_the_path(tmp_path: Path, option: str) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(ModelError, match=re.escape(str(missing))):
        PocketsphinxEngine(PocketsphinxOptions(**{option: missing}))


def test_unreadable_language_model_raises_model_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.lm"
    bogus.write_text("this is not an ARPA file\n", encoding="utf-8")
    with pytest.raises(ModelError, match="bogus.lm"):
        PocketsphinxEngine(PocketsphinxOptions(lm_path=bogus))


def test_denoising_front_end_changes_only_noisy_clips(pocketsphinx_engine) -> None:
    """A version tuned to denoise its input decodes noisy clips as the plain decoder decodes them denoised, and
    clean clips exactly as they came."""
    settings = DenoiseSettings(enabled=True)
    engine = PocketsphinxEngine(PocketsphinxOptions(denoise=settings))
    clean = CLIPS[CLIP_IDS.index("flite_directions")][1]
    assert not engine.denoises(clean)
    assert engine.transcribe(clean).text == pocketsphinx_engine.transcribe(clean).text
    power = float(np.mean(clean.samples.astype(np.float64) ** 2))
    noise = np.random.default_rng(5).normal(0, np.sqrt(power / 10 ** 0.5), clean.samples.shape)  # 5 dB SNR
    noisy = Audio(samples=(clean.samples + noise).astype(np.float32), sample_rate=clean.sample_rate)
    assert engine.denoises(noisy)
    assert engine.transcribe(noisy).text == pocketsphinx_engine.transcribe(denoise(noisy, settings)[0]).text
    assert engine.info.options["denoise"]["over_subtraction"] == settings.over_subtraction
    assert "denoise" not in pocketsphinx_engine.info.options


def test_a_version_that_denoises_replaces_the_pipelines_denoise_stage(pocketsphinx_engine, whisper_engine) -> None:
    """VOXSEARCH_DENOISE__ENABLED=true and a version trained to denoise: the clip is denoised once, by the
    version (alone or as a hybrid's catalog part), never twice."""
    from voxsearch.asr.hybrid_engine import HybridEngine
    from voxsearch.config import AudioLimits
    from voxsearch.pipeline import Pipeline

    switched_on = DenoiseSettings(enabled=True)
    denoising = PocketsphinxEngine(PocketsphinxOptions(denoise=switched_on))
    clip = CLIPS[CLIP_IDS.index("flite_directions")][1]
    for engine, stage in ((pocketsphinx_engine, True), (denoising, False)):
        pipeline = Pipeline(engine, None, AudioLimits(), denoise=switched_on)
        assert ("denoise" in pipeline.recognize_audio(clip, None).timings_ms) is stage
    # a hybrid's catalog part (its decoding needs a catalog LM: tests/train/test_hybrid)
    assert Pipeline(HybridEngine(denoising, whisper_engine), None, AudioLimits(), denoise=switched_on).denoise is None
