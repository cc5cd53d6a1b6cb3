"""Voice activity detection: where the speech is in a clip."""

from voxsearch.audio.vad.base import SpeechSegment, Vad
from voxsearch.audio.vad.factory import create_vad
from voxsearch.audio.vad.silero import SileroVad, SileroVadOptions
from voxsearch.audio.vad.webrtc import WebrtcVad, WebrtcVadOptions

__all__ = [
    "SileroVad",
    "SileroVadOptions",
    "SpeechSegment",
    "Vad",
    "WebrtcVad",
    "WebrtcVadOptions",
    "create_vad",
]
