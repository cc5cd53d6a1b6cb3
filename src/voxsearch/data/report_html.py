"""The `data check` report as one self-contained HTML page: summary, histograms (base64 PNG), issues."""

from __future__ import annotations

import base64
import html
import io
import math

from voxsearch.data.check import CheckReport

__all__ = ["render_check_html"]

_HISTOGRAMS = (
    ("duration_s", "Duration (s)"),
    ("loudness_lufs", "Loudness (LUFS)"),
    ("rms_dbfs", "RMS (dBFS)"),
    ("lead_silence_ms", "Leading silence (ms, VAD)"),
    ("trail_silence_ms", "Trailing silence (ms, VAD)"),
    ("snr_db", "Estimated SNR (dB)"),
    ("clipped_fraction", "Clipped fraction"),
    ("sample_rate", "Sample rate (Hz)"),
)


def render_check_html(report: CheckReport) -> str:
    figures = "".join(_figure(report, key, title) for key, title in _HISTOGRAMS)
    rows = "".join(
        f"<tr class='{i.severity}'><td>{i.severity}</td><td>{html.escape(i.code)}</td>"
        f"<td>{'' if i.line is None else i.line}</td><td>{html.escape(i.message)}</td></tr>"
        for i in report.issues
    )
    counts = "".join(f"<li>{html.escape(code)}: {n}</li>" for code, n in report.counts_by_code().items())
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>voxsearch data check</title>
<style>body{{font-family:sans-serif;margin:2em}}img{{width:380px}}.error td{{color:#a00}}
table{{border-collapse:collapse}}td{{border-bottom:1px solid #ddd;padding:2px 6px;vertical-align:top}}</style>
</head><body><h1>Data check: {html.escape(report.manifest)}</h1>
<p>{len(report.clips)} clips, {report.labels} labels, <b>{len(report.errors)} errors</b>,
{len(report.warnings)} warnings; definition {html.escape(str(report.definition.get('name')))}
v{report.definition.get('version')}</p><ul>{counts}</ul>
<div>{figures}</div><h2>Issues</h2><table><tr><th>severity</th><th>code</th><th>line</th><th>message</th></tr>
{rows}</table></body></html>
"""


def _figure(report: CheckReport, key: str, title: str) -> str:
    values = [getattr(c.levels, key) for c in report.clips if c.levels is not None]
    values = [float(v) for v in values if v is not None and math.isfinite(v)]
    if not values:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 2.6), dpi=90)
    axes = figure.subplots()
    axes.hist(values, bins=min(30, max(5, len(values) // 2)), color="#4a7ab0")
    axes.set_title(title, fontsize=10)
    axes.set_ylabel("clips", fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img alt='{html.escape(title)}' src='data:image/png;base64,{encoded}'>"
