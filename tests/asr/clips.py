"""The committed speech clips (tests/data/asr) and word error counting."""

from __future__ import annotations

import json
from pathlib import Path

import jiwer
import soundfile as sf

from voxsearch.types import Audio, Utterance

ASR_DATA = Path(__file__).parent.parent / "data" / "asr"

_WER_TEXT = jiwer.Compose(
    [
        jiwer.ToLowerCase(),
        jiwer.RemovePunctuation(),
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ]
)


def load_clips() -> list[tuple[Utterance, Audio]]:
    lines = (ASR_DATA / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    clips = []
    for line in filter(str.strip, lines):
        utt = Utterance.from_dict(json.loads(line))
        samples, rate = sf.read(ASR_DATA / utt.audio, dtype="float32")
        clips.append((utt, Audio(samples, rate)))
    return clips


CLIPS = load_clips()
CLIP_IDS = [utt.audio.removesuffix(".wav") for utt, _ in CLIPS]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(errors, reference words) after lowercasing and removing punctuation."""
    out = jiwer.process_words(reference, hypothesis, reference_transform=_WER_TEXT, hypothesis_transform=_WER_TEXT)
    return out.substitutions + out.deletions + out.insertions, out.hits + out.substitutions + out.deletions
