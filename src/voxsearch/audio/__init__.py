"""The audio front: decode and check uploads, convert for ASR, measure loudness, find and trim speech."""

from voxsearch.audio.container import Container, sniff_container
from voxsearch.audio.convert import prepare_for_asr, resample, to_mono
from voxsearch.audio.decode import decode_audio, load_audio
from voxsearch.audio.encode import encode_wav
from voxsearch.audio.loudness import clipped_fraction, loudness_lufs, normalize_loudness, peak_dbfs, rms_dbfs
from voxsearch.audio.silence import pad_silence, trim_silence, trim_to_speech
from voxsearch.audio.vad import (
    SileroVad,
    SileroVadOptions,
    SpeechSegment,
    Vad,
    WebrtcVad,
    WebrtcVadOptions,
    create_vad,
)

__all__ = [
    "Container",
    "SileroVad",
    "SileroVadOptions",
    "SpeechSegment",
    "Vad",
    "WebrtcVad",
    "WebrtcVadOptions",
    "clipped_fraction",
    "create_vad",
    "decode_audio",
    "encode_wav",
    "load_audio",
    "loudness_lufs",
    "normalize_loudness",
    "pad_silence",
    "peak_dbfs",
    "prepare_for_asr",
    "resample",
    "rms_dbfs",
    "sniff_container",
    "to_mono",
    "trim_silence",
    "trim_to_speech",
]
