"""Hybrid recognition: pocketsphinx with a catalog LM for queries about the catalog, Whisper for the rest.

Each clip is decoded by pocketsphinx with its generic and its catalog LM. When the catalog hypothesis
wins (score + catalog_bias above the generic one's), the query is about the catalog and that hypothesis
is the transcript; otherwise the clip goes to Whisper, which is far better than pocketsphinx's generic LM
on open speech. The catalog LM so lifts catalog queries while other queries keep Whisper's accuracy.
The routing bias is tuned by `voxsearch train` (train/hybrid_tuning).
"""

from __future__ import annotations

from dataclasses import replace

from voxsearch.asr.engine import Engine
from voxsearch.asr.pocketsphinx_engine import PocketsphinxEngine
from voxsearch.types import Audio, ModelInfo, Transcript

__all__ = ["HybridEngine"]


class HybridEngine:
    """Not thread-safe (neither part is): one instance serves one thread at a time."""

    def __init__(self, catalog: PocketsphinxEngine, general: Engine) -> None:
        self.catalog = catalog
        self.general = general
        self.info = ModelInfo(
            engine="hybrid",
            version=f"{catalog.info.version}+{general.info.version}",
            options={"catalog": catalog.info.options, "general": {"engine": general.info.engine,
                                                                  **general.info.options}},
        )

    def transcribe(self, audio: Audio) -> Transcript:
        transcript = self.catalog.transcribe_in_catalog(audio)
        if transcript is None:
            transcript = self.general.transcribe(audio)
        return replace(transcript, model=self.info)
