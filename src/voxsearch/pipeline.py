"""The one place that composes a request: decode → 16 kHz mono → VAD trim → ASR → search.

A `Pipeline` owns one engine instance and one VAD instance and is used by one thread at a time;
the server keeps a pool of them. Every stage's wall time goes into the result. An engine adapted to
a catalog may carry `catalog_rescoring` options: its transcript is then rescored against catalog
readings proposed by the search (see catalog_rescoring).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from voxsearch.audio import Vad, create_vad, decode_audio, prepare_for_asr, trim_to_speech
from voxsearch.audio.denoise import denoise
from voxsearch.asr import Engine, create_engine
from voxsearch.catalog_rescoring import CatalogRescoring, rescore
from voxsearch.config import AudioLimits, DenoiseSettings, SearchSettings, Settings
from voxsearch.types import Audio, SearchHit, Transcript

if TYPE_CHECKING:
    from voxsearch.search import CatalogIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecognizeResult:
    transcript: Transcript
    results: tuple[SearchHit, ...]
    timings_ms: dict[str, float]
    audio_duration_s: float
    speech_duration_s: float
    catalog: str | None = None

    def to_wire(self, **extra: Any) -> dict[str, Any]:
        """The wire contract's answer (DESIGN.md); `extra` adds fields such as request_id or file."""
        return {
            **extra,
            "transcript": self.transcript.text,
            "results": [hit.to_wire() for hit in self.results],
            "model": self.transcript.model.to_wire(),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


@dataclass
class _Stopwatch:
    timings_ms: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings_ms[name] = (time.perf_counter() - start) * 1000.0


def engine_denoises_its_input(engine: Engine) -> bool:
    """Whether a trained model version runs its own denoising (pocketsphinx's, alone or in a hybrid): its
    choice replaces the global switch, else a clip would be denoised twice."""
    options = engine.info.options
    return options.get("denoise") is not None or (options.get("catalog") or {}).get("denoise") is not None


class Pipeline:
    def __init__(
        self,
        engine: Engine,
        vad: Vad | None,
        limits: AudioLimits,
        pad_ms: int = 200,
        search: SearchSettings = SearchSettings(),
        denoise: DenoiseSettings | None = None,
        keep_below_snr_db: float | None = None,  # VadSettings.keep_below_snr_db
    ) -> None:
        self.engine = engine
        self.denoise = denoise if denoise is not None and denoise.enabled else None
        if self.denoise is not None and engine_denoises_its_input(engine):
            log.info("%s denoises its own input as trained: the pipeline's denoise stage is skipped",
                     engine.info.version)
            self.denoise = None
        self.vad = vad
        self.limits = limits
        self.pad_ms = pad_ms
        self.keep_below_snr_db = keep_below_snr_db
        self.search = search
        self.rescoring: CatalogRescoring | None = getattr(engine, "catalog_rescoring", None)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Pipeline":
        """Load the engine and VAD named by the settings (slow: loads model weights)."""
        return cls.with_engine(create_engine(settings.engine), settings)

    @classmethod
    def with_engine(cls, engine: Engine, settings: Settings) -> "Pipeline":
        """A pipeline around an engine already loaded (e.g. a model version), the rest from the settings."""
        return cls(engine, create_vad(settings.vad), settings.limits, settings.vad.pad_ms, settings.search,
                   settings.denoise, settings.vad.keep_below_snr_db)

    def close(self) -> None:
        """Free what the engine holds outside this process (an isolated decoder's process), if anything."""
        close = getattr(self.engine, "close", None)
        if close is not None:
            close()

    def recognize(self, data: bytes, index: "CatalogIndex | None", top_k: int = 5) -> RecognizeResult:
        watch = _Stopwatch()
        with watch.stage("decode"):
            audio = prepare_for_asr(decode_audio(data, self.limits))
        return self._recognize_audio(audio, index, top_k, watch)

    def recognize_audio(self, audio: Audio, index: "CatalogIndex | None", top_k: int = 5) -> RecognizeResult:
        watch = _Stopwatch()
        with watch.stage("decode"):
            audio = prepare_for_asr(audio)
        return self._recognize_audio(audio, index, top_k, watch)

    def _recognize_audio(
        self, audio: Audio, index: "CatalogIndex | None", top_k: int, watch: _Stopwatch
    ) -> RecognizeResult:
        if self.denoise is not None:
            with watch.stage("denoise"):
                audio, _ = denoise(audio, self.denoise)
        speech = audio
        if self.vad is not None:
            with watch.stage("vad"):
                # No speech found: keep the whole clip and let the engine decide (VAD can miss quiet speech).
                speech = trim_to_speech(audio, self.vad, self.pad_ms, self.keep_below_snr_db)
        with watch.stage("asr"):
            transcript = self.engine.transcribe(speech)
        hits: tuple[SearchHit, ...] = ()
        if index is not None:
            with watch.stage("search"):
                wanted = max(top_k, self.rescoring.hits) if self.rescoring else top_k
                hits = search_hypotheses(index, transcript, wanted, self.search)
            if self.rescoring is not None:
                with watch.stage("rescore"):
                    transcript = rescore(self.engine, transcript, hits, self.rescoring)  # type: ignore[arg-type]
                hits = hits[:top_k]
        watch.timings_ms["total"] = sum(watch.timings_ms.values())
        log.debug("recognized %r in %.0f ms", transcript.text, watch.timings_ms["total"])
        return RecognizeResult(
            transcript=transcript,
            results=hits,
            timings_ms=watch.timings_ms,
            audio_duration_s=audio.duration_s,
            speech_duration_s=speech.duration_s,
            catalog=getattr(index, "name", None),
        )


def search_hypotheses(
    index: "CatalogIndex", transcript: Transcript, top_k: int, options: SearchSettings
) -> tuple[SearchHit, ...]:
    """Search the transcript and its next-best hypotheses; an entry keeps its best score, each hypothesis's
    hits lowered by `nbest_weight` × how far its ASR score is below the best one's. A catalog name the
    recognizer put second ("Adlanta" / "Atlanta") can so still win; with one hypothesis this is a plain search.
    """
    alternatives = transcript.nbest[1 : options.nbest_hypotheses]
    if not alternatives or options.nbest_weight == 0:
        return tuple(index.search(transcript.text, top_k=top_k))
    best_asr = transcript.nbest[0].score
    fused: dict[str, SearchHit] = {}
    queries = [(transcript.text, 0.0)] + [(h.text, options.nbest_weight * (h.score - best_asr)) for h in alternatives]
    for text, penalty in queries:
        for hit in index.search(text, top_k=top_k):
            score = max(0.0, hit.score + min(penalty, 0.0))
            if hit.id not in fused or score > fused[hit.id].score:
                fused[hit.id] = replace(hit, score=score)
    ranked = sorted(fused.values(), key=lambda h: -h.score)
    return tuple(ranked[:top_k])
