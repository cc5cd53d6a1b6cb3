"""Tuning the hybrid engine's routing (asr/hybrid_engine) from what both engines already decoded.

While their own parameters were tuned, pocketsphinx decoded every dev clip with its generic and its
catalog LM, and Whisper decoded the same clips unadapted. A routing setting (catalog_bias, posterior
weight) sends a clip to the catalog hypothesis when that wins the comparison, else to Whisper's
transcript; every setting of the grid is scored without decoding again. The out-of-domain reference is
unadapted Whisper, because that is what clips not about the catalog get: a setting whose out-of-domain
WER (all, and clean only) exceeds Whisper's by more than max_out_wer_increase is not eligible.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from voxsearch.search import CatalogIndex
from voxsearch.train.tuning import (
    DecodedClip,
    DevScores,
    TuningOptions,
    TuningResult,
    catalog_wins,
    keeps_out_of_domain,
    score_choice,
)

__all__ = ["HybridTrial", "tune_hybrid"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HybridTrial(DevScores):
    catalog_bias: float
    posterior_weight: float
    to_catalog: float  # share of the dev clips routed to the catalog hypothesis


def tune_hybrid(catalog: Sequence[DecodedClip], general: Sequence[Any], general_unadapted: DevScores,
                index: CatalogIndex, options: TuningOptions = TuningOptions()) -> TuningResult[HybridTrial]:
    """`catalog`: pocketsphinx's decoded dev clips; `general`: Whisper's, in the same order, each with a
    `.transcript` and the result ids it `.found`; `general_unadapted`: Whisper's dev scores."""
    same = [(c.item.line, c.item.audio, c.item.reference) == (g.item.line, g.item.audio, g.item.reference)
            for c, g in zip(catalog, general, strict=False)]
    if len(catalog) != len(general) or not all(same):  # the same manifest lines (each engine had its copy)
        raise ValueError("tune_hybrid needs both engines' outputs for the same dev clips, in the same order")
    found_for: dict[str, list[str]] = {}

    def catalog_found(text: str) -> list[str]:
        if text not in found_for:
            found_for[text] = [h.id for h in index.search(text, top_k=1)] if text.strip() else []
        return found_for[text]

    reference = HybridTrial(**_scores(general_unadapted), catalog_bias=float("nan"), posterior_weight=0.0,
                            to_catalog=0.0)
    trials = []
    for weight in options.posterior_weight_grid:
        for bias in options.bias_grid:
            routed = [catalog_wins(c, bias, weight) for c in catalog]
            texts = [c.catalog.text if r else g.transcript.text for c, g, r in zip(catalog, general, routed)]
            found = [catalog_found(c.catalog.text) if r else list(g.found) for c, g, r in zip(catalog, general, routed)]
            s = score_choice(catalog, texts, None, found)
            eligible = keeps_out_of_domain(s["wer_out"], s["wer_out_clean"], reference, options.max_out_wer_increase)
            trial = HybridTrial(**s, eligible=eligible, catalog_bias=bias, posterior_weight=weight,
                                to_catalog=sum(routed) / len(routed) if routed else 0.0)
            trials.append(trial)
            log.info("hybrid trial bias=%s posterior_weight=%s: %.0f%% to the catalog LM, dev WER %.3f (in %.3f, "
                     "out %.3f, clean out %.3f), top-1 %.3f%s", bias, weight, 100 * trial.to_catalog, s["wer"],
                     s["wer_in"], s["wer_out"], s["wer_out_clean"], s["top1"],
                     "" if eligible else " (out-of-domain worse than Whisper: not eligible)")
    # none eligible: the setting that hurts out-of-domain speech least
    pool = [t for t in trials if t.eligible] or [min(trials, key=lambda t: (t.wer_out, t.wer_out_clean, t.wer))]
    best = min(pool, key=lambda t: (t.wer, -t.top1, abs(t.catalog_bias), t.posterior_weight))
    return TuningResult(best, reference, tuple(trials), len(catalog))


def _scores(scores: DevScores) -> dict[str, Any]:
    return {k: v for k, v in asdict(scores).items() if k in DevScores.__dataclass_fields__}
