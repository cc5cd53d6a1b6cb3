"""The clips of a manifest, read as the eval library's items and decoded once: the uploaded bytes for the
server, 16 kHz audio for the raw-engine reference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voxsearch.audio import prepare_for_asr
from voxsearch.config import AudioLimits
from voxsearch.eval.dataset import EvalItem, load_eval_set
from voxsearch.eval.runner import load_clip
from voxsearch.types import Audio

CLIP_LIMITS = AudioLimits(max_bytes=50_000_000, max_duration_s=120.0)
_CONTENT_TYPES = {".wav": "audio/wav", ".flac": "audio/flac", ".ogg": "audio/ogg"}
_DIVERSITY_TAGS = ("noise", "band", "domain", "format", "voice")


@dataclass(frozen=True, eq=False)
class BenchClip:
    item: EvalItem  # reference text, expected ids, tags: what the eval library scores against
    data: bytes
    content_type: str
    audio_16k: Audio

    @property
    def path(self) -> Path:
        return self.item.path

    @property
    def in_domain(self) -> bool:
        """Has catalog answers to look for (out-of-domain clips count for WER only)."""
        return self.item.in_domain


def load_clips(manifest: Path, max_clips: int | None = None, split: str | None = None) -> list[BenchClip]:
    manifest = Path(manifest)
    if not manifest.is_file():
        raise FileNotFoundError(
            f"manifest {str(manifest)!r} not found; pass --manifest PATH (e.g. tests/data/corpus/manifest.jsonl)"
        )
    items = list(load_eval_set(manifest).items)
    if split is not None:
        items = [i for i in items if i.tags.get("split") == split]
    if max_clips is not None:
        items = pick_diverse(items, max_clips)
    if not items:
        raise ValueError(f"no clips to benchmark in {str(manifest)!r} (split={split!r}); check the manifest")
    return [
        BenchClip(
            item=item,
            data=item.path.read_bytes(),
            content_type=_CONTENT_TYPES.get(item.path.suffix.lower(), "application/octet-stream"),
            audio_16k=prepare_for_asr(load_clip(item, CLIP_LIMITS)),
        )
        for item in items
    ]


def pick_diverse(items: Sequence[EvalItem], count: int) -> list[EvalItem]:
    """`count` items in manifest order: greedily covering the most unseen tag values, then evenly spaced."""
    if count >= len(items):
        return list(items)
    pairs = [{(t, u.tags[t]) for t in _DIVERSITY_TAGS if t in u.tags} for u in items]
    chosen: list[int] = []
    seen: set[tuple[str, str]] = set()
    while len(chosen) < count:
        gain, best = max((len(p - seen), -i) for i, p in enumerate(pairs) if i not in chosen)
        if gain == 0:
            break
        chosen.append(-best)
        seen |= pairs[-best]
    spaced = np.linspace(0, len(items) - 1, num=count).round().astype(int).tolist()
    for i in [*spaced, *range(len(items))]:
        if len(chosen) >= count:
            break
        if i not in chosen:
            chosen.append(i)
    return [items[i] for i in sorted(chosen)]
