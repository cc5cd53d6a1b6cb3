"""Scores of one model on a subset of the evaluation set: recognition, search and speed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from voxsearch.eval.align import count_edits, word_substitutions
from voxsearch.eval.dataset import EvalItem
from voxsearch.eval.metrics import (
    HitRateResult,
    LatencySummary,
    WerResult,
    hit_rate,
    percentiles_ms,
    score_wer,
)
from voxsearch.eval.runner import Outcome
from voxsearch.text.normalize import SCORING_NORMALIZATION


@dataclass(frozen=True)
class SubsetScores:
    clips: int
    wer: WerResult  # WER/SER/CER with every count, after the scoring normalization
    top1: HitRateResult | None  # in-domain clips only; None when the subset has none
    top5: HitRateResult | None
    total_ms: LatencySummary
    asr_ms: LatencySummary
    rtf: float  # ASR time / audio duration, summed over the subset


def score_subset(
    items: Sequence[EvalItem], outcomes: Sequence[Outcome], members: Sequence[int], searched: bool = True
) -> SubsetScores:
    """Scores over the items `members`; hit rates only if a catalog was `searched` (else None)."""
    if not members:
        raise ValueError("cannot score an empty subset; pass at least one item index")
    wer = score_wer([items[i].reference for i in members], [outcomes[i].hypothesis for i in members])
    in_domain = [i for i in members if items[i].in_domain] if searched else []
    expected = [items[i].expected for i in in_domain]
    found = [outcomes[i].result_ids for i in in_domain]
    audio_s = sum(outcomes[i].audio_s for i in members)
    asr_s = sum(outcomes[i].asr_ms for i in members) / 1000.0
    return SubsetScores(
        clips=len(members),
        wer=wer,
        top1=hit_rate(expected, found, 1) if in_domain else None,
        top5=hit_rate(expected, found, 5) if in_domain else None,
        total_ms=percentiles_ms([outcomes[i].total_ms for i in members]),
        asr_ms=percentiles_ms([outcomes[i].asr_ms for i in members]),
        rtf=asr_s / audio_s if audio_s else 0.0,
    )


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words) of one utterance after the scoring normalization."""
    counts = count_edits(SCORING_NORMALIZATION(reference).split(), SCORING_NORMALIZATION(hypothesis).split())
    return counts.errors, counts.reference_length


@dataclass(frozen=True)
class Confusion:
    reference: str
    hypothesis: str
    count: int


def top_confusions(items: Sequence[EvalItem], outcomes: Sequence[Outcome], limit: int = 15) -> list[Confusion]:
    """The most frequent word substitutions (reference word -> recognized word), most frequent first."""
    pairs: Counter[tuple[str, str]] = Counter()
    for item, outcome in zip(items, outcomes, strict=True):
        pairs.update(word_substitutions(SCORING_NORMALIZATION(item.reference).split(),
                                        SCORING_NORMALIZATION(outcome.hypothesis).split()))
    ranked = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Confusion(ref, hyp, n) for (ref, hyp), n in ranked[:limit]]


def worst_items(
    items: Sequence[EvalItem], outcomes: Sequence[Outcome], limit: int = 10, searched: bool = True
) -> list[int]:
    """Indices of the clips with the most word errors (then a missed search, then the highest WER)."""
    keyed = []
    for i, (item, outcome) in enumerate(zip(items, outcomes, strict=True)):
        errors, words = word_errors(item.reference, outcome.hypothesis)
        missed = searched and item.in_domain and set(item.expected).isdisjoint(outcome.result_ids[:1])
        if errors or missed:
            keyed.append((-errors, -int(missed), -(errors / words if words else errors), i))
    return [i for *_, i in sorted(keyed)[:limit]]
