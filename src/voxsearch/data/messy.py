"""A messy labelled dataset with known truth, for testing `voxsearch data ...` (scripts/make_messy_dataset.py).

Clips: synthetic speech (flite/espeak voices) with 0-3 s of silence before and after, peak gains from -35
to -5 dBFS, a low noise floor, mixed rates, channel counts and formats; plus a few clipped clips, an empty
(zero-frame) clip, an all-silent clip, a truncated file, the same audio under two names with different
labels, and lines with hostile paths. Labels: several annotators per clip, each with their own habits
(fillers kept or dropped, "," / "..." / "…" after a filler, digits or words, casing, a final period), drawn
at random. `truth.json` records, for every label, the convention it was written with, and for every clip
where its speech starts and ends.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from voxsearch.data import noise
from voxsearch.data.voices import synthesize, voice_by_name
from voxsearch.fileio import write_atomic, write_text_atomic
from voxsearch.text.numbers import spell_cardinal

logger = logging.getLogger(__name__)

__all__ = ["AnnotatorHabits", "MessyOptions", "MessyResult", "write_messy_dataset", "speech_span_s"]

RATE = 16000
_TEMPLATES = (
    ("play {n} songs by the beatles", "Play {n} songs by the Beatles"),
    ("weather in paris for {n} days", "Weather in Paris for {n} days"),
    ("find {n} hotels near the theater", "Find {n} hotels near the theatre"),
    ("show me {n} pizza places", "Show me {n} pizza places"),
    ("directions to {n} main street", "Directions to {n} Main Street"),
    ("set a timer for {n} minutes", "Set a timer for {n} minutes"),
)
_NUMBERS = (2, 3, 5, 7, 12, 15, 21, 40, 45, 99)
_FILLERS = ("um", "uh")
_FORMATS = (("wav", RATE, 1, "PCM_16"), ("flac", 44100, 2, "PCM_16"), ("wav", 8000, 1, "PCM_16"),
            ("ogg", 22050, 1, "VORBIS"), ("wav", 48000, 1, "FLOAT"))


@dataclass(frozen=True)
class AnnotatorHabits:
    """Probabilities of one annotator's choices."""

    name: str
    keep_filler: float
    ellipsis: float  # after a kept filler: "..." (or "…" half the time) rather than ","
    digits: float
    sentence_case: float
    final_period: float


DEFAULT_ANNOTATORS = (
    AnnotatorHabits("ann", keep_filler=0.8, ellipsis=0.2, digits=0.7, sentence_case=0.9, final_period=0.6),
    AnnotatorHabits("bob", keep_filler=0.5, ellipsis=0.7, digits=0.3, sentence_case=0.2, final_period=0.1),
    AnnotatorHabits("cy", keep_filler=0.1, ellipsis=0.5, digits=0.5, sentence_case=0.5, final_period=0.3),
)


@dataclass(frozen=True)
class MessyOptions:
    seed: int = 7
    clips: int = 24
    voices: tuple[str, ...] = ("flite-slt", "flite-kal16", "flite-awb", "flite-rms")
    annotators: tuple[AnnotatorHabits, ...] = DEFAULT_ANNOTATORS
    max_silence_s: float = 3.0
    peak_dbfs: tuple[float, float] = (-35.0, -5.0)
    clipped_clips: int = 2
    broken: bool = True  # add the broken files, duplicate audio and hostile paths


@dataclass(frozen=True)
class MessyResult:
    manifest: Path
    truth: Path
    clips: int
    labels: int
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 of every file written


