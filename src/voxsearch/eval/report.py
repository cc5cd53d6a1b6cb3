"""The evaluation report: every model's scores overall and per slice, the baseline, what to collect next,
confusions and worst clips — as dataclasses, and as strict JSON with every per-utterance record."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from voxsearch.eval.baseline import (
    AgreementTally,
    Baseline,
    agreement_tallies,
    human_wer,
)
from voxsearch.eval.dataset import EvalItem, EvalSet
from voxsearch.eval.priorities import DataPriority, SliceErrors, rank_priorities
from voxsearch.eval.runner import Outcome
from voxsearch.eval.scores import (
    Confusion,
    SubsetScores,
    score_subset,
    top_confusions,
    word_errors,
    worst_items,
)
from voxsearch.eval.slices import UNTAGGED, cross_slices, slice_by_tag, sliceable_tags
from voxsearch.text.normalize import SCORING_NORMALIZATION

SNR_TAG = "snr_db"


@dataclass(frozen=True)
class ModelColumn:
    label: str
    source: str  # "version" (registry) or "engine" (unadapted)
    engine: str
    version: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SliceReport:
    tag: str
    value: str
    clips: int
    ref_words: int
    scores: dict[str, SubsetScores]  # model label -> scores on this slice
    baseline_wer: float | None  # None: no baseline, or no multi-label clip in the slice


@dataclass(frozen=True)
class UtteranceRecord:
    line: int
    audio: str
    reference: str
    labels: tuple[tuple[str, str], ...]
    expected: tuple[str, ...]
    tags: dict[str, str]
    outputs: dict[str, Outcome]  # model label -> what it heard and found


@dataclass(frozen=True)
class ReportOptions:
    min_clips_for_priority: int = 5  # smaller slices are too noisy to direct data collection
    priorities: int = 10
    confusions: int = 15
    worst: int = 10
    max_tag_values: int = 12


@dataclass(frozen=True)
class EvalReport:
    manifest: str
    manifest_sha256: str
    catalog: str | None
    normalization: str
    models: tuple[ModelColumn, ...]
    baseline: Baseline
    baseline_wer: float | None  # over every clip it covers
    overall: dict[str, SubsetScores]
    slice_tags: tuple[str, ...]
    slices: tuple[SliceReport, ...]
    priorities: dict[str, tuple[DataPriority, ...]]  # per model (the baseline model has none)
    confusions: dict[str, tuple[Confusion, ...]]
    worst: dict[str, tuple[int, ...]]  # per model: indices into `utterances`
    utterances: tuple[UtteranceRecord, ...]

    @property
    def labels(self) -> list[str]:
        return [m.label for m in self.models]

    @property
    def reference_label(self) -> str:
        """The model other columns are compared with (delta columns): the baseline model, else the first."""
        return self.baseline.label if self.baseline.kind == "model" else self.models[0].label

    def slices_of(self, tag: str) -> list[SliceReport]:
        return [s for s in self.slices if s.tag == tag]

    def to_json_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["utterances"] = [_utterance_json(u) for u in self.utterances]
        data["priorities"] = {label: [{**asdict(p), "key": [list(kv) for kv in p.key], "name": p.name}
                                      for p in ps] for label, ps in self.priorities.items()}
        return strict_json(data)


def build_report(
    eval_set: EvalSet,
    models: Sequence[ModelColumn],
    outcomes: Mapping[str, Sequence[Outcome]],
    baseline: Baseline,
    catalog: str | None,
    options: ReportOptions = ReportOptions(),
) -> EvalReport:
    items = eval_set.items
    everyone = list(range(len(items)))
    tags = [item.tags for item in items]
    tallies = agreement_tallies(items)
    searched = catalog is not None
    keys = sliceable_tags(tags, options.max_tag_values)
    slices = []
    for tag in keys:
        for value, members in slice_by_tag(tags, tag, missing=UNTAGGED).items():
            scores = {m.label: score_subset(items, outcomes[m.label], members, searched) for m in models}
            slices.append(SliceReport(
                tag=tag, value=value, clips=len(members), ref_words=next(iter(scores.values())).wer.ref_words,
                scores=scores, baseline_wer=_baseline_wer(baseline, tallies, scores, members),
            ))
    overall = {m.label: score_subset(items, outcomes[m.label], everyone, searched) for m in models}
    return EvalReport(
        manifest=str(eval_set.manifest), manifest_sha256=eval_set.sha256, catalog=catalog,
        normalization=SCORING_NORMALIZATION.name, models=tuple(models), baseline=baseline,
        baseline_wer=_baseline_wer(baseline, tallies, overall, everyone),
        overall=overall, slice_tags=tuple(keys), slices=tuple(slices),
        priorities={m.label: tuple(_priorities(items, outcomes, m.label, baseline, tallies, keys, options))
                    for m in models if not (baseline.kind == "model" and m.label == baseline.label)},
        confusions={m.label: tuple(top_confusions(items, outcomes[m.label], options.confusions)) for m in models},
        worst={m.label: tuple(worst_items(items, outcomes[m.label], options.worst, searched)) for m in models},
        utterances=tuple(_record(item, {m.label: outcomes[m.label][i] for m in models})
                         for i, item in enumerate(items)),
    )


def _baseline_wer(
    baseline: Baseline, tallies: Sequence[AgreementTally | None], scores: Mapping[str, SubsetScores],
    members: Sequence[int],
) -> float | None:
    if baseline.kind == "human":
        return human_wer(tallies, members)
    if baseline.kind == "model":
        return scores[baseline.label].wer.wer
    return None


def _priorities(
    items: Sequence[EvalItem], outcomes: Mapping[str, Sequence[Outcome]], label: str, baseline: Baseline,
    tallies: Sequence[AgreementTally | None], keys: Sequence[str], options: ReportOptions,
) -> list[DataPriority]:
    errors = [word_errors(item.reference, out.hypothesis) for item, out in zip(items, outcomes[label], strict=True)]
    if baseline.kind == "model":
        base_errors = [word_errors(item.reference, out.hypothesis)
                       for item, out in zip(items, outcomes[baseline.label], strict=True)]
    total_words = sum(w for _, w in errors)
    own_wer = sum(e for e, _ in errors) / total_words if total_words else 0.0
    candidates = []
    seen: set[frozenset[int]] = set()  # a cross with the same clips as a simpler slice says nothing new
    crosses = cross_slices([i.tags for i in items], keys, options.min_clips_for_priority)
    for key, members in sorted(crosses.items(), key=lambda kv: len(kv[0])):
        words = sum(errors[i][1] for i in members)
        if words == 0 or frozenset(members) in seen or len(members) == len(items):
            continue
        seen.add(frozenset(members))
        if baseline.kind == "human":
            reference = human_wer(tallies, members)
        elif baseline.kind == "model":
            base_words = sum(base_errors[i][1] for i in members)
            reference = sum(base_errors[i][0] for i in members) / base_words
        else:
            reference = own_wer
        candidates.append(SliceErrors(key, len(members), words, sum(errors[i][0] for i in members) / words,
                                      reference))
    return rank_priorities(candidates, len(items), total_words, options.priorities)


def _record(item: EvalItem, outputs: dict[str, Outcome]) -> UtteranceRecord:
    return UtteranceRecord(line=item.line, audio=item.audio, reference=item.reference, labels=item.labels,
                           expected=item.expected, tags=dict(item.tags), outputs=outputs)


def _utterance_json(record: UtteranceRecord) -> dict[str, Any]:
    """An utterance with both sides as scored too (`*_scored`), so any WER tool recomputes the figures."""
    return {
        "line": record.line, "audio": record.audio, "reference": record.reference,
        "reference_scored": SCORING_NORMALIZATION(record.reference),
        "labels": [{"annotator": a, "text": t} for a, t in record.labels],
        "expected": list(record.expected), "tags": record.tags,
        "outputs": {label: {**asdict(out), "hypothesis_scored": SCORING_NORMALIZATION(out.hypothesis)}
                    for label, out in record.outputs.items()},
    }


def strict_json(value: Any) -> Any:
    """Tuples as lists, NaN and infinities as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): strict_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict_json(v) for v in value]
    return value
