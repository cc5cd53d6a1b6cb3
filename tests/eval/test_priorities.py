"""Where more data would help: ranking on a constructed evaluation with recorded model outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from voxsearch.eval.baseline import choose_baseline
from voxsearch.eval.dataset import EvalItem, EvalSet
from voxsearch.eval.priorities import SliceErrors, rank_priorities
from voxsearch.eval.report import ModelColumn, ReportOptions, build_report
from voxsearch.eval.runner import Outcome
from voxsearch.eval.slices import sliceable_tags


def test_rank_orders_by_gap_times_share() -> None:
    slices = [
        # 12% of the words, 18 points worse: 2.16 points of total WER
        SliceErrors((("band", "narrow"), ("noise", "babble")), 12, 120, 0.30, 0.12),
        # 50% of the words but only 2 points worse: 1.0 point
        SliceErrors((("noise", "clean"),), 50, 500, 0.10, 0.08),
        # 5% of the words, 30 points worse: 1.5 points
        SliceErrors((("voice", "kal"),), 5, 50, 0.40, 0.10),
        # better than the baseline, or no baseline: not a priority
        SliceErrors((("band", "wide"),), 40, 400, 0.05, 0.10),
        SliceErrors((("format", "ogg"),), 10, 100, 0.50, None),
    ]
    ranked = rank_priorities(slices, total_clips=100, total_ref_words=1000)
    assert [p.name for p in ranked] == ["band=narrow, noise=babble", "voice=kal", "noise=clean"]
    first = ranked[0]
    assert first.word_share == pytest.approx(0.12) and first.gap_points == pytest.approx(18.0)
    assert first.impact_points == pytest.approx(2.16)
    assert first.sentence("human agreement") == (
        "collect more band=narrow, noise=babble clips: 12% of the data (12 clips), +18.0 WER points over "
        "human agreement → 2.2 points of total WER")


def _item(n: int, reference: str, **tags: str) -> EvalItem:
    return EvalItem(line=n, audio=f"{n}.wav", path=Path(f"{n}.wav"), reference=reference,
                    labels=(("a", reference),), expected=(), tags=tags)


def _outcome(hypothesis: str) -> Outcome:
    return Outcome(hypothesis=hypothesis, result_ids=(), asr_ms=100.0, total_ms=120.0, audio_s=1.0)


def test_report_ranks_slices_against_a_baseline_model() -> None:
    # 4 babble clips where the candidate misses one word in two; 6 clean clips where it is perfect.
    items = [_item(i, "weather in paris today", noise="babble", band="narrow" if i < 2 else "wide")
             for i in range(4)]
    items += [_item(i, "hotels in rome", noise="clean", band="wide") for i in range(4, 10)]
    candidate = [_outcome("weather in paris") for _ in range(4)] + [_outcome("hotels in rome")] * 6
    base = [_outcome("weather in paris today")] * 4 + [_outcome("hotels in rome")] * 5 + [_outcome("hotels rome")]
    eval_set = EvalSet(Path("m.jsonl"), "0" * 64, tuple(items))
    models = [ModelColumn("new", "version", "whisper", "v2"), ModelColumn("old", "engine", "whisper", "v1")]
    report = build_report(eval_set, models, {"new": candidate, "old": base}, choose_baseline(items, "old"),
                          None, ReportOptions(min_clips_for_priority=2))
    assert list(report.priorities) == ["new"]  # the baseline model is not ranked against itself
    priorities = report.priorities["new"]
    # babble: 16 of 34 words, WER 25% vs 0%: 16/34 × 25 = 11.76 points of total WER
    assert priorities[0].name == "noise=babble"
    assert priorities[0].impact_points == pytest.approx(16 / 34 * 25)
    # the narrow babble clips come next (same gap, half the words); the identical cross band=narrow,noise=babble
    # is folded into band=narrow
    assert priorities[1].name == "band=narrow" and priorities[1].impact_points == pytest.approx(8 / 34 * 25)
    assert all(p.name != "band=narrow, noise=babble" for p in priorities)
    assert report.overall["new"].wer.wer == pytest.approx(4 / 34)
    assert next(s for s in report.slices_of("noise") if s.value == "clean").baseline_wer == pytest.approx(1 / 18)


def test_sliceable_tags_skip_ids_and_measurements() -> None:
    tags = [{"noise": ["clean", "babble"][i % 2], "snr_db": ["5", "10", "15"][i % 3], "query": f"q{i}",
             "lead_ms": str(100 + 7 * i), "split": "test"} for i in range(30)]
    assert sliceable_tags(tags) == ["noise", "snr_db", "split"]
