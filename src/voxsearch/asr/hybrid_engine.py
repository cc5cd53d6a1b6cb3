"""Hybrid recognition: pocketsphinx with a catalog LM for queries about the catalog, Whisper for the rest.

Each clip is decoded by pocketsphinx with its generic and its catalog LM; the catalog hypothesis is
*routed to* when it wins that comparison (score + catalog_bias above the generic one's), else Whisper's
transcript is. Whisper is far better than pocketsphinx's generic LM on open speech, the catalog LM far
better on catalog names, so each kind of query keeps the better engine.

With a catalog matcher (the best catalog search score of a text) both hypotheses are verified against
the catalog: when the one not routed to names a catalog entry better than the routed one, with a score
of at least its threshold, it is the transcript (the routing is a guess from acoustic scores; the catalog
knows which names exist). The catalog hypothesis needs the higher threshold in practice: the catalog LM
turns any speech into catalog-like words, which match something. Both texts go on as the n-best, with equal scores, so the
search stage fuses the entries both found. Without a matcher, Whisper runs only for clips not routed
to the catalog. `voxsearch train` tunes the bias and the threshold (train/hybrid_tuning).

Whisper's veto (`whisper_veto`, a margin in log-probability per token): when the transcript is the catalog
hypothesis, Whisper scores it (written as Whisper writes) against its own text on the same audio; if its own
text is likelier by more than the margin, it replaces the catalog hypothesis. The catalog LM can turn an
out-of-domain query heard in noise into catalog words ("set a timer for ten minutes" -> "take me to
philippines"); Whisper then finds that text some 5 nats per token less likely than what it heard.

With routing "general" Whisper's transcript always comes first and only verification hands a clip to the
catalog hypothesis: pocketsphinx then runs its catalog search alone (no generic search, whose only use is
the score comparison), which halves its decoding time. Training picks this when it scores better on the
dev set (on a held-out set it did: WER 50.6% -> 34.4%, clean in-domain 5.1% -> 3.8%).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from typing import Literal, Protocol

from voxsearch.asr.engine import Engine
from voxsearch.asr.engine_process import EngineProcess
from voxsearch.asr.pocketsphinx_engine import PocketsphinxEngine
from voxsearch.asr.whisper_engine import written_as_whisper
from voxsearch.types import Audio, Hypothesis, ModelInfo, Transcript

__all__ = ["CatalogMatcher", "HybridEngine", "MatchThresholds", "TextScorer", "choose_verified", "whisper_doubt"]

CatalogMatcher = Callable[[str], float]  # a text's best catalog search score in [0, 1]; 0 when nothing matches
Routing = Literal["scores", "general"]  # the two searches' scores choose the first text, or Whisper's always is
ROUTINGS: tuple[Routing, ...] = ("scores", "general")


class TextScorer(Protocol):
    """Whisper's forced scoring of texts against the clip it last decoded (WhisperEngine.score_texts)."""

    def score_texts(self, texts: Sequence[str]) -> list[tuple[float, int]]: ...


@dataclass(frozen=True)
class MatchThresholds:
    """The catalog match score from which a hypothesis replaces the routed one (above 1: never)."""

    catalog: float = 1.01  # pocketsphinx's catalog hypothesis replacing Whisper's
    general: float = 1.01  # Whisper's replacing the catalog hypothesis


