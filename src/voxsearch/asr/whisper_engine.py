"""Whisper backend through faster-whisper (CTranslate2), default model: the bundled tiny.en (asr/whisper_models).

Decoding uses temperature 0 only (no sampling fallback), so results are reproducible. The n-best
comes from the same beam search (see whisper_nbest); clips longer than one 30 s window get one entry.
A voice query is short, so a clip gets at most `TOKEN_BUDGET` new tokens: this stops the repetition
loops Whisper falls into on noise ("during the fifth time of ten minutes, during the fifth..."), which
took dev-split WER on noisy in-domain clips from 298% to 109%. `hotwords` (e.g. catalog names) go into
the decoder's prompt; `score_texts` scores any text against the last clip, for catalog rescoring.
"""

from __future__ import annotations

import importlib.util
import logging
import math
from collections.abc import Sequence
from importlib.metadata import version

import numpy as np

from voxsearch.asr.engine import check_asr_input
from voxsearch.asr.fingerprint import fingerprint_files
from voxsearch.asr.whisper_models import MODEL_FILES, VOCABULARY_FILES, resolve_whisper_model
from voxsearch.asr.whisper_nbest import BeamRecorder
from voxsearch.config import EngineSettings
from voxsearch.errors import EngineError, ModelError, missing_extra
from voxsearch.types import Audio, Hypothesis, ModelInfo, Transcript, Word

logger = logging.getLogger(__name__)

WINDOW_S = 30.0
TOKEN_BUDGET = (10, 6.0)  # new tokens per clip: fixed + per second of audio
_MIN_PROBABILITY = 1e-12


class WhisperEngine:
    """A faster-whisper `WhisperModel` on CPU, loaded once at construction, never from the network.

    Not thread-safe: one instance serves one thread at a time.
    """

    def __init__(self, settings: EngineSettings | None = None, nbest_size: int = 5,
                 hotwords: str | None = None) -> None:
        if importlib.util.find_spec("faster_whisper") is None:
            raise missing_extra("faster-whisper", "whisper", "The whisper engine")
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer

        settings = settings or EngineSettings()
        if nbest_size < 1:
            raise ModelError(f"nbest_size is {nbest_size}; use 1 or more")
        model_dir, model_name = resolve_whisper_model(settings.whisper_model)
        try:
            self._model = WhisperModel(
                str(model_dir),
                device="cpu",
                compute_type=settings.whisper_compute_type,
                cpu_threads=settings.threads,
                num_workers=1,
            )
        except (RuntimeError, ValueError, OSError) as e:
            raise ModelError(
                f"could not load whisper model {model_dir} with compute_type {settings.whisper_compute_type!r}: "
                f"{e}; check that it is a complete CTranslate2 Whisper conversion"
            ) from e
        self._tokenizer = Tokenizer(self._model.hf_tokenizer, self._model.model.is_multilingual, "transcribe", "en")
        self._last_duration_s = 0.0
        self.catalog_rescoring: object | None = None  # a model version's CatalogRescoring, read by Pipeline
        self._beams = BeamRecorder(self._model.model, nbest_size)
        self._model.model = self._beams
        self._options = {
            "language": "en",
            "beam_size": settings.whisper_beam_size,
            "temperature": 0.0,
            "vad_filter": False,
            "condition_on_previous_text": False,
            "word_timestamps": True,
            "hotwords": hotwords or None,
        }
        files = [model_dir / name for name in (*MODEL_FILES, *VOCABULARY_FILES) if (model_dir / name).is_file()]
        digest = fingerprint_files(files)
        self.info = ModelInfo(
            engine="whisper",
            version=f"{version('faster-whisper')}/{model_name}/{digest}",
            options={**self._options, "compute_type": settings.whisper_compute_type, "nbest_size": nbest_size},
        )
        logger.debug("loaded whisper %s from %s", self.info.version, model_dir)

    def transcribe(self, audio: Audio) -> Transcript:
        samples = check_asr_input(audio)
        self._beams.clear()
        self._last_duration_s = audio.duration_s
        if samples.size == 0:
            return Transcript(text="", model=self.info)
        budget = int(TOKEN_BUDGET[0] + TOKEN_BUDGET[1] * audio.duration_s)
        segments, _ = self._model.transcribe(samples, **self._options, max_new_tokens=budget)
        segments = list(segments)  # the generator decodes lazily
        text = "".join(s.text for s in segments).strip()
        words = tuple(
            Word(w.word.strip(), float(w.start), float(w.end), min(1.0, max(0.0, float(w.probability))))
            for s in segments
            for w in (s.words or ())
        )
        tokens = sum(len(s.tokens) for s in segments)
        avg_logprob = sum(s.avg_logprob * len(s.tokens) for s in segments) / tokens if tokens else None
        if not text or avg_logprob is None:
            return Transcript(text=text, model=self.info, words=words)
        best = Hypothesis(text, avg_logprob)
        return Transcript(
            text=text,
            model=self.info,
            words=words,
            confidence=math.exp(avg_logprob),
            nbest=self._beams.nbest(best, self._tokenizer),
        )


    def encode(self, audio: Audio) -> None:
        """Encode a clip without decoding it, so `score_texts` can score texts against it (the first 30 s)."""
        from faster_whisper.audio import pad_or_trim

        samples = check_asr_input(audio)
        self._beams.clear()
        self._last_duration_s = audio.duration_s
        features = self._model.feature_extractor(samples)
        content = features[:, : min(features.shape[-1] - 1, self._model.feature_extractor.nb_max_frames)]
        self._model.encode(pad_or_trim(content))  # kept by the BeamRecorder, as in transcribe

    def score_texts(self, texts: Sequence[str]) -> list[tuple[float, int]]:
        """(sum of token log-probabilities, token count) of each text as a reading of the last clip.

        Forced decoding through the same model (CTranslate2 `align`), one text at a time (batching
        copies the encoder output and is slower on CPU). Only for clips of one 30 s window.
        """
        if not self._beams.encoder_outputs or self._last_duration_s > WINDOW_S:
            raise EngineError(f"score_texts needs a decoded clip of at most {WINDOW_S:.0f} s; call transcribe first")
        encoder_output = self._beams.encoder_outputs[0]  # the first window holds the whole clip
        scores = []
        for text in texts:
            tokens = self._tokenizer.encode(" " + text.strip())
            if not tokens:
                scores.append((-math.inf, 0))
                continue
            result = self._beams.align(encoder_output, self._tokenizer.sot_sequence, [tokens], encoder_output.shape[1])
            probabilities = np.maximum(np.asarray(result[0].text_token_probs, dtype=np.float64), _MIN_PROBABILITY)
            scores.append((float(np.log(probabilities).sum()), len(tokens)))
        return scores


def written_as_whisper(text: str) -> str:
    """A lowercase query written the way Whisper writes one: capital first letter, final period. Whisper
    scores a text in another form lower, by several nats for a short query, for its form alone."""
    text = " ".join(text.split())
    return text[:1].upper() + text[1:] + "." if text else ""
