"""A standardize run killed with SIGKILL and run again gives the bytes of an uninterrupted run; trimming
never cuts speech; loudness lands on the target (hypothesis over silences and gains)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.data_def.conftest import tree_hashes
from voxsearch.audio import load_audio, loudness_lufs
from voxsearch.audio.vad import SileroVad
from voxsearch.data.check import READ_LIMITS
from voxsearch.data.definition import load_definition
from voxsearch.data.messy import MessyResult, speech_span_s
from voxsearch.data.speech_bounds import find_speech_bounds
from voxsearch.data.standardize import StandardizeOptions, standardize, trim_to_pad
from voxsearch.data.voices import synthesize, voice_by_name
from voxsearch.types import Audio

RATE = 16000


def _run(manifest: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "voxsearch", "data", "standardize", str(manifest), "--out",
                             str(out), "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # its own process group: the kill takes the workers too


def _recorded(out: Path) -> int:
    """Clips whose record is in a journal of .partial/ (a clip is recorded once its WAV is in place)."""
    journals = (out / ".partial").glob("*.jsonl") if (out / ".partial").is_dir() else []
    return sum(path.read_bytes().count(b"\n") for path in journals)


def _content(out: Path) -> dict[str, str]:
    return {k: v for k, v in tree_hashes(out).items() if k != "run.log"}


@pytest.mark.slow
def test_sigkill_then_rerun_gives_the_uninterrupted_bytes(messy: MessyResult, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    assert _run(messy.manifest, reference).wait() == 0
    for kill_after_files in (1, 4):  # early (few clips done) and later
        out = tmp_path / f"killed-{kill_after_files}"
        process = _run(messy.manifest, out)
        while process.poll() is None:  # wait for progress on disk, then kill without warning
            if _recorded(out) >= kill_after_files:
                os.killpg(process.pid, signal.SIGKILL)
                break
            time.sleep(0.005)
        assert process.wait() == -signal.SIGKILL  # really killed mid-run
        assert _recorded(out) < len(messy.files)
        assert _run(messy.manifest, out).wait() == 0
        assert _content(out) == _content(reference)
        assert not (out / ".partial").exists()


@lru_cache(maxsize=1)
def _speech() -> np.ndarray:
    spoken = synthesize(voice_by_name("flite-slt"), "um weather in paris for twenty days")
    assert spoken.sample_rate == RATE
    return spoken.samples.astype(np.float32)


@lru_cache(maxsize=1)
def _vad() -> SileroVad:
    return SileroVad()


@settings(max_examples=20, deadline=None)
@given(lead_s=st.floats(0.0, 3.0), trail_s=st.floats(0.0, 3.0), peak_dbfs=st.floats(-35.0, -5.0),
       pad_ms=st.sampled_from([0.0, 50.0, 200.0, 500.0]))
def test_trimming_never_cuts_speech_frames(lead_s: float, trail_s: float, peak_dbfs: float, pad_ms: float) -> None:
    speech = _speech() * (10 ** (peak_dbfs / 20) / float(np.max(np.abs(_speech()))))
    lead, trail = round(lead_s * RATE), round(trail_s * RATE)
    rng = np.random.default_rng(0)
    samples = np.concatenate([np.zeros(lead), speech, np.zeros(trail)]).astype(np.float32)
    samples += (rng.standard_normal(len(samples)) * 10 ** ((peak_dbfs - 55) / 20)).astype(np.float32)
    first, last = speech_span_s(speech, RATE)  # the speech frames, known without any VAD
    bounds = find_speech_bounds(Audio(samples, RATE), _vad())
    assert bounds is not None
    assert bounds.start_s <= lead / RATE + first + 0.010
    assert bounds.end_s >= lead / RATE + last - 0.010
    trimmed = trim_to_pad(Audio(samples, RATE), bounds.start_s, bounds.end_s, pad_ms)
    assert trimmed.frames == round(bounds.end_s * RATE) - round(bounds.start_s * RATE) + 2 * round(pad_ms * RATE / 1000)


@settings(max_examples=8, deadline=None)
@given(peak_dbfs=st.floats(-35.0, -5.0), rate=st.sampled_from([8000, 16000, 44100]))
def test_loudness_lands_within_one_lu_of_the_target(peak_dbfs: float, rate: int) -> None:
    import soxr

    definition = load_definition()
    speech = _speech() * (10 ** (peak_dbfs / 20) / float(np.max(np.abs(_speech()))))
    samples = np.concatenate([np.zeros(RATE // 2, np.float32), speech, np.zeros(RATE, np.float32)])
    if rate != RATE:
        samples = soxr.resample(samples, RATE, rate).astype(np.float32)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        buffer = io.BytesIO()
        sf.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
        (root / "in").mkdir()
        (root / "in/a.wav").write_bytes(buffer.getvalue())
        (root / "in/m.jsonl").write_text('{"audio": "a.wav", "text": "Um, weather in Paris for 20 days"}\n',
                                         encoding="utf-8")
        result = standardize(root / "in/m.jsonl", root / "out", definition, StandardizeOptions(jobs=1))
        (clip,) = result.clips
        assert clip.status == "kept"
        out = load_audio(root / "out" / clip.output, READ_LIMITS)
        assert abs(loudness_lufs(out) - definition.audio.target_lufs) <= 1.0
