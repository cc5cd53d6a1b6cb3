"""Where more data would help most: per slice, the gap to the baseline times the slice's share of the data.

A slice's contribution to the total WER is exact: total WER = Σ over the slices of one tag of
(slice reference words / all reference words) × slice WER. So closing a slice's gap to the baseline
lowers the total WER by gap × word share — the "impact" used to rank what to collect next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SliceKey = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SliceErrors:
    """What a ranking needs of a slice: its size, the model's WER there and the baseline's (None: unknown)."""

    key: SliceKey
    clips: int
    ref_words: int
    wer: float
    baseline_wer: float | None


@dataclass(frozen=True)
class DataPriority:
    key: SliceKey
    clips: int
    clip_share: float
    word_share: float  # of all reference words
    wer: float
    baseline_wer: float
    gap_points: float  # (WER - baseline WER) × 100
    impact_points: float  # gap × word share: total-WER points recovered by closing the gap

    @property
    def name(self) -> str:
        return ", ".join(f"{tag}={value}" for tag, value in self.key)

    def sentence(self, baseline_name: str = "baseline") -> str:
        return (f"collect more {self.name} clips: {self.word_share:.0%} of the data ({self.clips} clips), "
                f"{self.gap_points:+.1f} WER points over {baseline_name} → {self.impact_points:.1f} points of total WER")


def rank_priorities(
    slices: Sequence[SliceErrors], total_clips: int, total_ref_words: int, limit: int = 10
) -> list[DataPriority]:
    """Slices where the model is worse than the baseline, largest impact first (ties: more clips first)."""
    ranked = []
    for s in slices:
        if s.baseline_wer is None or total_ref_words == 0 or s.wer <= s.baseline_wer:
            continue
        word_share = s.ref_words / total_ref_words
        gap = (s.wer - s.baseline_wer) * 100.0
        ranked.append(DataPriority(
            key=s.key, clips=s.clips, clip_share=s.clips / total_clips if total_clips else 0.0,
            word_share=word_share, wer=s.wer, baseline_wer=s.baseline_wer, gap_points=gap,
            impact_points=gap * word_share,
        ))
    ranked.sort(key=lambda p: (-p.impact_points, -p.clips, p.key))
    return ranked[:limit]


def baseline_name(kind: str, label: str) -> str:
    """How a sentence names the baseline."""
    return {"human": "human agreement", "none": "the model's average"}.get(kind, label)
