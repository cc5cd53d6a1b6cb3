"""The clips of a manifest, decoded once: the uploaded bytes for the server, 16 kHz audio for direct decoding."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voxsearch.audio import load_audio, prepare_for_asr
from voxsearch.config import AudioLimits
from voxsearch.types import Audio, Utterance

_CONTENT_TYPES = {".wav": "audio/wav", ".flac": "audio/flac", ".ogg": "audio/ogg"}
_DIVERSITY_TAGS = ("noise", "band", "domain", "format", "voice")


@dataclass(frozen=True, eq=False)
class BenchClip:
    utterance: Utterance
    path: Path
    data: bytes
    content_type: str
    audio_16k: Audio

    @property
    def in_domain(self) -> bool:
        """Has catalog answers to look for (out-of-domain clips count for WER only)."""
        return bool(self.utterance.expected) and self.utterance.tags.get("domain", "in") != "out"


def load_clips(manifest: Path, max_clips: int | None = None, split: str | None = None) -> list[BenchClip]:
    manifest = Path(manifest)
    if not manifest.is_file():
        raise FileNotFoundError(
            f"manifest {str(manifest)!r} not found; pass --manifest PATH (e.g. tests/data/corpus/manifest.jsonl)"
        )
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    utterances = [Utterance.from_dict(row) for row in rows]
    if split is not None:
        utterances = [u for u in utterances if u.tags.get("split") == split]
    if max_clips is not None:
        utterances = pick_diverse(utterances, max_clips)
    if not utterances:
        raise ValueError(f"no clips to benchmark in {str(manifest)!r} (split={split!r}); check the manifest")
    limits = AudioLimits(max_bytes=50_000_000, max_duration_s=120.0)
    clips = []
    for u in utterances:
        path = manifest.parent / u.audio
        clips.append(
            BenchClip(
                utterance=u,
                path=path,
                data=path.read_bytes(),
                content_type=_CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream"),
                audio_16k=prepare_for_asr(load_audio(path, limits)),
            )
        )
    return clips


def pick_diverse(utterances: list[Utterance], count: int) -> list[Utterance]:
    """`count` utterances in manifest order: greedily covering the most unseen tag values, then evenly spaced."""
    if count >= len(utterances):
        return list(utterances)
    pairs = [{(t, u.tags[t]) for t in _DIVERSITY_TAGS if t in u.tags} for u in utterances]
    chosen: list[int] = []
    seen: set[tuple[str, str]] = set()
    while len(chosen) < count:
        gain, best = max((len(p - seen), -i) for i, p in enumerate(pairs) if i not in chosen)
        if gain == 0:
            break
        chosen.append(-best)
        seen |= pairs[-best]
    spaced = np.linspace(0, len(utterances) - 1, num=count).round().astype(int).tolist()
    for i in [*spaced, *range(len(utterances))]:
        if len(chosen) >= count:
            break
        if i not in chosen:
            chosen.append(i)
    return [utterances[i] for i in sorted(chosen)]
