"""The bench's core function end to end on 2 clips: every field is produced (no timing asserts).

Serving with pocketsphinx; adaptation with a stand-in for `train_model` (`train --engine hybrid` that built only
a pocketsphinx version, the generic model), so the section's plumbing is tested without minutes of training.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from rich.console import Console

import bench.adaptation
from bench import BenchOptions, run_bench
from bench.__main__ import parse_options
from bench.table import render_adaptation_table, render_table
from voxsearch.config import Settings
from voxsearch.errors import ModelError
from voxsearch.train.registry import ModelRegistry, ModelVersion
from voxsearch.train.train import TrainOptions, TrainResult

MANIFEST = Path(__file__).parents[1] / "data" / "corpus" / "manifest.jsonl"


def _need_engines() -> None:
    if importlib.util.find_spec("pocketsphinx") is None or importlib.util.find_spec("faster_whisper") is None:
        pytest.skip("the bench smoke test needs the pocketsphinx and whisper extras")


@pytest.fixture(scope="module")
def report():
    _need_engines()
    return run_bench(BenchOptions(manifest=MANIFEST, engines=("pocketsphinx",), sections=("serving",), max_clips=2,
                                  search_rounds=1))


def _stand_in_train(options: TrainOptions, settings: Settings, progress: object = None) -> TrainResult:
    if options.engine != "hybrid":
        raise ModelError(f"the bench trains both engines with --engine hybrid, not {options.engine!r}")
    draft = ModelVersion(version="draft", engine="pocketsphinx", catalog={"name": options.catalog},
                         engine_options={}, files={})
    version = ModelRegistry(settings.home).create(draft, {})
    selection = {"pocketsphinx": {"version": version.version, "dev": None, "wall_time_s": 0.5}}
    return TrainResult(version=version, promoted=False, run_id="stand-in", wall_time_s=0.5,
                       metrics={"tuned": False, "engine_selection": selection})


@pytest.fixture(scope="module")
def adaptation_report():
    _need_engines()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bench.adaptation, "train_model", _stand_in_train)
        return run_bench(BenchOptions(manifest=MANIFEST, engines=("pocketsphinx", "whisper"),
                                      sections=("adaptation",), max_clips=2, search_rounds=1))


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


@pytest.mark.slow
@pytest.mark.integration
def test_adaptation_rows(adaptation_report) -> None:
    assert adaptation_report.engines == [] and adaptation_report.reference is None  # serving not selected
    data = adaptation_report.to_json_dict()
    json.dumps(data, allow_nan=False)
    pocketsphinx, whisper, hybrid = data["adaptation"]
    assert pocketsphinx["engine"] == "pocketsphinx" and pocketsphinx["not_adapted"] is None
    assert pocketsphinx["train"]["wall_s"] == 0.5 and pocketsphinx["train"]["tuned"] is False
    unadapted, adapted = pocketsphinx["unadapted"], pocketsphinx["adapted"]
    assert adapted["model_version"] == pocketsphinx["train"]["version"] != unadapted["model_version"]
    # the stand-in version is the generic model: the same transcripts, so the same scores
    assert adapted["wer_in"] == unadapted["wer_in"] and adapted["top1_in"] == unadapted["top1_in"]
    assert adapted["rtf"] > 0 and pocketsphinx["ratios"]["rtf"] > 0
    assert whisper["not_adapted"] == "no whisper version was built"
    assert whisper["adapted"] is None and whisper["train"] is None and whisper["unadapted"]["rtf"] > 0
    assert hybrid["engine"] == "hybrid" and hybrid["reference"] == "whisper"
    assert hybrid["unadapted"] == whisper["unadapted"]  # compared with unadapted whisper, measured once

    console = Console(width=200, record=True)
    console.print(render_adaptation_table(adaptation_report))
    text = console.export_text()
    for label in ("WER in-domain", "WER out-of-domain", "top-1 in-domain", "real-time factor", "unadapted",
                  "adapted", "no whisper version was built", "unadapted whisper", "train 0.5 s wall"):
        assert label in text


def test_parse_options() -> None:
    options = parse_options(["--engines", "pocketsphinx", "--quick", "--out", "x.json"])
    assert options.engines == ("pocketsphinx",)
    assert options.max_clips is not None and options.out == Path("x.json")
    assert parse_options([]).max_clips is None
    assert parse_options([]).sections == ("serving", "adaptation")
    assert parse_options(["--sections", "adaptation"]).sections == ("adaptation",)
    with pytest.raises(SystemExit):
        parse_options(["--engines", "kaldi"])
    with pytest.raises(SystemExit):
        parse_options(["--sections", "serving,speed"])
