"""Rich tables. Serving: metrics as rows, engines as columns, the reference last; speed cells carry their ratio.
Adaptation: engine × {unadapted, adapted} as rows, each adapted figure with its ratio to the unadapted one."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table

from bench.adaptation import AdaptationRatios, AdaptationReport, ModelScores
from bench.report import BenchReport, EngineReport, QualityReport
from voxsearch.eval import HitRateResult, WerResult


def render_table(report: BenchReport) -> Table:
    engines = report.engines
    reference = report.reference
    meta = report.meta
    table = Table(
        title=f"voxsearch bench — {meta['clips']} clips ({meta['in_domain_clips']} in-domain, {meta['audio_s']} s "
        f"of audio), engine threads: 1",
        caption=_catalog_caption(report),
        show_lines=False,
    )
    table.add_column("metric (ratio: × its reference)", style="bold")
    for e in engines:
        table.add_column(f"{e.engine}", justify="right")
    if reference is not None:
        table.add_column(f"reference: raw {reference.engine}\n+ plain BM25", justify="right", style="dim")

    def row(label: str, cell: Callable[[EngineReport], str], ref: str = "") -> None:
        cells = [cell(e) for e in engines]
        table.add_row(label, *cells, *([ref] if reference is not None else []))

    def quality_row(label: str, cell: Callable[[QualityReport], str]) -> None:
        row(label, lambda e: cell(e.quality), cell(reference.quality) if reference else "")

    quality_row("WER (normalized)", lambda q: _pct(q.wer.wer))
    quality_row("  SER / CER", lambda q: f"{_pct(q.wer.ser)} / {_pct(q.wer.cer)}")
    quality_row("search top-1 hit rate (in-domain)", lambda q: _hits(q.top1))
    quality_row("search top-5 hit rate (in-domain)", lambda q: _hits(q.top5))
    for tag, value, clips in _slice_keys(engines):
        label = f"  {tag}={value} ({clips} clip{'' if clips == 1 else 's'}): top-1 | WER"
        quality_row(label, lambda q, t=tag, v=value: _slice(q, t, v))
    table.add_section()

    row("real-time factor, direct (× reference RTF)", lambda e: _with_ratio(f"{e.rtf:.3f}", e.ratios.rtf_vs_reference),
        f"{reference.rtf:.3f}" if reference else "")
    row("ASR p50 / p95 ms, direct", lambda e: f"{e.asr_ms.p50:.0f} / {e.asr_ms.p95:.0f}",
        f"{reference.asr_ms.p50:.0f} / {reference.asr_ms.p95:.0f}" if reference else "")
    row("pipeline p50 / p95 ms (resample+VAD+ASR+search), direct",
        lambda e: f"{e.pipeline_ms.p50:.0f} / {e.pipeline_ms.p95:.0f}")
    first = engines[0].servers[0].concurrency if engines else 1
    row(f"server p50 ms, c={first} (× direct pipeline p50)",
        lambda e: _with_ratio(f"{e.servers[0].latency_ms.p50:.0f}", e.ratios.server_p50_vs_pipeline))
    row(f"server p95 ms, c={first} (× direct pipeline p95)",
        lambda e: _with_ratio(f"{e.servers[0].latency_ms.p95:.0f}", e.ratios.server_p95_vs_pipeline))
    row("server overhead (server − direct ASR) / direct ASR, median",
        lambda e: f"{e.ratios.server_overhead_median:.2f}")
    for i, level in enumerate(s.concurrency for s in (engines[0].servers if engines else [])):
        if i == 0:
            continue
        row(f"server p50 / p95 ms, c={level}, {level} workers (× c={first} p50)",
            lambda e, i=i: _with_ratio(
                f"{e.servers[i].latency_ms.p50:.0f} / {e.servers[i].latency_ms.p95:.0f}",
                e.ratios.server_p50_vs_first_level[e.servers[i].concurrency]))
    for i, server in enumerate(engines[0].servers if engines else []):
        row(f"throughput req/s, c={server.concurrency}" + (f" (× c={first})" if i else ""),
            lambda e, i=i: _with_ratio(f"{e.servers[i].throughput_rps:.2f}",
                                       e.ratios.throughput_vs_first_level[e.servers[i].concurrency] if i else None))
    for i, server in enumerate(engines[0].servers if engines else []):
        row(f"server peak RSS MiB, {server.workers} worker(s)" + (" (× 1 worker)" if i else ""),
            lambda e, i=i: _with_ratio(f"{e.servers[i].peak_rss_mb:.0f}",
                                       e.ratios.rss_vs_first_level[e.servers[i].concurrency] if i else None))
    row("server transcripts = direct", lambda e: " / ".join(_pct(s.transcripts_match_direct) for s in e.servers))
    row("search p50 ms over its transcripts (× plain BM25 p50)",
        lambda e: _with_ratio(f"{e.search.search_ms.p50:.2f}", e.ratios.search_p50_vs_plain_bm25))
    row("search p95 ms over its transcripts (× plain BM25 p95)",
        lambda e: _with_ratio(f"{e.search.search_ms.p95:.2f}", e.ratios.search_p95_vs_plain_bm25))
    row("plain BM25 p50 / p95 ms, same queries",
        lambda e: f"{e.search.plain_bm25_ms.p50:.2f} / {e.search.plain_bm25_ms.p95:.2f}")
    row("engine load s (bench process) / server ready s",
        lambda e: f"{e.load_s:.1f} / " + " / ".join(f"{s.ready_s:.1f}" for s in e.servers))
    return table


def _catalog_caption(report: BenchReport) -> str:
    c, t = report.catalog, report.reference_text_search
    best = f"best top-1: {report.best_top1_engine()}. " if report.engines else ""
    return (
        f"{best}Search over the {t.queries} reference texts: p50 {t.search_ms.p50:.2f} ms "
        f"(×{t.p50_vs_plain:.2f} plain BM25), p95 {t.search_ms.p95:.2f} ms (×{t.p95_vs_plain:.2f}).\n"
        f"Catalog '{c.name}': {c.entries} entries indexed in {c.index_s:.2f} s "
        f"(× {c.index_vs_plain_fts:.1f} a plain FTS5 table of the same text, {c.plain_fts_s:.2f} s), "
        f"generated in {c.generate_s:.2f} s."
    )


def _slice_keys(engines: list[EngineReport]) -> list[tuple[str, str, int]]:
    if not engines:
        return []
    return [(s.tag, s.value, s.clips) for s in engines[0].quality.slices]


def _slice(quality: QualityReport, tag: str, value: str) -> str:
    for s in quality.slices:
        if s.tag == tag and s.value == value:
            top1 = _pct(s.top1.rate) if s.top1 is not None else "–"
            return f"{top1} | {_pct(s.wer)}"
    return "–"


def _hits(result: HitRateResult | None) -> str:
    return "–" if result is None else f"{_pct(result.rate)} ({result.hits}/{result.queries})"


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _with_ratio(text: str, ratio: float | None) -> str:
    return text if ratio is None else f"{text} (×{ratio:.2f})"


def render_adaptation_table(report: BenchReport) -> Table:
    meta = report.meta
    table = Table(
        title=f"catalog adaptation (voxsearch train, catalog '{report.catalog.name}', {report.catalog.entries} "
        f"entries) — {meta['clips']} clips, {meta['in_domain_clips']} in-domain, engine threads: 1",
        caption="\n".join(_train_line(a) for a in report.adaptation),
        show_lines=False,
    )
    table.add_column("engine", style="bold")
    table.add_column("model")
    table.add_column("WER in-domain\n(adapted: × unadapted)", justify="right")
    table.add_column("WER out-of-domain", justify="right")
    table.add_column("search top-1 in-domain", justify="right")
    table.add_column("real-time factor", justify="right")
    for i, a in enumerate(report.adaptation):
        if i:
            table.add_section()
        unadapted = "unadapted" if a.reference == a.engine else f"unadapted {a.reference}"
        table.add_row(a.engine, unadapted, *_score_cells(a.unadapted))
        if a.adapted is None:
            table.add_row(a.engine, a.not_adapted or "not adapted", "–", "–", "–", "–")
            continue
        table.add_row(a.engine, "adapted", *_score_cells(a.adapted, a.ratios))
    return table


def _score_cells(scores: ModelScores, ratios: AdaptationRatios | None = None) -> tuple[str, str, str, str]:
    r = ratios or AdaptationRatios(wer_in=None, wer_out=None, top1_in=None, rtf=None)
    return (
        _with_ratio(_wer(scores.wer_in), r.wer_in),
        _with_ratio(_wer(scores.wer_out), r.wer_out),
        _with_ratio(_hits(scores.top1_in), r.top1_in),
        _with_ratio(f"{scores.rtf:.3f}", r.rtf),
    )


def _train_line(a: AdaptationReport) -> str:
    unadapted = f"{a.engine} (against {a.reference} {a.unadapted.model_version})" if a.reference != a.engine else \
        f"{a.engine} {a.unadapted.model_version}"
    if a.train is None:
        return f"{unadapted}; {a.not_adapted}"
    how = "tuned on dev data" if a.train.tuned else "untuned (documented defaults)"
    line = f"{unadapted}; train {a.train.wall_s:.1f} s wall, {how} → {a.train.version}"
    return line if a.adapted is not None else f"{line}; {a.not_adapted}"


def _wer(result: WerResult | None) -> str:
    return "–" if result is None else _pct(result.wer)
