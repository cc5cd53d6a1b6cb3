"""Report figures as base64 PNG (matplotlib's object API: no pyplot, no global state, no display)."""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from voxsearch.errors import VoxsearchError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from voxsearch.eval.priorities import DataPriority
    from voxsearch.eval.report import EvalReport, SliceReport

_COLORS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860")
_BASELINE_COLOR = "#222222"


def _figure(width_in: float, height_in: float) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise VoxsearchError("the HTML report draws its plots with matplotlib, which is not installed; "
                             "install it with: pip install matplotlib") from exc
    return Figure(figsize=(width_in, height_in), dpi=100, layout="constrained")


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def slice_bars(tag: str, slices: Sequence[SliceReport], labels: Sequence[str], baseline: str) -> str:
    """WER per value of `tag` (one bar per model, the baseline as a black tick) beside top-1 hit rate."""
    fig = _figure(9.0, 3.0)
    wer_ax, hit_ax = fig.subplots(1, 2)
    width = 0.8 / max(len(labels), 1)
    xs = range(len(slices))
    for m, label in enumerate(labels):
        offsets = [x - 0.4 + width * (m + 0.5) for x in xs]
        wer_ax.bar(offsets, [100 * _finite(s.scores[label].wer.wer) for s in slices], width, label=label,
                   color=_COLORS[m % len(_COLORS)])
        hits = [s.scores[label].top1 for s in slices]
        hit_ax.bar(offsets, [100 * h.rate if h else 0.0 for h in hits], width, label=label,
                   color=_COLORS[m % len(_COLORS)])
    base = [(x, 100 * s.baseline_wer) for x, s in zip(xs, slices, strict=True) if s.baseline_wer is not None]
    if base:
        wer_ax.scatter([x for x, _ in base], [y for _, y in base], marker="_", s=900, linewidths=2.5,
                       color=_BASELINE_COLOR, label=baseline, zorder=3)
    for ax, title in ((wer_ax, f"WER % by {tag}"), (hit_ax, f"search top-1 % by {tag} (in-domain clips)")):
        ax.set_xticks(list(xs), [f"{s.value}\n({s.clips})" for s in slices], fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.grid(axis="y", alpha=0.3)
    hit_ax.set_ylim(0, 100)
    wer_ax.legend(fontsize=8)
    return _png(fig)


def wer_vs_snr(report: EvalReport, snr_tag: str = "snr_db") -> str | None:
    """WER against SNR (dB) per model; clips without an SNR tag (clean) as a point at the right."""
    points = [s for s in report.slices_of(snr_tag) if s.value != "(untagged)"]
    try:
        points.sort(key=lambda s: float(s.value))
    except ValueError:
        return None
    if not points:
        return None
    clean = [s for s in report.slices_of(snr_tag) if s.value == "(untagged)"]
    snrs = [float(s.value) for s in points]
    clean_x = max(snrs) + max(5.0, (max(snrs) - min(snrs)) / 3)
    fig = _figure(6.0, 3.2)
    ax = fig.subplots()
    for m, label in enumerate(report.labels):
        color = _COLORS[m % len(_COLORS)]
        ax.plot(snrs, [100 * _finite(s.scores[label].wer.wer) for s in points], marker="o", color=color, label=label)
        if clean:
            ax.plot([clean_x], [100 * _finite(clean[0].scores[label].wer.wer)], marker="s", color=color)
    ticks = [*snrs, *([clean_x] if clean else [])]
    ax.set_xticks(ticks, [f"{v:g}" for v in snrs] + (["no noise"] if clean else []))
    ax.set_xlabel("SNR (dB)")
    ax.set_ylabel("WER %")
    ax.set_title("WER vs signal-to-noise ratio", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _png(fig)


def overall_bars(report: EvalReport) -> str:
    """WER, SER and search top-1/top-5 per model, the baseline WER as a line."""
    fig = _figure(7.0, 3.0)
    ax = fig.subplots()
    metrics = ("WER", "SER", "CER", "top-1", "top-5")
    width = 0.8 / len(report.labels)
    for m, label in enumerate(report.labels):
        s = report.overall[label]
        values = [s.wer.wer, s.wer.ser, s.wer.cer, s.top1.rate if s.top1 else 0.0, s.top5.rate if s.top5 else 0.0]
        ax.bar([x - 0.4 + width * (m + 0.5) for x in range(len(metrics))], [100 * _finite(v) for v in values],
               width, label=label, color=_COLORS[m % len(_COLORS)])
    if report.baseline_wer is not None:
        ax.hlines(100 * report.baseline_wer, -0.45, 0.45, colors=_BASELINE_COLOR, linewidth=2.5,
                  label=f"baseline WER ({report.baseline.label})")
    ax.set_xticks(range(len(metrics)), metrics)
    ax.set_ylabel("%")
    ax.set_title("overall: errors (lower is better) and search hit rate (higher is better)", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    return _png(fig)


def latency_histogram(report: EvalReport) -> str:
    """Distribution of per-clip total latency (ms) per model."""
    fig = _figure(6.0, 3.0)
    ax = fig.subplots()
    for m, label in enumerate(report.labels):
        values = [u.outputs[label].total_ms for u in report.utterances]
        ax.hist(values, bins=30, alpha=0.55, label=label, color=_COLORS[m % len(_COLORS)])
    ax.set_xlabel("latency per clip (ms): resample + VAD + ASR + search")
    ax.set_ylabel("clips")
    ax.set_title("latency", fontsize=10)
    ax.legend(fontsize=8)
    return _png(fig)


def priority_bars(priorities: Sequence[DataPriority]) -> str | None:
    """Total-WER points recoverable per slice (gap to the baseline × share of the data), largest on top."""
    if not priorities:
        return None
    fig = _figure(7.0, 0.5 + 0.35 * len(priorities))
    ax = fig.subplots()
    names = [p.name for p in priorities][::-1]
    ax.barh(names, [p.impact_points for p in priorities][::-1], color=_COLORS[3])
    ax.set_xlabel("points of total WER recoverable (gap to baseline × share of data)")
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def _finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0
