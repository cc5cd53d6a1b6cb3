"""The bench's core function end to end on 2 clips with pocketsphinx: every field is produced (no timing asserts)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from rich.console import Console

from bench import BenchOptions, run_bench
from bench.__main__ import parse_options
from bench.table import render_table

MANIFEST = Path(__file__).parents[1] / "data" / "corpus" / "manifest.jsonl"


@pytest.fixture(scope="module")
def report():
    if importlib.util.find_spec("pocketsphinx") is None or importlib.util.find_spec("faster_whisper") is None:
        pytest.skip("the bench smoke test needs the pocketsphinx and whisper extras")
    return run_bench(BenchOptions(manifest=MANIFEST, engines=("pocketsphinx",), max_clips=2, search_rounds=1))


def _leaves(value: object, path: str = "") -> list[tuple[str, object]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{path}[{i}]")]
    return [(path, value)]


@pytest.mark.slow
@pytest.mark.integration
def test_every_field_is_measured(report) -> None:
    data = report.to_json_dict()
    json.dumps(data, allow_nan=False)
    optional = (".top1", ".options.split")  # a slice without in-domain clips; no split filter
    missing = [path for path, value in _leaves(data) if value is None and not path.endswith(optional)]
    assert missing == []
    assert data["meta"]["clips"] == 2
    assert data["catalog"]["entries"] > 30_000
    assert data["best_top1_engine"] == "pocketsphinx"
    (engine,) = data["engines"]
    assert engine["engine"] == "pocketsphinx"
    assert set(engine["quality"]) == {"wer", "top1", "top5", "slices"}
    assert {"substitutions", "deletions", "insertions", "hits", "ref_words", "wer", "ser", "cer"} <= set(
        engine["quality"]["wer"]
    )
    assert [s["concurrency"] for s in engine["servers"]] == [1, 2]
    for server in engine["servers"]:
        assert server["latency_ms"]["n"] == 2
        assert server["peak_rss_mb"] > 0
    assert set(engine["ratios"]["server_p50_vs_first_level"]) == {"1", "2"}
    assert engine["ratios"]["rtf_vs_reference"] > 0
    assert engine["search"]["search_ms"]["n"] >= 1
    assert len(engine["clips"]) == 2 and set(engine["clips"][0]["server_latency_ms"]) == {"1", "2"}
    assert data["reference"]["engine"] == "whisper"
    assert data["reference"]["quality"]["top1"]["k"] == 1


@pytest.mark.slow
@pytest.mark.integration
def test_table_renders(report) -> None:
    console = Console(width=160, record=True)
    console.print(render_table(report))
    text = console.export_text()
    labels = ("WER (normalized)", "top-1 hit rate", "real-time factor", "server p50 ms", "peak RSS", "search p50",
              "reference texts")
    for label in labels:
        assert label in text
    assert "pocketsphinx" in text


def test_parse_options() -> None:
    options = parse_options(["--engines", "pocketsphinx", "--quick", "--out", "x.json"])
    assert options.engines == ("pocketsphinx",)
    assert options.max_clips is not None and options.out == Path("x.json")
    assert parse_options([]).max_clips is None
    with pytest.raises(SystemExit):
        parse_options(["--engines", "kaldi"])
