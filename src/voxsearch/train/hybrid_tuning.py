"""Tuning the hybrid engine (asr/hybrid_engine) from what both engines already decoded.

While their own parameters were tuned, pocketsphinx decoded every dev clip with its generic and its
catalog LM, and Whisper decoded the same clips unadapted. A routing setting (catalog_bias, posterior
weight) sends a clip to the catalog hypothesis when that wins the comparison, else to Whisper's
transcript; the match thresholds let the other text take over when it names a catalog entry better
(searched once per distinct text); routing "general" (Whisper's text first, whatever the scores, so the
served engine skips the generic search) is tried with every catalog threshold too, and every setting with
each margin of Whisper's veto (from Whisper's doubt of each clip's catalog hypothesis, scored once per clip
by train/whisper_doubts); every setting of the grid is scored without decoding again. The
out-of-domain reference is unadapted Whisper, because that is what clips not about the catalog get: a
setting whose out-of-domain WER (all, and clean only) exceeds Whisper's by more than
max_out_wer_increase is not eligible, nor one that gives more than max_out_harmed_share of the
out-of-domain clips a worse transcript than Whisper's. The second rule is the one that holds on unseen
speech: replacing Whisper's long hallucinations on noise by a short catalog-like guess lowers the WER
sum while other clips break (a demo version tuned without it kept the dev out-of-domain WER, 33% vs
Whisper's 35%, and doubled it on a held-out set, 22% -> 46%).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from voxsearch.asr.hybrid_engine import choose_verified
from voxsearch.search import CatalogIndex
from voxsearch.train.tuning import (
    ChoiceScorer,
    DecodedClip,
    DevScores,
    SearchOnce,
    TuningOptions,
    TuningResult,
    catalog_wins,
    keeps_out_of_domain,
)

__all__ = ["HybridTrial", "tune_hybrid"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HybridTrial(DevScores):
    catalog_bias: float | None  # None with routing "general"
    posterior_weight: float
    to_catalog: float  # share of the dev clips routed to the catalog hypothesis
    catalog_threshold: float = 1.01  # MatchThresholds.catalog
    general_threshold: float = 1.01  # MatchThresholds.general
    switched: float = 0.0  # share of the dev clips whose transcript verification took from the other engine
    routing: str = "scores"  # HybridEngine's routing
    out_harmed: float = 0.0  # share of the out-of-domain dev clips whose transcript is worse than Whisper's
    whisper_veto: float | None = None  # HybridEngine's whisper_veto
    vetoed: float = 0.0  # share of the dev clips whose catalog hypothesis Whisper's veto replaced


def tune_hybrid(catalog: Sequence[DecodedClip], general: Sequence[Any], general_unadapted: DevScores,
                index: CatalogIndex, options: TuningOptions = TuningOptions(),
                doubts: Sequence[float] | None = None) -> TuningResult[HybridTrial]:
    """`catalog`: pocketsphinx's decoded dev clips; `general`: Whisper's, in the same order, each with a
    `.transcript`; `general_unadapted`: Whisper's dev scores; `doubts`: per clip, Whisper's doubt of the
    catalog hypothesis (hybrid_engine.whisper_doubt; None: no veto tried). The engine verifies both texts
    against the catalog (asr/hybrid_engine), so its top-1 is the better of the two texts' best matches
    whatever the parameters; they choose the transcript, so the WER."""
    same = [(c.item.line, c.item.audio, c.item.reference) == (g.item.line, g.item.audio, g.item.reference)
            for c, g in zip(catalog, general, strict=False)]
    if len(catalog) != len(general) or not all(same):  # the same manifest lines (each engine had its copy)
        raise ValueError("tune_hybrid needs both engines' outputs for the same dev clips, in the same order")
    if doubts is not None and len(doubts) != len(catalog):
        raise ValueError("tune_hybrid needs Whisper's doubt of every dev clip's catalog hypothesis, or none")
    vetoes = options.veto_grid if doubts is not None else (None,)
    doubt_of = list(doubts) if doubts is not None else [0.0] * len(catalog)  # read only under a veto
    searched = SearchOnce(index)

    def best_match(text: str) -> tuple[float, str | None]:
        hits = searched.search(text, top_k=1) if text.strip() else []
        return (hits[0].score, hits[0].id) if hits else (0.0, None)

    def score_of(text: str) -> float:
        return best_match(text)[0]

    pairs = [(c.catalog.text, g.transcript.text) for c, g in zip(catalog, general)]
    # out-of-domain clips the catalog hypothesis transcribes worse than Whisper: harmed when it is chosen
    scorer = ChoiceScorer(catalog)
    harms = [not c.item.in_domain and scorer.errors(n, cat) > scorer.errors(n, gen)
             for n, (c, (cat, gen)) in enumerate(zip(catalog, pairs))]
    out_clips = sum(not c.item.in_domain for c in catalog)
    reference = HybridTrial(**_scores(general_unadapted), catalog_bias=float("nan"), posterior_weight=0.0,
                            to_catalog=0.0)
    trials = []
    routings: list[tuple[float | None, float, list[bool]]] = [(None, 0.0, [False] * len(catalog))]  # "general"
    for weight in options.posterior_weight_grid:
        for bias in options.bias_grid:
            routings.append((bias, weight, [catalog_wins(c, bias, weight) for c in catalog]))
    for bias, weight, routed in routings:
        ordered = [(cat, gen) if r else (gen, cat) for (cat, gen), r in zip(pairs, routed)]
        found = [_fused_top(first, second, best_match) for first, second in ordered]
        thresholds = [(t, 1.01) for t in options.match_threshold_grid] if bias is None else \
            itertools.product(options.match_threshold_grid, repeat=2)
        for (to_catalog, to_general), veto in itertools.product(thresholds, vetoes):
            switch = [choose_verified(first, second, score_of, to_general if r else to_catalog)
                      for (first, second), r in zip(ordered, routed)]
            took_catalog = [r != bool(k) for r, k in zip(routed, switch)]
            vetoed = [veto is not None and t and d > veto for t, d in zip(took_catalog, doubt_of)]
            texts = [gen if v else pair[k] for pair, k, v, (_, gen) in zip(ordered, switch, vetoed, pairs)]
            took_catalog = [t and not v for t, v in zip(took_catalog, vetoed)]
            top = [_fused_top(gen, cat, best_match) if v else f for v, f, (cat, gen) in zip(vetoed, found, pairs)]
            s = scorer.scores(texts, top)
            harmed = sum(h and t for h, t in zip(harms, took_catalog)) / out_clips if out_clips else 0.0
            eligible = keeps_out_of_domain(s["wer_out"], s["wer_out_clean"], reference,
                                           options.max_out_wer_increase) and harmed <= options.max_out_harmed_share
            trials.append(HybridTrial(**s, eligible=eligible, catalog_bias=bias, posterior_weight=weight,
                                      to_catalog=_share(routed), catalog_threshold=to_catalog,
                                      general_threshold=to_general, switched=_share(switch),
                                      routing="general" if bias is None else "scores", out_harmed=harmed,
                                      whisper_veto=veto, vetoed=_share(vetoed)))
            log.debug("hybrid trial %s", trials[-1])
    # none eligible: the setting that hurts out-of-domain speech least
    pool = [t for t in trials if t.eligible] or [min(trials, key=lambda t: (t.out_harmed, t.wer_out, t.wer_out_clean,
                                                                            t.wer))]
    # ties: the faster "general" routing, then the mildest settings
    # ... and, when the dev set cannot tell, the veto at its widest margin: it guards out-of-domain speech
    best = min(pool, key=lambda t: (t.wer, -t.top1, t.routing != "general", abs(t.catalog_bias or 0.0),
                                    t.posterior_weight, -t.catalog_threshold, -t.general_threshold,
                                    t.whisper_veto is None, -(t.whisper_veto or 0.0)))
    log.info("hybrid: best of %d settings (%d keep out-of-domain WER): routing %s bias=%s posterior_weight=%s "
             "thresholds "
             "catalog %s / general %s, Whisper's veto %s (%.0f%% vetoed), %.0f%% routed to the catalog LM, "
             "%.0f%% switched by verification, "
             "%.0f%% of out-of-domain clips worse than Whisper, dev WER "
             "%.3f (in %.3f, out %.3f, clean out %.3f; unadapted Whisper %.3f / %.3f / %.3f / %.3f), top-1 %.3f",
             len(trials), sum(t.eligible for t in trials), best.routing, best.catalog_bias, best.posterior_weight,
             best.catalog_threshold, best.general_threshold, best.whisper_veto, 100 * best.vetoed,
             100 * best.to_catalog, 100 * best.switched,
             100 * best.out_harmed, best.wer,
             best.wer_in, best.wer_out, best.wer_out_clean, reference.wer, reference.wer_in, reference.wer_out,
             reference.wer_out_clean, best.top1)
    return TuningResult(best, reference, tuple(trials), len(catalog))


def _fused_top(first: str, second: str, best_match: Callable[[str], tuple[float, str | None]]) -> list[str]:
    """The top-1 of the search stage fusing both texts' results (equal weights; a tie keeps the first)."""
    (s1, id1), (s2, id2) = best_match(first), best_match(second)
    top = id2 if id2 is not None and (id1 is None or s2 > s1) else id1
    return [top] if top is not None else []


def _share(flags: Sequence[bool] | Sequence[int]) -> float:
    return sum(1 for f in flags if f) / len(flags) if flags else 0.0


def _scores(scores: DevScores) -> dict[str, Any]:
    return {k: v for k, v in asdict(scores).items() if k in DevScores.__dataclass_fields__}
