"""voxsearch eval: the real whisper engine on a few corpus clips, and the aggregation on recorded results.

Every number in the report is checked against an independent computation (jiwer on the per-utterance
records of eval.json), slices are checked to add up to the total, the human baseline against the labels.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
from pathlib import Path

import jiwer
import pytest

from tests.conftest import CORPUS_DIR
from voxsearch.config import EngineSettings, Settings
from voxsearch.eval.evaluate import EvalOptions, evaluate, write_report_files
from voxsearch.eval.report import EvalReport
from voxsearch.text.normalize import SCORING_NORMALIZATION

# clean, pink and babble noise, narrow band at 8 kHz, FLAC 44.1 kHz stereo, OGG, one out-of-domain query
PICKED_LINES = (0, 16, 41, 42, 44, 46, 47, 52)
# a second annotator for two clips: one word differs on the first, nothing on the second
SECOND_LABELS = {0: "directions to lima peru", 16: "salta"}


def copy_clips(folder: Path, lines: tuple[int, ...], second_labels: dict[int, str]) -> Path:
    rows = [json.loads(x) for x in (CORPUS_DIR / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    out = []
    for n in lines:
        row = dict(rows[n])
        (folder / row["audio"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS_DIR / row["audio"], folder / row["audio"])
        if n in second_labels:
            row["labels"] = [{"annotator": "a", "text": row["text"]}, {"annotator": "b", "text": second_labels[n]}]
        out.append(json.dumps(row))
    manifest = folder / "manifest.jsonl"
    manifest.write_text("\n".join(out) + "\n", encoding="utf-8")
    return manifest


@pytest.fixture(scope="module")
def evaluated(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[EvalReport, dict, Path]:
    folder = tmp_path_factory.mktemp("eval-set")
    manifest = copy_clips(folder, PICKED_LINES, SECOND_LABELS)
    settings = Settings(home=demo_home, engine=EngineSettings(name="whisper", threads=1))
    seen: list[tuple[str, int, int]] = []
    report = evaluate(EvalOptions(manifest=manifest, catalog="places", engines=["whisper"]), settings,
                      lambda label, done, total: seen.append((label, done, total)))
    assert seen[0] == ("whisper", 0, len(PICKED_LINES)) and seen[-1] == ("whisper", len(PICKED_LINES), len(PICKED_LINES))
    paths = write_report_files(report, folder / "out")
    return report, json.loads(paths["json"].read_text(encoding="utf-8")), paths["html"]


def test_slices_of_each_tag_add_up_to_the_total(evaluated: tuple[EvalReport, dict, Path]) -> None:
    report, _, _ = evaluated
    total = report.overall["whisper"]
    assert {"noise", "band", "format", "domain", "snr_db", "voice"} <= set(report.slice_tags)
    assert not {"lead_ms", "trail_ms", "peak_dbfs", "query"} & set(report.slice_tags)  # free-form tags
    for tag in report.slice_tags:
        parts = [s.scores["whisper"] for s in report.slices_of(tag)]
        assert sum(p.clips for p in parts) == total.clips == len(PICKED_LINES)
        for count in ("substitutions", "deletions", "insertions", "hits", "ref_words", "sentence_errors",
                      "char_errors", "ref_chars"):
            assert sum(getattr(p.wer, count) for p in parts) == getattr(total.wer, count), (tag, count)
        # WER recombines as Σ errors / Σ reference words, not as a mean of the slices' WERs
        errors = sum(p.wer.substitutions + p.wer.deletions + p.wer.insertions for p in parts)
        assert errors / sum(p.wer.ref_words for p in parts) == pytest.approx(total.wer.wer)
        assert sum(p.top1.hits for p in parts if p.top1) == total.top1.hits
        assert sum(p.top1.queries for p in parts if p.top1) == total.top1.queries == len(PICKED_LINES) - 1


def test_report_numbers_match_jiwer_on_the_json_records(evaluated: tuple[EvalReport, dict, Path]) -> None:
    """jiwer on the JSON's scored texts alone (no voxsearch code) gives the report's figures."""
    _, data, _ = evaluated
    utterances = data["utterances"]
    for u in utterances:  # the scored forms are the scoring normalization's
        assert u["reference_scored"] == SCORING_NORMALIZATION(u["reference"])
        assert u["outputs"]["whisper"]["hypothesis_scored"] == SCORING_NORMALIZATION(
            u["outputs"]["whisper"]["hypothesis"])

    def jiwer_wer(members: list[dict]) -> float:
        refs = [u["reference_scored"] for u in members]
        hyps = [u["outputs"]["whisper"]["hypothesis_scored"] for u in members]
        return jiwer.wer(refs, hyps)

    assert data["overall"]["whisper"]["wer"]["wer"] == pytest.approx(jiwer_wer(utterances))
    refs = [u["reference_scored"] for u in utterances]
    hyps = [u["outputs"]["whisper"]["hypothesis_scored"] for u in utterances]
    assert data["overall"]["whisper"]["wer"]["cer"] == pytest.approx(jiwer.cer(refs, hyps))
    for s in data["slices"]:
        members = [u for u in utterances if u["tags"].get(s["tag"], "(untagged)") == s["value"]]
        assert len(members) == s["clips"]
        assert s["scores"]["whisper"]["wer"]["wer"] == pytest.approx(jiwer_wer(members)), (s["tag"], s["value"])
    in_domain = [u for u in utterances if u["expected"] and u["tags"].get("domain") != "out"]
    top1 = sum(bool(set(u["expected"]) & set(u["outputs"]["whisper"]["result_ids"][:1])) for u in in_domain)
    assert data["overall"]["whisper"]["top1"]["rate"] == pytest.approx(top1 / len(in_domain))
    assert data["overall"]["whisper"]["rtf"] == pytest.approx(
        sum(u["outputs"]["whisper"]["asr_ms"] for u in utterances) / 1000
        / sum(u["outputs"]["whisper"]["audio_s"] for u in utterances))


def test_human_baseline_comes_from_the_second_labels(evaluated: tuple[EvalReport, dict, Path]) -> None:
    report, _, _ = evaluated
    assert report.baseline.kind == "human"
    pairs = []
    for u in report.utterances:
        labels = [text for _, text in u.labels]
        pairs += [(SCORING_NORMALIZATION(a), SCORING_NORMALIZATION(b)) for a, b in itertools.combinations(labels, 2)]
    assert len(pairs) == len(SECOND_LABELS)
    expected = jiwer.wer([a for a, _ in pairs], [b for _, b in pairs])
    assert expected > 0
    assert report.baseline_wer == pytest.approx(expected)
    clean = next(s for s in report.slices_of("noise") if s.value == "clean")
    babble = next(s for s in report.slices_of("noise") if s.value == "babble")
    assert clean.baseline_wer == pytest.approx(expected)  # both double-labelled clips are clean
    assert babble.baseline_wer is None
    # the model is scored against the first label
    assert report.utterances[0].reference == report.utterances[0].labels[0][1]


def test_html_report_has_the_tables_plots_and_audio(evaluated: tuple[EvalReport, dict, Path]) -> None:
    report, _, html_path = evaluated
    html = html_path.read_text(encoding="utf-8")
    for heading in ("At a glance", "Where more data would help most", "By slice", "Top word confusions",
                    "Worst clips", "alt='WER vs SNR'", "<audio controls"):
        assert heading in html
    images = html.split("data:image/png;base64,")[1:]
    assert len(images) >= 2 + len(report.slice_tags)  # overall, latency, one per tag (+ SNR, priorities)
    for chunk in images:
        assert base64.b64decode(chunk.split("'", 1)[0])[:8] == b"\x89PNG\r\n\x1a\n"
    players = html.split("data:audio/wav;base64,")[1:]
    assert len(players) == len(report.worst["whisper"]) > 0
    assert base64.b64decode(players[0].split("'", 1)[0])[:4] == b"RIFF"
    overall_wer = f"{100 * report.overall['whisper'].wer.wer:.1f}%"
    assert f"<th class='t'>WER</th><td>{overall_wer}</td>" in html
    for s in report.slices_of("noise"):
        assert f"<td class='t'>{s.value}</td><td>{s.clips}</td><td>{s.ref_words}</td>" in html
    for p in report.priorities["whisper"]:
        assert p.name in html
