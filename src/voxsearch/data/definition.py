"""The data definition: the label convention plus the audio rules, read from one versioned TOML file."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import soundfile as sf

from voxsearch.errors import DatasetError
from voxsearch.text.conventions import (
    Convention,
    convention_from_dict,
    default_definition_path,
    read_definition_toml,
)
from voxsearch.types import AudioLimits

__all__ = ["READ_LIMITS", "AudioRules", "DataDefinition", "load_definition"]

READ_LIMITS = AudioLimits(max_bytes=2_000_000_000, max_duration_s=3 * 3600)  # datasets hold long clips too
_ACTIONS = ("flag", "drop")


@dataclass(frozen=True)
class AudioRules:
    sample_rate_hz: int = 16000
    channels: int = 1
    subtype: str = "PCM_16"
    vad: str = "webrtc"
    pad_ms: float = 200.0
    target_lufs: float = -23.0
    peak_limit_dbfs: float = -1.0
    min_speech_ms: float = 250.0
    max_clipped_fraction: float = 0.001
    on_mostly_silence: str = "drop"
    on_clipped: str = "drop"

    def __post_init__(self) -> None:
        problems = []
        if not 4000 <= self.sample_rate_hz <= 192000:
            problems.append(f"sample_rate_hz = {self.sample_rate_hz!r} (use 8000-192000, e.g. 16000)")
        if self.channels not in (1, 2):
            problems.append(f"channels = {self.channels!r} (use 1 or 2)")
        if not sf.check_format("WAV", self.subtype):
            problems.append(f"subtype = {self.subtype!r} (use a WAV subtype such as PCM_16)")
        if self.vad not in ("silero", "webrtc"):
            problems.append(f"vad = {self.vad!r} (use 'silero' or 'webrtc')")
        if not 0 <= self.pad_ms <= 5000:
            problems.append(f"pad_ms = {self.pad_ms!r} (use 0-5000, e.g. 200)")
        if not -70 <= self.target_lufs <= -5:
            problems.append(f"target_lufs = {self.target_lufs!r} (use -70 to -5, e.g. -23)")
        if not -40 <= self.peak_limit_dbfs <= 0:
            problems.append(f"peak_limit_dbfs = {self.peak_limit_dbfs!r} (use -40 to 0, e.g. -1)")
        if self.min_speech_ms < 0 or not 0 <= self.max_clipped_fraction <= 1:
            problems.append("min_speech_ms must be >= 0 and max_clipped_fraction within [0, 1]")
        for key in ("on_mostly_silence", "on_clipped"):
            if getattr(self, key) not in _ACTIONS:
                problems.append(f"{key} = {getattr(self, key)!r} (use 'flag' or 'drop')")
        if problems:
            raise DatasetError("the [audio] table of the definition has " + "; ".join(problems))


@dataclass(frozen=True)
class DataDefinition:
    convention: Convention
    audio: AudioRules
    source_text: str  # the file as given: copied into every dataset version

    @property
    def name(self) -> str:
        return self.convention.name

    @property
    def version(self) -> int:
        return self.convention.version

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source_text.encode("utf-8")).hexdigest()

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "sha256": self.sha256, "audio": asdict(self.audio)}


def load_definition(path: Path | None = None) -> DataDefinition:
    """The definition in `path`, or the default one shipped with the package."""
    path = Path(path) if path is not None else default_definition_path()
    data = read_definition_toml(path)
    unknown = sorted(set(data) - {"name", "version", "labels", "audio"})
    if unknown:
        raise DatasetError(f"definition {str(path)!r} has unknown top-level keys {unknown}; "
                           "use name, version, [labels] and [audio]")
    audio_table = dict(data.get("audio") or {})
    known = {f.name for f in fields(AudioRules)}
    if set(audio_table) - known:
        raise DatasetError(f"definition {str(path)!r}: unknown [audio] keys {sorted(set(audio_table) - known)}; "
                           f"known keys are {sorted(known)}")
    try:
        audio = AudioRules(**audio_table)
    except TypeError as exc:
        raise DatasetError(f"definition {str(path)!r}: [audio] values have the wrong type ({exc})") from exc
    return DataDefinition(convention=convention_from_dict(data, source=str(path)), audio=audio,
                          source_text=path.read_text(encoding="utf-8"))
