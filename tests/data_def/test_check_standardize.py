"""check, standardize and diff on the messy dataset: real speech, real broken files, the shipped definition."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.data_def.conftest import tree_hashes
from voxsearch.audio import load_audio
from voxsearch.data.check import READ_LIMITS, CheckOptions, check_manifest
from voxsearch.data.definition import load_definition
from voxsearch.data.diff import diff_datasets
from voxsearch.data.messy import MessyResult, speech_span_s
from voxsearch.data.standardize import StandardizeOptions, standardize
from voxsearch.data.versions import read_version
from voxsearch.errors import DatasetError
from voxsearch.text.conventions import follows_convention
from voxsearch.text.detect import LabelRecord, detect_conventions

DEFINITION = load_definition()
PAD_MS = DEFINITION.audio.pad_ms


@pytest.fixture(scope="module")
def version(messy: MessyResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("v1") / "v1"
    standardize(messy.manifest, out, DEFINITION, StandardizeOptions(jobs=1))
    return out


def test_check_reports_every_kind_of_broken_input(messy: MessyResult) -> None:
    report = check_manifest(messy.manifest, DEFINITION, CheckOptions(jobs=1))
    codes = {i.code for i in report.errors}
    assert {"unsafe_path", "missing_file", "undecodable", "empty_audio", "empty_label", "non_utf8_label",
            "control_chars", "duplicate_audio"} <= codes
    refused = sorted(i.audio for i in report.errors if i.code == "unsafe_path")
    assert refused == ["../outside.wav", "/etc/passwd", "audio/escape.wav"]
    warnings = {i.code for i in report.warnings}
    assert {"sample_rate", "channels", "clipped", "mostly_silence", "long_silence"} <= warnings
    truth = json.loads(messy.truth.read_text(encoding="utf-8"))["clips"]
    measured = {c.audio: c.levels for c in report.clips if c.levels is not None}
    for audio, clip in truth.items():
        if clip["clipped"] or audio.endswith(".wav") and "8000" in audio:
            continue
        levels = measured[audio]
        assert abs(levels.lead_silence_ms - 1000 * clip["lead_s"]) <= 30, audio
        assert levels.snr_db is not None and levels.snr_db > 20


def test_the_cli_check_exits_1_with_reports(messy: MessyResult, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "voxsearch", "data", "check", str(messy.manifest), "--jobs", "1",
                           "--json", str(tmp_path / "r.json"), "--html", str(tmp_path / "r.html")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["errors"] > 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 5


def test_standardize_meets_the_definition(messy: MessyResult, version: Path) -> None:
    lines = [json.loads(line) for line in (version / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = [t for line in lines for t in ([line["text"]] if "text" in line else [x["text"] for x in line["labels"]])]
    assert texts and all(follows_convention(t, DEFINITION.convention) for t in texts)
    assert all("text_raw" in line or all("text_raw" in x for x in line["labels"]) for line in lines)
    check = check_manifest(version / "manifest.jsonl", DEFINITION, CheckOptions(jobs=1))
    assert check.clips
    for clip in check.clips:
        levels = clip.levels
        assert levels is not None and levels.sample_rate == 16000 and levels.channels == 1
        assert abs(levels.lead_silence_ms - PAD_MS) <= 30 and abs(levels.trail_silence_ms - PAD_MS) <= 30
        assert abs(levels.loudness_lufs - DEFINITION.audio.target_lufs) <= 1.0
        audio = load_audio(version / clip.audio, READ_LIMITS)  # an energy reference, no VAD
        start_s, end_s = speech_span_s(audio.samples, audio.sample_rate)
        assert abs(1000 * start_s - PAD_MS) <= 30 and abs(1000 * (audio.duration_s - end_s) - PAD_MS) <= 30


def test_standardize_reports_broken_and_refused_and_never_touches_inputs(messy: MessyResult,
                                                                          tmp_path: Path) -> None:
    before = tree_hashes(messy.manifest.parent)
    result = standardize(messy.manifest, tmp_path / "v", DEFINITION, StandardizeOptions(jobs=1))
    assert tree_hashes(messy.manifest.parent) == before
    status = {c.audio: c.status for c in result.clips}
    assert status["../outside.wav"] == status["/etc/passwd"] == status["audio/escape.wav"] == "refused"
    assert status["audio/truncated.wav"] == status["audio/noise.txt"] == status["audio/empty.wav"] == "broken"
    assert status["audio/silent.wav"] == "dropped"
    assert read_version(tmp_path / "v").id == result.version
    again = standardize(messy.manifest, tmp_path / "v", DEFINITION, StandardizeOptions(jobs=1))
    assert again.version == result.version


def test_standardize_refuses_to_write_into_the_input_or_a_foreign_folder(messy: MessyResult, tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="holds the input manifest's folder"):
        standardize(messy.manifest, messy.manifest.parent, DEFINITION)
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(DatasetError, match="not empty and is not a dataset version"):
        standardize(messy.manifest, tmp_path, DEFINITION)
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_diff_lists_label_and_clip_changes(messy: MessyResult, version: Path, tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(messy.manifest.parent, source, symlinks=True)
    in_v1 = [json.loads(line)["source"] for line in (version / "manifest.jsonl").read_text(encoding="utf-8").split("\n")
             if line]
    gone = next(a for a in in_v1 if "beatles" not in json.loads(messy.truth.read_text(encoding="utf-8"))["clips"]
                .get(a, {"spoken": "beatles"})["spoken"])
    lines = (source / "manifest.jsonl").read_bytes().split(b"\n")
    kept = [line for line in lines if f'"{gone}"'.encode() not in line]  # drop one clip
    kept = [line.replace(b"Beatles", b"Rolling Stones") for line in kept]
    (source / "manifest.jsonl").write_bytes(b"\n".join(kept))
    standardize(source / "manifest.jsonl", tmp_path / "v2", DEFINITION, StandardizeOptions(jobs=1))
    result = diff_datasets(version, tmp_path / "v2")
    assert result.removed == (gone,) and not result.added and not result.audio_changed
    changed = [clip for clip, _, _ in result.labels_changed]
    truth = json.loads(messy.truth.read_text(encoding="utf-8"))["clips"]
    assert changed == sorted(a for a in set(in_v1) if "beatles" in truth.get(a, {"spoken": ""})["spoken"])
    assert changed
    assert diff_datasets(version, version).identical


def test_detect_on_the_messy_labels_is_within_two_points_of_the_truth(messy: MessyResult) -> None:
    from voxsearch.data.manifest import is_valid_utf8, read_manifest

    manifest = read_manifest(messy.manifest)
    truth = json.loads(messy.truth.read_text(encoding="utf-8"))
    annotators = set(truth["annotators"])
    records = [LabelRecord(a, lab.annotator, lab.text) for a, lab in manifest.labels()
               if lab.annotator in annotators and is_valid_utf8(lab.text)]
    result = detect_conventions(records, DEFINITION.convention)
    labels = truth["labels"]
    digits = np.mean([t["digits"] for t in labels])
    assert abs(result.dimension("numbers").share("digits") - digits) <= 0.02
    ellipsis = np.mean([t["mark"] == "ellipsis" for t in labels])
    marks = result.dimension("pause_marks")
    assert abs(marks.share("ellipsis ...") + marks.share("ellipsis \u2026") - ellipsis) <= 0.02
    with_filler = {t["audio"] for t in labels if t["filler_kept"]}
    evidenced = [t for t in labels if t["audio"] in with_filler]
    kept = np.mean([t["filler_kept"] for t in evidenced])
    assert abs(result.dimension("fillers").share("kept") - kept) <= 0.02
    for name in annotators:
        own = [t for t in evidenced if t["annotator"] == name]
        if own:
            share = result.dimension("fillers", name).share("kept")
            assert abs(share - np.mean([t["filler_kept"] for t in own])) <= 0.02
