"""Evaluation: WER/SER/CER with every count, search hit rate at k, latency percentiles, slices by tag."""

from voxsearch.eval.align import EditCounts, count_edits
from voxsearch.eval.metrics import (
    HitRateResult,
    LatencySummary,
    WerResult,
    hit_rate,
    percentiles_ms,
    score_wer,
)
from voxsearch.eval.slices import slice_by_tag

__all__ = [
    "EditCounts",
    "HitRateResult",
    "LatencySummary",
    "WerResult",
    "count_edits",
    "hit_rate",
    "percentiles_ms",
    "score_wer",
    "slice_by_tag",
]
