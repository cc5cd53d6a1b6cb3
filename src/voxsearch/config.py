"""Settings from the environment (prefix VOXSEARCH_, nested with "__"), e.g. VOXSEARCH_LIMITS__MAX_BYTES."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from voxsearch.types import AudioLimits

__all__ = ["AudioLimits", "EngineSettings", "SearchSettings", "ServerSettings", "Settings", "VadSettings"]


def _default_home() -> Path:
    return Path.home() / ".voxsearch"


class DenoiseSettings(BaseModel):
    """Spectral subtraction before the VAD, for noisy clips only (audio/denoise)."""

    enabled: bool = Field(False, description="Denoise clips whose estimated SNR is below `below_snr_db`.")
    below_snr_db: float = Field(25.0, description="Only clips whose estimated SNR is lower are denoised.")
    over_subtraction: float = Field(2.0, gt=0, description="Noise power subtracted, in multiples of its estimate.")
    floor: float = Field(0.05, ge=0, le=1, description="Lowest power gain kept in any bin (against musical noise).")
    noise_percentile: float = Field(20.0, gt=0, lt=100, description="Percentile of each bin's power taken as noise.")


class VadSettings(BaseModel):
    backend: Literal["silero", "webrtc", "none"] = "silero"
    pad_ms: int = Field(200, ge=0, description="Silence kept before and after the detected speech.")
    keep_below_snr_db: float | None = Field(
        None, description="Clips whose estimated SNR is below this are not trimmed (in noise the VAD cuts into "
        "word onsets). None: always trim."
    )
    threshold: float = Field(0.5, gt=0, lt=1, description="Silero speech probability threshold.")
    webrtc_mode: int = Field(2, ge=0, le=3)


class EngineSettings(BaseModel):
    name: str = "whisper"
    whisper_model: str | None = Field(
        None, description="A bundled Whisper model, tiny.en (default) or base (whisper-base extra), or a CTranslate2 "
        "Whisper model folder."
    )
    whisper_beam_size: int = Field(5, ge=1)
    whisper_compute_type: str = "int8"
    threads: int = Field(1, ge=0, description="Intra-op threads per engine instance (0 = library default).")
    isolate_pocketsphinx: bool = Field(
        False, description="Run each pocketsphinx decoder in its own process (the server does: pocketsphinx holds "
        "Python's GIL while it decodes)."
    )


class SearchSettings(BaseModel):
    nbest_hypotheses: int = Field(
        4, ge=1, le=10, description="Recognition hypotheses searched per query (1: the best one only)."
    )
    nbest_weight: float = Field(
        1.0, ge=0, description="How much an alternative hypothesis's lower ASR score counts against its hits."
    )


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    workers: int = Field(2, ge=1, description="Engine instances decoding in parallel.")
    queue_size: int = Field(4, ge=0, description="Requests allowed to wait for a worker before 503.")
    retry_after_s: int = Field(1, ge=1)
    model_poll_s: float = Field(5.0, gt=0, description="How often the server checks the registry's promotions.")
    admin_token: str | None = Field(None, description="When set, /v1/admin/* requires 'Authorization: Bearer TOKEN'.")
    default_top_k: int = Field(5, ge=1, le=100)
    max_top_k: int = Field(50, ge=1)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VOXSEARCH_", env_nested_delimiter="__", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Data directory: catalogs, models, runs.")
    catalog: str = Field("places", description="Catalog searched when a request names none.")
    limits: AudioLimits = AudioLimits()
    vad: VadSettings = VadSettings()
    denoise: DenoiseSettings = DenoiseSettings()
    engine: EngineSettings = EngineSettings()
    search: SearchSettings = SearchSettings()
    server: ServerSettings = ServerSettings()

    @property
    def catalogs_dir(self) -> Path:
        return self.home / "catalogs"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def runs_dir(self) -> Path:
        return self.home / "runs"

    def as_served(self) -> "Settings":
        """These settings as the server runs engines: each pocketsphinx decoder in a process of its own, since
        in-process it holds the GIL while decoding (workers would take turns, the event loop would stall).
        `voxsearch eval` loads models the same way, so the latencies it reports are the server's."""
        return self.with_engine(isolate_pocketsphinx=True)

    def with_engine(self, **changes: object) -> "Settings":
        """A copy with these engine settings changed (`with_engine(whisper_model="base")`)."""
        return self.model_copy(update={"engine": self.engine.model_copy(update=changes)})