def speech_span_s(samples: np.ndarray, rate: int, below_peak_db: float = 40.0) -> tuple[float, float]:
    """First and last 10 ms frame within `below_peak_db` of the loudest frame and 6 dB over the quietest
    10% of frames (an energy reference, independent of any VAD). Stereo is averaged."""
    samples = samples.mean(axis=1) if samples.ndim == 2 else samples
    frame = rate // 100
    count = len(samples) // frame
    power = np.mean(np.square(samples[: count * frame].astype(np.float64).reshape(count, frame)), axis=1)
    levels = 10 * np.log10(np.maximum(power, 1e-20))
    floor = np.percentile(levels[levels > -190], 10) if np.any(levels > -190) else -200.0
    loud = np.flatnonzero(levels >= max(levels.max() - below_peak_db, floor + 6))
    return loud[0] * frame / rate, (loud[-1] + 1) * frame / rate


def write_messy_dataset(out_dir: Path, options: MessyOptions = MessyOptions()) -> MessyResult:
    out_dir = Path(out_dir)
    rng = np.random.default_rng(options.seed)
    lines: list[dict] = []
    truth: dict = {"labels": [], "clips": {}, "annotators": [a.name for a in options.annotators]}
    files: dict[str, str] = {}
    clipped = set(rng.choice(options.clips, size=min(options.clipped_clips, options.clips), replace=False).tolist())
    for index in range(options.clips):
        spoken, written, filler = _utterance(rng, index)
        voice = voice_by_name(options.voices[index % len(options.voices)])
        speech = synthesize(voice, spoken)
        samples = speech.samples.astype(np.float32)
        if speech.sample_rate != RATE:
            samples = soxr.resample(samples, speech.sample_rate, RATE).astype(np.float32)
        start_s, end_s = speech_span_s(samples, RATE)
        lead_s, trail_s = (round(float(rng.uniform(0.0, options.max_silence_s)), 3) for _ in range(2))
        peak = round(float(rng.uniform(*options.peak_dbfs)), 1)
        audio = noise.set_peak(noise.pad_silence(samples, RATE, lead_s, trail_s), peak)
        if index in clipped:
            audio = np.clip(audio * 10 ** (18 / 20) / 10 ** (peak / 20) * 0.9, -1.0, 1.0)  # +18 dB over full scale
        audio = noise.add_noise_floor(audio, min(peak, -5.0) - 50.0, rng)
        ext, rate, channels, subtype = _FORMATS[index % len(_FORMATS)]
        rel = f"audio/clip{index:03d}.{ext}"
        files[rel] = _write(out_dir / rel, audio, rate, channels, subtype, ext)
        clip_truth = {"lead_s": round(lead_s + start_s, 3), "trail_s": round(trail_s + len(samples) / RATE - end_s, 3),
                      "peak_dbfs": peak, "clipped": index in clipped, "spoken": spoken}
        truth["clips"][rel] = clip_truth
        labels = []
        for habits in options.annotators:
            text, choices = _label(written, filler, habits, rng)
            labels.append({"annotator": habits.name, "text": text})
            truth["labels"].append({"audio": rel, "annotator": habits.name, **choices})
        if index % 2 == 0:
            lines.append({"audio": rel, "labels": labels, "tags": {"voice": voice.name}})
        else:
            lines.extend({"audio": rel, "annotator": label["annotator"], "text": label["text"]} for label in labels)
    if options.broken:
        lines.extend(_broken_lines(out_dir, files, rng))
    manifest = out_dir / "manifest.jsonl"
    body = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
    # one label with bytes that are not UTF-8: written raw, as a broken export would
    body += '{"audio": "audio/clip000.wav", "annotator": "dee", "text": "caf\xe9 ' + "\udcff" + '"}\n'
    write_atomic(manifest, body.encode("utf-8", errors="surrogateescape"))
    truth_path = out_dir / "truth.json"
    write_text_atomic(truth_path, json.dumps(truth, indent=1, sort_keys=True) + "\n")
    return MessyResult(manifest=manifest, truth=truth_path, clips=options.clips, labels=len(truth["labels"]),
                       files=files)


def _utterance(rng: np.random.Generator, index: int) -> tuple[str, str, str]:
    spoken_t, written_t = _TEMPLATES[index % len(_TEMPLATES)]
    number = int(rng.choice(_NUMBERS))
    filler = str(rng.choice(_FILLERS))
    spoken = f"{filler} " + spoken_t.format(n=spell_cardinal(number))
    return spoken, written_t.replace("{n}", "{n}").format(n=number), filler


