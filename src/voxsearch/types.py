"""Plain data passed between stages. Frozen dataclasses; no behaviour beyond conversions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

TARGET_SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class AudioLimits:
    """What a decoder accepts (the settings' `limits`, VOXSEARCH_LIMITS__*): a plain dataclass, so decoding
    does not import pydantic; the settings validate it from the environment all the same."""

    max_bytes: int = 10_000_000  # largest accepted upload
    max_duration_s: float = 30.0  # longest accepted clip

    def __post_init__(self) -> None:
        if not self.max_bytes > 0 or not self.max_duration_s > 0:
            raise ValueError(f"audio limits max_bytes={self.max_bytes!r}, max_duration_s={self.max_duration_s!r} "
                             "must both be > 0, e.g. max_bytes=10000000, max_duration_s=30")


@dataclass(frozen=True, eq=False)
class Audio:
    """Float32 samples in [-1, 1], shape (frames,) for mono or (frames, channels)."""

    samples: np.ndarray
    sample_rate: int

    @property
    def channels(self) -> int:
        return 1 if self.samples.ndim == 1 else int(self.samples.shape[1])

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0


@dataclass(frozen=True)
class Word:
    text: str
    start_s: float | None = None
    end_s: float | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class Hypothesis:
    """One entry of an n-best list; `score` is engine-specific, higher is better."""

    text: str
    score: float


@dataclass(frozen=True)
class ModelInfo:
    """What produced a result, enough to reproduce it."""

    engine: str
    version: str
    options: dict[str, Any] = field(default_factory=dict)

    def to_wire(self) -> dict[str, str]:
        return {"engine": self.engine, "version": self.version}


@dataclass(frozen=True)
class Transcript:
    text: str
    model: ModelInfo
    words: tuple[Word, ...] = ()
    confidence: float | None = None
    nbest: tuple[Hypothesis, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    title: str
    text: str = ""
    aliases: tuple[str, ...] = ()
    category: str = ""
    popularity: float = 0.0


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    score: float
    category: str = ""
    name: str = ""  # the title's name part as the catalog splits it (search/title_parts); not on the wire

    def to_wire(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "score": round(float(self.score), 4)}


@dataclass(frozen=True)
class Utterance:
    """One manifest line (DESIGN.md): audio path relative to the manifest, reference text, expected ids, tags."""

    audio: str
    text: str = ""
    expected: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"audio": self.audio, "text": self.text, "expected": list(self.expected), "tags": dict(self.tags)}

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> "Utterance":
        return cls(
            audio=str(row["audio"]),
            text=str(row.get("text", "")),
            expected=tuple(str(x) for x in row.get("expected", ())),
            tags={str(k): str(v) for k, v in (row.get("tags") or {}).items()},
        )
