"""What a bench run found: every count and timing, per engine and for the reference, as dataclasses."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.adaptation import AdaptationReport
from bench.catalog import CatalogBuild
from bench.clips import BenchClip
from bench.search_speed import SearchSpeed
from voxsearch.eval import HitRateResult, LatencySummary, WerResult, slice_by_tag
from voxsearch.eval.runner import Outcome
from voxsearch.eval.scores import SubsetScores, score_subset

SLICE_TAGS = ("noise", "band")


@dataclass(frozen=True)
class SliceScore:
    tag: str
    value: str
    clips: int
    wer: float
    top1: HitRateResult | None  # None when the slice has no in-domain clip


@dataclass(frozen=True)
class QualityReport:
    wer: WerResult  # every clip, after the scoring normalization
    top1: HitRateResult | None  # in-domain clips only; None when there is none among the clips
    top5: HitRateResult | None
    slices: list[SliceScore]


@dataclass(frozen=True)
class ServerReport:
    concurrency: int
    workers: int
    latency_ms: LatencySummary  # client-side, POST /v1/recognize with the original file
    throughput_rps: float
    peak_rss_mb: float  # VmHWM of the server process and its decoder processes after the requests, summed
    ready_s: float  # process start to /readyz 200
    transcripts_match_direct: float  # share of clips the server heard exactly as the direct pipeline did


@dataclass(frozen=True)
class SpeedRatios:
    """Each speed number against its reference, measured in the same run (None: reference not measured)."""

    rtf_vs_reference: float | None  # engine RTF / raw reference engine RTF on whole clips
    server_p50_vs_pipeline: float  # server latency at the first level / direct pipeline (resample+VAD+ASR+search)
    server_p95_vs_pipeline: float
    server_overhead_median: float  # median over clips of (server latency - direct ASR time) / direct ASR time
    server_p50_vs_first_level: dict[int, float]  # concurrency -> p50 / p50 at the first level
    throughput_vs_first_level: dict[int, float]
    rss_vs_first_level: dict[int, float]
    search_p50_vs_plain_bm25: float
    search_p95_vs_plain_bm25: float


@dataclass(frozen=True)
class ClipResult:
    audio: str
    reference: str
    expected: tuple[str, ...]
    transcript: str
    result_ids: tuple[str, ...]
    asr_ms: float
    server_latency_ms: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class EngineReport:
    engine: str
    model_version: str
    load_s: float
    quality: QualityReport
    rtf: float  # total ASR time / total audio duration, 1 thread, direct (no server)
    asr_ms: LatencySummary
    pipeline_ms: LatencySummary  # resample + VAD + ASR + search, direct (eval runner: file decoding not included)
    servers: list[ServerReport]
    search: SearchSpeed  # over this engine's transcripts
    ratios: SpeedRatios
    clips: list[ClipResult]


@dataclass(frozen=True)
class ReferenceReport:
    """The product must beat this: the raw engine transcript of the whole clip searched with plain BM25."""

    description: str
    engine: str
    model_version: str
    quality: QualityReport
    rtf: float
    asr_ms: LatencySummary
    clips: list[ClipResult]


@dataclass(frozen=True)
class BenchReport:
    meta: dict[str, Any]
    catalog: CatalogBuild
    reference: ReferenceReport | None
    engines: list[EngineReport]
    reference_text_search: SearchSpeed  # the same search timing over the manifest's reference texts
    adaptation: list[AdaptationReport] = field(default_factory=list)  # per engine: unadapted vs trained

    def best_top1_engine(self) -> str:
        return max(self.engines, key=lambda e: (e.quality.top1.rate if e.quality.top1 else 0.0,
                                                -e.quality.wer.wer)).engine

    def to_json_dict(self) -> dict[str, Any]:
        data = _jsonable(asdict(self))
        data["catalog"]["index_vs_plain_fts"] = _jsonable(self.catalog.index_vs_plain_fts)
        for engine, report in zip(data["engines"], self.engines, strict=True):
            engine["search"]["p50_vs_plain"] = report.search.p50_vs_plain
            engine["search"]["p95_vs_plain"] = report.search.p95_vs_plain
        data["reference_text_search"]["p50_vs_plain"] = self.reference_text_search.p50_vs_plain
        data["reference_text_search"]["p95_vs_plain"] = self.reference_text_search.p95_vs_plain
        data["best_top1_engine"] = self.best_top1_engine() if self.engines else None
        return data


def score_quality(clips: list[BenchClip], outcomes: list[Outcome]) -> tuple[QualityReport, SubsetScores]:
    """Quality over every clip and per slice (eval library scores), and the overall scores with their speed."""
    items = [c.item for c in clips]
    overall = score_subset(items, outcomes, range(len(items)))
    slices = []
    for tag in SLICE_TAGS:
        for value, members in slice_by_tag([i.tags for i in items], tag).items():
            scores = score_subset(items, outcomes, members)
            slices.append(SliceScore(tag=tag, value=value, clips=scores.clips, wer=scores.wer.wer, top1=scores.top1))
    return QualityReport(wer=overall.wer, top1=overall.top1, top5=overall.top5, slices=slices), overall


def clip_results(clips: list[BenchClip], runs: list[Outcome], served: dict[int, list[float]]) -> list[ClipResult]:
    return [
        ClipResult(
            audio=clip.item.audio,
            reference=clip.item.reference,
            expected=clip.item.expected,
            transcript=run.hypothesis,
            result_ids=run.result_ids,
            asr_ms=round(run.asr_ms, 2),
            server_latency_ms={level: round(ms[i], 2) for level, ms in served.items()},
        )
        for i, (clip, run) in enumerate(zip(clips, runs, strict=True))
    ]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Path):
        return str(value)
    return value
