"""Catalog rescoring: let the recognizer choose between what it heard and catalog readings of it.

For a transcript, the search's top hits propose catalog readings: each hit's name in the carrier
phrases of its category ("navigate to Alvorada") and after the carrier the recognizer heard. The
candidates most like the n-best are scored by the engine itself against the same audio (forced
decoding), next to the n-best; a catalog reading gets `bonus` (log-probability units), every token
`token_bonus`. The best-scoring text becomes the transcript. Search results are not changed here:
they stay ranked from the recognized n-best. Tuned by `voxsearch train --engine whisper`.

    scored = score_candidates(engine, transcript, hits, options)   # the costly part: forced decoding
    transcript = pick(transcript, scored, options)                 # cheap: rerun for every trial
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Protocol

from rapidfuzz.distance import Indel

from voxsearch.asr.whisper_engine import written_as_whisper
from voxsearch.search.templates import TEMPLATES, template_group
from voxsearch.search.textnorm import parse_query, spoken_text
from voxsearch.search.title_parts import TitleParts
from voxsearch.types import Hypothesis, SearchHit, Transcript

__all__ = ["CatalogRescoring", "ScoredCandidate", "TextScorer", "pick", "rescore", "score_candidates"]

_TITLES = TitleParts()  # for a hit that does not carry its name part: a media title ends at its last comma


class TextScorer(Protocol):
    def score_texts(self, texts: Sequence[str]) -> list[tuple[float, int]]: ...


@dataclass(frozen=True)
class CatalogRescoring:
    bonus: float = 4.0  # log-probability added to a catalog reading
    token_bonus: float = 0.0  # added per token (the forced score has no end-of-text term)
    hits: int = 8  # search hits that propose readings
    candidates: int = 10  # catalog readings scored per clip (most similar to the n-best first)
    nbest: int = 5

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "CatalogRescoring":
        return cls(**values)


@dataclass(frozen=True)
class ScoredCandidate:
    text: str
    entity_id: str | None  # None: one of the recognizer's own hypotheses
    log_prob: float
    tokens: int

    def merit(self, options: CatalogRescoring) -> float:
        return self.log_prob + options.token_bonus * self.tokens + (options.bonus if self.entity_id else 0.0)


def rescore(engine: TextScorer, transcript: Transcript, hits: Sequence[SearchHit],
            options: CatalogRescoring) -> Transcript:
    return pick(transcript, score_candidates(engine, transcript, hits, options), options)


def score_candidates(engine: TextScorer, transcript: Transcript, hits: Sequence[SearchHit],
                     options: CatalogRescoring) -> list[ScoredCandidate]:
    heard = [h.text.strip() for h in transcript.nbest[: options.nbest] if h.text.strip()] or (
        [transcript.text.strip()] if transcript.text.strip() else [])
    if not heard:
        return []
    readings = _catalog_readings(heard, hits[: options.hits], options.candidates)
    texts = list(dict.fromkeys(heard)) + [text for text in readings if text not in heard]
    scores = engine.score_texts(texts)
    return [ScoredCandidate(text, readings.get(text) if text not in heard else None, lp, n)
            for text, (lp, n) in zip(texts, scores, strict=True)]


def pick(transcript: Transcript, scored: Sequence[ScoredCandidate], options: CatalogRescoring) -> Transcript:
    """The transcript with the best-scoring candidate as its text (first in the n-best); unchanged if none."""
    if not scored:
        return transcript
    best = max(scored, key=lambda c: c.merit(options))
    if best.text == transcript.text.strip():
        return transcript
    rest = tuple(h for h in transcript.nbest if h.text.strip() != best.text)
    score = transcript.nbest[0].score if transcript.nbest else best.log_prob
    return replace(transcript, text=best.text, nbest=(Hypothesis(best.text, score), *rest), words=())


def _catalog_readings(heard: list[str], hits: Sequence[SearchHit], limit: int) -> dict[str, str]:
    """Up to `limit` catalog readings (text -> entity id), the most similar to what was heard first."""
    heard_norm = [spoken_text(h) for h in heard[:3]]
    carriers = {" ".join(parse_query(h).carriers) for h in heard[:2]} - {""}
    best: dict[str, tuple[float, str]] = {}
    for hit in hits:
        name = hit.name or (_TITLES.split(hit.title, hit.category) or (hit.title.strip(),))[0]
        forms = [template.replace("{}", name) for template, _ in TEMPLATES[template_group(hit.category)]]
        forms += [f"{carrier} {name}" for carrier in carriers]
        for form in forms:
            text = written_as_whisper(form)
            similarity = max(Indel.normalized_similarity(spoken_text(form), h) for h in heard_norm)
            if text not in best or best[text][0] < similarity:
                best[text] = (similarity, hit.id)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:limit]
    return {text: entity for text, (_, entity) in ranked}
