"""The bench's core: catalog once; serving: per engine direct decoding, a real server per concurrency level,
search; adaptation: per engine, unadapted vs a model version trained for the catalog."""

from __future__ import annotations

import gc
import logging
import os
import platform
import statistics
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

from rich.progress import Progress

import voxsearch
from bench.adaptation import AdaptationReport, bench_adaptation
from bench.catalog import build_bench_catalog
from bench.clips import BenchClip, load_clips
from bench.direct import load_pipeline, run_pipeline, run_raw_reference
from bench.load import LoadRun, run_load
from bench.options import BenchOptions
from bench.progress import Steps
from bench.report import (
    BenchReport,
    EngineReport,
    ReferenceReport,
    ServerReport,
    SpeedRatios,
    clip_results,
    score_quality,
)
from bench.search_speed import SearchSpeed, measure_search
from bench.server import bench_server, peak_rss_mb
from voxsearch.asr import Engine, create_engine
from voxsearch.config import EngineSettings
from voxsearch.eval import LatencySummary, percentiles_ms
from voxsearch.eval.runner import Outcome
from voxsearch.search import CatalogIndex, CatalogStore

log = logging.getLogger(__name__)


def run_bench(options: BenchOptions, progress: Progress | None = None) -> BenchReport:
    steps = Steps(progress)
    clips = load_clips(options.manifest, options.max_clips, options.split)
    meta = _meta(options, clips)
    with tempfile.TemporaryDirectory(prefix="voxsearch-bench-") as tmp:
        home = Path(tmp)
        advance = steps.task("building the demo catalog", 1)
        catalog = build_bench_catalog(home)
        advance()
        steps.note(f"catalog: {catalog.entries} entries indexed in {catalog.index_s:.1f} s")
        with CatalogStore(home).open(catalog.name) as index:
            reference: ReferenceReport | None = None
            engines = []
            serving = "serving" in options.sections
            for name in options.engines if serving else ():
                report, raw_engine_runs = _bench_engine(name, clips, index, home, options, steps)
                engines.append(report)
                if raw_engine_runs is not None:
                    reference = raw_engine_runs
            if serving and reference is None and options.reference_engine is not None:
                engine = create_engine(EngineSettings(name=options.reference_engine, threads=1))
                reference = _reference(engine, clips, index, options, steps)
                del engine
            engines = [_with_reference_ratio(e, reference) for e in engines]
            adaptation: list[AdaptationReport] = []
            if "adaptation" in options.sections:
                adaptation = bench_adaptation(list(options.engines), clips, index, home, options.top_k, steps)
            advance = steps.task("search latency over the reference texts", 1)
            text_search = measure_search(
                index, [c.item.reference for c in clips], options.top_k, options.search_rounds
            )
            advance()
    return BenchReport(
        meta=meta, catalog=catalog, reference=reference, engines=engines, reference_text_search=text_search,
        adaptation=adaptation,
    )