class HybridEngine:
    """Not thread-safe (neither part is): one instance serves one thread at a time."""

    def __init__(self, catalog: PocketsphinxEngine | EngineProcess, general: Engine, matcher: CatalogMatcher | None = None,
                 thresholds: MatchThresholds | None = None, routing: Routing = "scores",
                 whisper_veto: float | None = None) -> None:
        if routing not in ROUTINGS or (routing == "general" and matcher is None):
            raise ValueError(f"routing {routing!r} needs one of {ROUTINGS} ('general' needs a catalog matcher)")
        if whisper_veto is not None and not (isinstance(whisper_veto, (int, float)) and math.isfinite(whisper_veto)
                                             and matcher is not None and hasattr(general, "score_texts")):
            raise ValueError(f"whisper_veto {whisper_veto!r} needs to be a finite number, with a catalog matcher and "
                             "a general engine that scores texts (Whisper)")
        self.catalog = catalog
        self.general = general
        self.matcher = matcher
        self.thresholds = thresholds or MatchThresholds()
        self.routing = routing
        self.whisper_veto = whisper_veto
        self._general_thread: ThreadPoolExecutor | None = None  # Whisper beside pocketsphinx (see transcribe)
        verification = {"match_thresholds": asdict(self.thresholds), "routing": routing} if matcher is not None else {}
        if whisper_veto is not None:
            verification["whisper_veto"] = whisper_veto
        self.info = ModelInfo(
            engine="hybrid",
            version=f"{catalog.info.version}+{general.info.version}",
            options={"catalog": catalog.info.options, "general": {"engine": general.info.engine,
                                                                  **general.info.options}, **verification},
        )

    def close(self) -> None:
        if self._general_thread is not None:
            self._general_thread.shutdown(wait=True)
        for part in (self.catalog, self.general):
            close = getattr(part, "close", None)
            if close is not None:
                close()

    def transcribe(self, audio: Audio) -> Transcript:
        if self.matcher is None:
            in_catalog, routed = self.catalog.catalog_hypothesis(audio)
            transcript = in_catalog if routed else self.general.transcribe(audio)
            return replace(transcript, model=self.info)
        in_catalog, routed, general = self._decode_both(audio)
        first, second = (in_catalog, general) if routed else (general, in_catalog)
        threshold = self.thresholds.general if routed else self.thresholds.catalog
        verified = choose_verified(first.text, second.text, self.matcher, threshold)
        if verified == 1:
            first, second = second, first
        if first is in_catalog and self.whisper_veto is not None and \
                whisper_doubt(self.general, general.text, in_catalog.text) > self.whisper_veto:  # type: ignore[arg-type]
            first, second = general, in_catalog
        tail = tuple(replace(h, score=h.score - first.nbest[0].score) for h in first.nbest[1:]) if first.nbest else ()
        heard = (Hypothesis(first.text, 0.0), Hypothesis(second.text, 0.0)) if second.text.strip() else (
            Hypothesis(first.text, 0.0),)
        return replace(first, model=self.info, nbest=heard + tuple(h for h in tail if h.text != second.text))

    def _decode_both(self, audio: Audio) -> tuple[Transcript, bool, Transcript]:
        """Both engines at once: Whisper (CTranslate2, which releases the GIL) in a thread of its own while
        pocketsphinx decodes here, so a clip takes the longer of the two decodes, not their sum."""
        if self._general_thread is None:
            self._general_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voxsearch-hybrid")
        general = self._general_thread.submit(self.general.transcribe, audio)
        try:
            if self.routing == "general":
                in_catalog, routed = self.catalog.catalog_transcript(audio), False
            else:
                in_catalog, routed = self.catalog.catalog_hypothesis(audio)
        finally:
            done = general.exception()  # waited for even on failure: the engine serves one call at a time
        if done is not None:
            raise done
        return in_catalog, routed, general.result()


def choose_verified(routed: str, other: str, matcher: CatalogMatcher, threshold: float) -> int:
    """0 to keep the routed text, 1 for the other: the other when it matches the catalog better than the
    routed one does and at least `threshold` (the rule the engine applies and the tuning scores)."""
    other_match = matcher(other) if other.strip() else 0.0
    if other_match < threshold:
        return 0
    routed_match = matcher(routed) if routed.strip() else 0.0
    return 1 if other_match > routed_match else 0


def whisper_doubt(scorer: TextScorer, general: str, catalog: str) -> float:
    """How much likelier Whisper finds its own text than the catalog hypothesis on the clip it last decoded:
    the difference of their mean log-probabilities per token (0 when either text is empty)."""
    if not general.strip() or not catalog.strip():
        return 0.0
    (own, own_tokens), (other, other_tokens) = scorer.score_texts([general, written_as_whisper(catalog)])
    return own / max(own_tokens, 1) - other / max(other_tokens, 1)
