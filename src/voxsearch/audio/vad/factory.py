"""Settings to a VAD backend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from voxsearch.audio.vad.base import Vad
from voxsearch.audio.vad.silero import SileroVad, SileroVadOptions
from voxsearch.audio.vad.webrtc import WebrtcVad, WebrtcVadOptions
from voxsearch.errors import InvalidRequest

if TYPE_CHECKING:  # the settings need pydantic; decoding and VAD do not
    from voxsearch.config import VadSettings


def create_vad(settings: VadSettings) -> Vad | None:
    """The configured backend, or None for backend "none" (no VAD: the whole clip is speech).

    Silero loads its ONNX model here, so call this once at startup, not per request.
    """
    if settings.backend == "none":
        return None
    if settings.backend == "silero":
        return SileroVad(SileroVadOptions(threshold=settings.threshold))
    if settings.backend == "webrtc":
        return WebrtcVad(WebrtcVadOptions(mode=settings.webrtc_mode))
    raise InvalidRequest(f"VAD backend {settings.backend!r} is unknown; use 'silero', 'webrtc' or 'none'")
