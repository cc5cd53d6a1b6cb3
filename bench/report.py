"""What a bench run found: every count and timing, per engine and for the reference, as dataclasses."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.catalog import CatalogBuild
from bench.clips import BenchClip
from bench.direct import ClipRun
from bench.search_speed import SearchSpeed
from voxsearch.eval import HitRateResult, LatencySummary, WerResult, hit_rate, score_wer, slice_by_tag

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
    top1: HitRateResult  # in-domain clips only
    top5: HitRateResult
    slices: list[SliceScore]


@dataclass(frozen=True)
class ServerReport:
    concurrency: int
    workers: int
    latency_ms: LatencySummary  # client-side, POST /v1/recognize with the original file
    throughput_rps: float
    peak_rss_mb: float  # VmHWM of the server process after the requests
    ready_s: float  # process start to /readyz 200
    transcripts_match_direct: float  # share of clips the server heard exactly as the direct pipeline did


@dataclass(frozen=True)
class SpeedRatios:
    """Each speed number against its reference, measured in the same run (None: reference not measured)."""

    rtf_vs_reference: float | None  # engine RTF / raw reference engine RTF on whole clips
    server_p50_vs_pipeline: float  # server latency at the first level / direct pipeline (VAD+ASR+search)
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
    pipeline_ms: LatencySummary  # VAD + ASR + search, direct
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

    def best_top1_engine(self) -> str:
        return max(self.engines, key=lambda e: (e.quality.top1.rate, -e.quality.wer.wer)).engine

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


def score_quality(clips: list[BenchClip], runs: list[ClipRun]) -> QualityReport:
    references = [c.utterance.text for c in clips]
    transcripts = [r.transcript for r in runs]
    in_domain = [i for i, c in enumerate(clips) if c.in_domain]
    expected = [clips[i].utterance.expected for i in in_domain]
    found = [runs[i].result_ids for i in in_domain]
    slices = []
    tags = [c.utterance.tags for c in clips]
    for tag in SLICE_TAGS:
        for value, members in slice_by_tag(tags, tag).items():
            scored = [i for i in members if clips[i].in_domain]
            slices.append(
                SliceScore(
                    tag=tag,
                    value=value,
                    clips=len(members),
                    wer=score_wer([references[i] for i in members], [transcripts[i] for i in members]).wer,
                    top1=_top1(clips, runs, scored) if scored else None,
                )
            )
    return QualityReport(
        wer=score_wer(references, transcripts),
        top1=hit_rate(expected, found, 1),
        top5=hit_rate(expected, found, 5),
        slices=slices,
    )


def _top1(clips: list[BenchClip], runs: list[ClipRun], members: list[int]) -> HitRateResult:
    return hit_rate([clips[i].utterance.expected for i in members], [runs[i].result_ids for i in members], 1)


def clip_results(clips: list[BenchClip], runs: list[ClipRun], served: dict[int, list[float]]) -> list[ClipResult]:
    return [
        ClipResult(
            audio=str(clip.utterance.audio),
            reference=clip.utterance.text,
            expected=clip.utterance.expected,
            transcript=run.transcript,
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
