"""What a bench run measures and where it writes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_MANIFEST = Path("tests/data/corpus/manifest.jsonl")
QUICK_MAX_CLIPS = 12
# serving: per engine, quality and speed of the direct pipeline and of real servers, against the raw reference;
# adaptation: per engine, the unadapted engine against a model version trained for the catalog, with train time
SECTIONS = ("serving", "adaptation")


@dataclass(frozen=True)
class BenchOptions:
    manifest: Path = DEFAULT_MANIFEST
    engines: tuple[str, ...] = ("whisper", "pocketsphinx")
    sections: tuple[str, ...] = SECTIONS
    out: Path = Path("reports/bench.json")
    max_clips: int | None = None  # None: every clip of the manifest (after `split`)
    split: str | None = None  # keep only clips tagged split=<this>
    concurrency_levels: tuple[int, ...] = (1, 2)  # one server per level, with as many workers as the level
    reference_engine: str | None = "whisper"  # raw transcript (no VAD) + plain BM25: the baseline to beat
    top_k: int = 5
    search_rounds: int = 3  # timed passes of each search query (interleaved with the plain BM25 reference)
    server_ready_timeout_s: float = 240.0
    request_timeout_s: float = 120.0

    @classmethod
    def quick(cls, **overrides: object) -> BenchOptions:
        return cls(**{"max_clips": QUICK_MAX_CLIPS, "search_rounds": 1, **overrides})  # type: ignore[arg-type]