def _label(written: str, filler: str, habits: AnnotatorHabits, rng: np.random.Generator) -> tuple[str, dict]:
    keep = bool(rng.random() < habits.keep_filler)
    ellipsis = bool(rng.random() < habits.ellipsis)
    dots = "..." if rng.random() < 0.5 else "\u2026"
    digits = bool(rng.random() < habits.digits)
    sentence = bool(rng.random() < habits.sentence_case)
    period = bool(rng.random() < habits.final_period)
    text = written
    if not digits:
        text = " ".join(spell_cardinal(int(w)) if w.isdigit() else w for w in text.split())
    if not sentence:
        text = text.lower()
    if keep:
        mark = dots if ellipsis else ","
        head = filler.capitalize() if sentence else filler
        text = f"{head}{mark} {text[0].lower() + text[1:] if sentence else text}"
    if period:
        text += "."
    mark_kind = ("ellipsis" if ellipsis else "comma") if keep else "none"
    return text, {"filler_kept": keep, "mark": mark_kind, "digits": digits, "sentence_case": sentence,
                  "final_period": period, "text": text}


def _write(path: Path, mono: np.ndarray, rate: int, channels: int, subtype: str, ext: str) -> str:
    import io

    samples = soxr.resample(mono, RATE, rate).astype(np.float32) if rate != RATE else mono
    if channels == 2:
        samples = np.stack([samples, samples * 0.8], axis=1)
    buffer = io.BytesIO()
    sf.write(buffer, samples, rate, format=ext.upper(), subtype=subtype)
    data = buffer.getvalue()
    write_atomic(path, data)
    return hashlib.sha256(data).hexdigest()


def _broken_lines(out_dir: Path, files: dict[str, str], rng: np.random.Generator) -> list[dict]:
    """Files and lines a real export gets wrong; each is reported by `data check`, none crashes a command."""
    silent = np.zeros(RATE * 2, dtype=np.float32)
    files["audio/silent.wav"] = _write(out_dir / "audio/silent.wav", silent, RATE, 1, "PCM_16", "wav")
    files["audio/empty.wav"] = _write(out_dir / "audio/empty.wav", np.zeros(0, np.float32), RATE, 1, "PCM_16", "wav")
    whole = (out_dir / "audio/clip000.wav").read_bytes()
    write_atomic(out_dir / "audio/truncated.wav", whole[:30])
    files["audio/truncated.wav"] = hashlib.sha256(whole[:30]).hexdigest()
    write_atomic(out_dir / "audio/copy_of_clip001.flac", (out_dir / "audio/clip001.flac").read_bytes())
    files["audio/copy_of_clip001.flac"] = files["audio/clip001.flac"]
    write_atomic(out_dir / "audio/noise.txt", b"this is not audio\n")
    files["audio/noise.txt"] = hashlib.sha256(b"this is not audio\n").hexdigest()
    link = out_dir / "audio/escape.wav"
    if not link.is_symlink():
        os.symlink("/etc/hostname", link)
    return [
        {"audio": "audio/silent.wav", "text": "play music"},
        {"audio": "audio/empty.wav", "text": "stop"},
        {"audio": "audio/truncated.wav", "text": "weather in rome"},
        {"audio": "audio/copy_of_clip001.flac", "text": "a different label for the same audio"},
        {"audio": "audio/noise.txt", "text": "not audio"},
        {"audio": "audio/clip002.wav", "text": ""},
        {"audio": "audio/clip003.ogg", "text": "bell\x07 and\x1b escape"},
        {"audio": "../outside.wav", "text": "escape with dots"},
        {"audio": "/etc/passwd", "text": "absolute path"},
        {"audio": "audio/escape.wav", "text": "escape through a link"},
        {"audio": "audio/missing.wav", "text": "no such file"},
    ]
