"""Recognition and search scores: WER/SER/CER with every count, hit rate at k, latency percentiles."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from voxsearch.eval.align import EditCounts, count_edits
from voxsearch.text.normalize import SCORING_NORMALIZATION

Normalizer = Callable[[str], str]


@dataclass(frozen=True)
class WerResult:
    """Word counts summed over all utterances, plus sentence and character error rates.

    wer = (substitutions + deletions + insertions) / ref_words; ser = sentences with any word error /
    sentences; cer = character edits / reference characters (spaces count, as in jiwer).
    """

    substitutions: int
    deletions: int
    insertions: int
    hits: int
    ref_words: int
    wer: float
    sentences: int
    sentence_errors: int
    ser: float
    char_errors: int
    ref_chars: int
    cer: float
    normalization: str


def score_wer(
    references: Sequence[str], hypotheses: Sequence[str], normalize: Normalizer | None = SCORING_NORMALIZATION
) -> WerResult:
    """Score `hypotheses` against `references` (same order) after `normalize` (None: compare as given).

    An empty reference is allowed (every hypothesis word is an insertion); rates over zero reference
    words or characters are 0 when there is no error and infinite otherwise.
    """
    if len(references) != len(hypotheses):
        raise ValueError(
            f"got {len(references)} references and {len(hypotheses)} hypotheses; pass one hypothesis per reference"
        )
    norm = _scoring_form if normalize is SCORING_NORMALIZATION else normalize or (lambda text: " ".join(text.split()))
    words = chars = EditCounts()
    sentence_errors = 0
    for reference, hypothesis in zip(references, hypotheses, strict=True):
        counts, char_counts = _edits(norm(reference), norm(hypothesis))
        words += counts
        chars += char_counts
        sentence_errors += counts.errors > 0
    return WerResult(
        substitutions=words.substitutions,
        deletions=words.deletions,
        insertions=words.insertions,
        hits=words.hits,
        ref_words=words.reference_length,
        wer=_rate(words.errors, words.reference_length),
        sentences=len(references),
        sentence_errors=sentence_errors,
        ser=_rate(sentence_errors, len(references)),
        char_errors=chars.errors,
        ref_chars=chars.reference_length,
        cer=_rate(chars.errors, chars.reference_length),
        normalization=_normalizer_name(normalize),
    )


@lru_cache(maxsize=65536)
def _scoring_form(text: str) -> str:
    return SCORING_NORMALIZATION(text)


@lru_cache(maxsize=65536)
def _edits(ref: str, hyp: str) -> tuple[EditCounts, EditCounts]:
    """Word and character edits of one normalized pair; cached, as tuning scores the same pairs many times."""
    return count_edits(ref.split(), hyp.split()), count_edits(ref, hyp)


@dataclass(frozen=True)
class HitRateResult:
    """Share of queries with at least one expected id among the first `k` results."""

    k: int
    hits: int
    queries: int
    rate: float


def hit_rate(
    expected_ids: Sequence[Sequence[str]], result_ids: Sequence[Sequence[str]], k: int
) -> HitRateResult:
    """Hit rate at `k` over queries; `expected_ids[i]` are the right answers for query i (at least one)."""
    if k < 1:
        raise ValueError(f"k is {k}; use 1 or more")
    if len(expected_ids) != len(result_ids):
        raise ValueError(
            f"got {len(expected_ids)} expected-id lists and {len(result_ids)} result lists; pass one per query"
        )
    hits = 0
    for i, (expected, results) in enumerate(zip(expected_ids, result_ids, strict=True)):
        if isinstance(expected, str) or not expected:
            raise ValueError(
                f"query {i} has expected ids {expected!r}; give a non-empty list of ids "
                "(leave out-of-catalog queries out of the hit rate)"
            )
        hits += not set(expected).isdisjoint(list(results)[:k])
    return HitRateResult(k=k, hits=hits, queries=len(expected_ids), rate=_rate(hits, len(expected_ids)))


@dataclass(frozen=True)
class LatencySummary:
    """Latency percentiles in milliseconds (linear interpolation between samples)."""

    p50: float
    p95: float
    mean: float
    n: int


def percentiles_ms(values: Sequence[float]) -> LatencySummary:
    """p50, p95 and mean of latencies already in milliseconds."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        raise ValueError("no latencies to summarize; measure at least one request")
    if not np.isfinite(data).all() or (data < 0).any():
        raise ValueError(f"latencies must be finite and >= 0 ms, got {values!r}")
    p50, p95 = np.percentile(data, [50, 95])
    return LatencySummary(p50=float(p50), p95=float(p95), mean=float(data.mean()), n=int(data.size))


def _normalizer_name(normalize: Normalizer | None) -> str:
    if normalize is None:
        return "whitespace"
    return str(getattr(normalize, "name", getattr(normalize, "__name__", type(normalize).__name__)))


def _rate(errors: int, total: int) -> float:
    if total == 0:
        return 0.0 if errors == 0 else math.inf
    return errors / total
