"""The evaluation report as one self-contained HTML page: tables, plots (base64 PNG), audio of the worst clips."""

from __future__ import annotations

import base64
import logging
import math
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

from voxsearch.audio import encode_wav, load_audio, prepare_for_asr
from voxsearch.config import AudioLimits
from voxsearch.errors import VoxsearchError
from voxsearch.eval import plots
from voxsearch.eval.priorities import baseline_name
from voxsearch.eval.report import EvalReport, SliceReport
from voxsearch.eval.scores import SubsetScores, word_errors
from voxsearch.types import Audio

log = logging.getLogger(__name__)

MAX_CLIP_S = 8.0  # audio embedded per worst clip, 16 kHz mono 16-bit: ~32 KB a second
_CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.4}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ddd}h3{margin-bottom:.3em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f4f4f4}
td.t,th.t{text-align:left}.better{color:#19692c;font-weight:600}.worse{color:#b0171f;font-weight:600}
.meta{color:#555;font-size:.9em}img{max-width:100%}li{margin:.3em 0}audio{height:28px;width:220px}
.big{font-size:1.05em}
"""

# metric name, getter, lower is better, format
Metric = tuple[str, Callable[[SubsetScores], float | None], bool, str]
METRICS: tuple[Metric, ...] = (
    ("WER", lambda s: s.wer.wer, True, "pct"),
    ("SER", lambda s: s.wer.ser, True, "pct"),
    ("CER", lambda s: s.wer.cer, True, "pct"),
    ("search top-1", lambda s: s.top1.rate if s.top1 else None, False, "pct"),
    ("search top-5", lambda s: s.top5.rate if s.top5 else None, False, "pct"),
    ("latency p50 (ms)", lambda s: s.total_ms.p50, True, "ms"),
    ("latency p95 (ms)", lambda s: s.total_ms.p95, True, "ms"),
    ("ASR p50 (ms)", lambda s: s.asr_ms.p50, True, "ms"),
    ("ASR p95 (ms)", lambda s: s.asr_ms.p95, True, "ms"),
    ("RTF", lambda s: s.rtf, True, "ratio"),
)


def render_html(report: EvalReport, audio_root: Path) -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>voxsearch eval — "
             f"{escape(Path(report.manifest).name)}</title><style>{_CSS}</style></head><body>"]
    parts += _header(report)
    parts += _overall(report)
    parts += _priorities(report)
    parts += _slices(report)
    parts += _confusions(report)
    parts += _worst(report, audio_root)
    parts.append("</body></html>")
    return "\n".join(parts)


def fmt(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    if not math.isfinite(value):
        return "∞"
    if kind == "pct":
        return f"{100 * value:.1f}%"
    if kind == "ms":
        return f"{value:.0f}"
    return f"{value:.3f}"


def _img(png: str | None, alt: str) -> str:
    return f"<p><img alt='{escape(alt)}' src='data:image/png;base64,{png}'></p>" if png else ""


def _header(report: EvalReport) -> list[str]:
    models = "; ".join(f"<b>{escape(m.label)}</b> ({escape(m.source)}: {escape(m.engine)} {escape(m.version)})"
                       for m in report.models)
    return [
        f"<h1>voxsearch eval — {escape(Path(report.manifest).name)}</h1>",
        f"<p class='meta'>{len(report.utterances)} clips from {escape(report.manifest)} "
        f"(sha256 {report.manifest_sha256[:12]}); catalog: {escape(report.catalog or 'none')}; "
        f"text scored after {escape(report.normalization)}.<br>Models: {models}.<br>"
        f"Baseline: {escape(report.baseline.description)}.</p>",
    ]


def _delta_cell(ref: float | None, value: float | None, lower_better: bool, kind: str) -> str:
    if ref is None or value is None or not (math.isfinite(ref) and math.isfinite(value)):
        return "<td>–</td>"
    delta = value - ref
    better = delta < 0 if lower_better else delta > 0
    css = "" if delta == 0 else ("better" if better else "worse")
    text = f"{100 * delta:+.1f} pts" if kind == "pct" else (f"{delta:+.0f}" if kind == "ms" else f"{delta:+.3f}")
    return f"<td class='{css}'>{text}</td>"


def _overall(report: EvalReport) -> list[str]:
    ref = report.reference_label
    others = [label for label in report.labels if label != ref]
    head = "".join(f"<th>{escape(label)}</th>" for label in report.labels)
    head += "".join(f"<th>Δ {escape(o)} − {escape(ref)}</th>" for o in others)
    head += "<th>baseline</th>" if report.baseline.kind == "human" else ""
    rows = []
    for name, get, lower, kind in METRICS:
        cells = "".join(f"<td>{fmt(get(report.overall[label]), kind)}</td>" for label in report.labels)
        cells += "".join(_delta_cell(get(report.overall[ref]), get(report.overall[o]), lower, kind) for o in others)
        if report.baseline.kind == "human":
            cells += f"<td>{fmt(report.baseline_wer, 'pct')}</td>" if name == "WER" else "<td></td>"
        rows.append(f"<tr><th class='t'>{name}</th>{cells}</tr>")
    words = report.overall[report.labels[0]].wer.ref_words
    return ["<h2>At a glance</h2>", f"<p class='meta'>{words} reference words; search scored on in-domain clips "
            "(with expected ids, not tagged domain=out); RTF = ASR time / audio duration.</p>",
            f"<table><tr><th class='t'>metric</th>{head}</tr>{''.join(rows)}</table>",
            _img(plots.overall_bars(report), "overall scores")]


def _priorities(report: EvalReport) -> list[str]:
    parts = ["<h2>Where more data would help most</h2>",
             "<p class='meta'>Per slice (one tag value, or two crossed): the model's WER minus the baseline's, "
             "times the slice's share of the reference words = the points of total WER that closing the gap "
             "would recover.</p>"]
    name = baseline_name(report.baseline.kind, report.baseline.label)
    for label, priorities in report.priorities.items():
        parts.append(f"<h3>{escape(label)}</h3>")
        if not priorities:
            parts.append("<p>No slice is worse than the baseline.</p>")
            continue
        parts.append("<ol class='big'>" + "".join(f"<li>{escape(p.sentence(name))}</li>" for p in priorities)
                     + "</ol>")
        parts.append(_img(plots.priority_bars(priorities), f"data priorities for {label}"))
    return parts


def _slices(report: EvalReport) -> list[str]:
    parts = ["<h2>By slice</h2>", "<p class='meta'>Every tag with a few distinct values; clips without the tag "
             "form the (untagged) slice, so each tag's slices add up to all clips.</p>"]
    snr = plots.wer_vs_snr(report)
    if snr:
        parts.append(_img(snr, "WER vs SNR"))
    for tag in report.slice_tags:
        slices = report.slices_of(tag)
        parts.append(f"<h3>{escape(tag)}</h3>")
        parts.append(_slice_table(report, slices))
        parts.append(_img(plots.slice_bars(tag, slices, report.labels,
                                               f"baseline: {baseline_name(report.baseline.kind, report.baseline.label)}"), f"WER by {tag}"))
    parts.append("<h2>Latency</h2>")
    parts.append(_img(plots.latency_histogram(report), "latency histogram"))
    return parts


def _slice_table(report: EvalReport, slices: Sequence[SliceReport]) -> str:
    ref = report.reference_label
    others = [label for label in report.labels if label != ref]
    has_base = report.baseline.kind == "human"
    head = "<tr><th class='t'>value</th><th>clips</th><th>words</th>"
    head += "".join(f"<th>WER {escape(label)}</th>" for label in report.labels)
    head += "".join(f"<th>Δ WER {escape(o)}</th>" for o in others)
    head += "<th>baseline WER</th>" if has_base else ""
    head += "".join(f"<th>top-1 {escape(label)}</th>" for label in report.labels) + "</tr>"
    rows = []
    for s in slices:
        cells = "".join(f"<td>{fmt(s.scores[label].wer.wer, 'pct')}</td>" for label in report.labels)
        cells += "".join(_delta_cell(s.scores[ref].wer.wer, s.scores[o].wer.wer, True, "pct") for o in others)
        cells += f"<td>{fmt(s.baseline_wer, 'pct')}</td>" if has_base else ""
        cells += "".join(f"<td>{fmt(s.scores[label].top1.rate if s.scores[label].top1 else None, 'pct')}</td>"
                         for label in report.labels)
        rows.append(f"<tr><td class='t'>{escape(s.value)}</td><td>{s.clips}</td><td>{s.ref_words}</td>{cells}</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _confusions(report: EvalReport) -> list[str]:
    parts = ["<h2>Top word confusions</h2>", "<p class='meta'>Substitutions from the WER alignment "
             "(after the scoring normalization): said → heard.</p>"]
    for label in report.labels:
        rows = "".join(f"<tr><td class='t'>{escape(c.reference)}</td><td class='t'>{escape(c.hypothesis)}</td>"
                       f"<td>{c.count}</td></tr>" for c in report.confusions[label])
        parts.append(f"<h3>{escape(label)}</h3>")
        parts.append(f"<table><tr><th class='t'>said</th><th class='t'>heard</th><th>times</th></tr>{rows}</table>"
                     if rows else "<p>No substitutions.</p>")
    return parts


def _worst(report: EvalReport, audio_root: Path) -> list[str]:
    parts = ["<h2>Worst clips</h2>", "<p class='meta'>Most word errors first (then missed searches); "
             "listen to them: the audio is embedded (16 kHz mono, first seconds).</p>"]
    audio_cache: dict[int, str | None] = {}
    for label in report.labels:
        rows = []
        for i in report.worst[label]:
            u = report.utterances[i]
            out = u.outputs[label]
            errors, words = word_errors(u.reference, out.hypothesis)
            if i not in audio_cache:
                audio_cache[i] = clip_audio_base64(audio_root / u.audio)
            player = (f"<audio controls preload='none' src='data:audio/wav;base64,{audio_cache[i]}'></audio>"
                      if audio_cache[i] else "(unreadable)")
            tags = ", ".join(f"{k}={v}" for k, v in sorted(u.tags.items()) if k in report.slice_tags)
            found = "" if report.catalog is None or not u.expected else (
                "✓" if set(u.expected) & set(out.result_ids[:1]) else "✗")
            rows.append(f"<tr><td class='t'>{player}<br><small>line {u.line}: {escape(u.audio)}</small></td>"
                        f"<td class='t'>{escape(u.reference)}</td><td class='t'>{escape(out.hypothesis)}</td>"
                        f"<td>{errors}/{words}</td><td>{found}</td><td class='t'><small>{escape(tags)}</small></td></tr>")
        parts.append(f"<h3>{escape(label)}</h3>")
        parts.append("<table><tr><th class='t'>clip</th><th class='t'>reference</th><th class='t'>heard</th>"
                     "<th>word errors</th><th>top-1</th><th class='t'>tags</th></tr>" + "".join(rows) + "</table>"
                     if rows else "<p>No clip with an error.</p>")
    return parts


def clip_audio_base64(path: Path, max_s: float = MAX_CLIP_S) -> str | None:
    """The clip as 16 kHz mono 16-bit WAV, cut to `max_s`, base64; None (logged) if it cannot be read."""
    try:
        audio = prepare_for_asr(load_audio(path, AudioLimits(max_bytes=50_000_000, max_duration_s=600.0)))
    except VoxsearchError as exc:
        log.warning("not embedding %s: %s", path, exc.message)
        return None
    cut = Audio(audio.samples[: int(max_s * audio.sample_rate)], audio.sample_rate)
    return base64.b64encode(encode_wav(cut)).decode("ascii")