def _bench_engine(
    name: str, clips: list[BenchClip], index: CatalogIndex, home: Path, options: BenchOptions, steps: Steps
) -> tuple[EngineReport, ReferenceReport | None]:
    pipeline, load_s = load_pipeline(name, home)
    info = pipeline.engine.info
    runs = run_pipeline(pipeline, clips, index, options.top_k, steps.task(f"{name}: direct pipeline", len(clips)))
    reference = None
    if options.reference_engine == name:
        reference = _reference(pipeline.engine, clips, index, options, steps)
    del pipeline
    gc.collect()  # free the bench's copy of the model before the servers load theirs

    loads: list[LoadRun] = []
    servers: list[ServerReport] = []
    for level in options.concurrency_levels:
        with bench_server(home, name, workers=level, timeout_s=options.server_ready_timeout_s) as server:
            advance = steps.task(f"{name}: server, {level} worker(s), concurrency {level}", len(clips))
            load = run_load(server.url, clips, level, options.top_k, options.request_timeout_s, advance)
            rss_mb = peak_rss_mb(server.pid)
        loads.append(load)
        servers.append(
            ServerReport(
                concurrency=level,
                workers=level,
                latency_ms=percentiles_ms([c.latency_ms for c in load.clips]),
                throughput_rps=load.throughput_rps,
                peak_rss_mb=rss_mb,
                ready_s=server.ready_s,
                transcripts_match_direct=sum(
                    s.transcript == r.hypothesis for s, r in zip(load.clips, runs, strict=True)
                ) / len(runs),
            )
        )

    advance = steps.task(f"{name}: search latency", 1)
    search = measure_search(index, [r.hypothesis for r in runs], options.top_k, options.search_rounds)
    advance()
    quality, overall = score_quality(clips, runs)
    report = EngineReport(
        engine=name,
        model_version=info.version,
        load_s=load_s,
        quality=quality,
        rtf=overall.rtf,
        asr_ms=overall.asr_ms,
        pipeline_ms=overall.total_ms,
        servers=servers,
        search=search,
        ratios=_ratios(runs, loads, servers, overall.total_ms, search),
        clips=clip_results(clips, runs, {load.concurrency: [c.latency_ms for c in load.clips] for load in loads}),
    )
    return report, reference


def _reference(
    engine: Engine, clips: list[BenchClip], index: CatalogIndex, options: BenchOptions, steps: Steps
) -> ReferenceReport:
    advance = steps.task(f"reference: raw {engine.info.engine} + plain BM25", len(clips))
    runs = run_raw_reference(engine, clips, index, options.top_k, advance)
    quality, overall = score_quality(clips, runs)
    return ReferenceReport(
        description=f"raw {engine.info.engine} transcript of the whole clip (no VAD), searched with plain BM25",
        engine=engine.info.engine,
        model_version=engine.info.version,
        quality=quality,
        rtf=overall.rtf,
        asr_ms=overall.asr_ms,
        clips=clip_results(clips, runs, {}),
    )


def _ratios(
    runs: list[Outcome],
    loads: list[LoadRun],
    servers: list[ServerReport],
    pipeline_ms: LatencySummary,
    search: SearchSpeed,
) -> SpeedRatios:
    first, first_report = loads[0], servers[0]
    overheads = [
        (s.latency_ms - r.asr_ms) / r.asr_ms for s, r in zip(first.clips, runs, strict=True) if r.asr_ms > 0
    ]
    return SpeedRatios(
        rtf_vs_reference=None,
        server_p50_vs_pipeline=first_report.latency_ms.p50 / pipeline_ms.p50,
        server_p95_vs_pipeline=first_report.latency_ms.p95 / pipeline_ms.p95,
        server_overhead_median=statistics.median(overheads) if overheads else float("nan"),
        server_p50_vs_first_level={s.concurrency: s.latency_ms.p50 / first_report.latency_ms.p50 for s in servers},
        throughput_vs_first_level={s.concurrency: s.throughput_rps / first_report.throughput_rps for s in servers},
        rss_vs_first_level={s.concurrency: s.peak_rss_mb / first_report.peak_rss_mb for s in servers},
        search_p50_vs_plain_bm25=search.p50_vs_plain,
        search_p95_vs_plain_bm25=search.p95_vs_plain,
    )


def _with_reference_ratio(report: EngineReport, reference: ReferenceReport | None) -> EngineReport:
    if reference is None or reference.rtf <= 0:
        return report
    return replace(report, ratios=replace(report.ratios, rtf_vs_reference=report.rtf / reference.rtf))


def _meta(options: BenchOptions, clips: list[BenchClip]) -> dict:
    return {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "voxsearch_version": voxsearch.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()},
        "clips": len(clips),
        "in_domain_clips": sum(c.in_domain for c in clips),
        "audio_s": round(sum(c.audio_16k.duration_s for c in clips), 2),
        "engine_threads": 1,
    }
