"""Bytes or files in, float32 `Audio` out: size, format and duration are checked before decoding."""

from __future__ import annotations

import functools
import io
import logging
from pathlib import Path

import numpy as np
import soundfile as sf

from voxsearch.audio.container import Container, read_wav_format, sniff_container
from voxsearch.errors import AudioTooLarge, AudioTooLong, BadAudio, UnsupportedFormat
from voxsearch.types import Audio, AudioLimits

logger = logging.getLogger(__name__)

# Beyond these a header is corrupt or hostile (a few KB of FLAC could expand to gigabytes of float32).
MAX_SAMPLE_RATE_HZ = 384_000
MAX_CHANNELS = 8

_FIX_FORMAT = "send WAV, FLAC or OGG audio (e.g. ffmpeg -i input -ar 16000 -ac 1 output.wav)"


def decode_audio(data: bytes, limits: AudioLimits) -> Audio:
    """Decode an uploaded clip to float32 samples at its own rate and channel count.

    Order of checks: size, container magic, header (channels, rate, duration), then decoding and
    sample values. Raises AudioTooLarge, UnsupportedFormat, BadAudio or AudioTooLong.
    Float samples outside [-1, 1] are kept as they are.
    """
    if len(data) > limits.max_bytes:
        raise AudioTooLarge(
            f"the audio is {len(data)} bytes, above the limit of {limits.max_bytes} bytes; "
            f"send a shorter clip or a compressed format such as FLAC"
        )
    if not data:
        raise BadAudio("the audio is empty (0 bytes); send a recorded clip")
    container = _require_container(data)
    if container in (Container.WAV, Container.RF64):
        fmt = read_wav_format(data)
        _check_format_fields(fmt.channels, fmt.sample_rate, "the WAV header")
    with _open(data, container) as reader:
        _check_format_fields(reader.channels, reader.samplerate, f"the {container.value} header")
        _check_duration(reader.frames, reader.samplerate, limits)
        samples = _read_samples(reader, container)
        sample_rate = int(reader.samplerate)
    return Audio(samples=samples, sample_rate=sample_rate)


def load_audio(path: Path | str, limits: AudioLimits) -> Audio:
    """Decode an audio file with the same checks as an upload; the size is checked before reading."""
    path = Path(path)
    if not path.is_file():
        raise BadAudio(f"audio file {str(path)!r} does not exist or is not a file; check the path")
    size_bytes = path.stat().st_size
    if size_bytes > limits.max_bytes:
        raise AudioTooLarge(
            f"audio file {str(path)!r} is {size_bytes} bytes, above the limit of {limits.max_bytes} bytes; "
            "use a shorter clip or raise limits.max_bytes"
        )
    return decode_audio(path.read_bytes(), limits)


def _require_container(data: bytes) -> Container:
    container = sniff_container(data)
    if container is None:
        raise UnsupportedFormat(
            f"the audio starts with bytes {data[:8].hex(' ')!r}, not a known audio container; {_FIX_FORMAT}"
        )
    if container.value not in _decodable_formats():
        raise UnsupportedFormat(
            f"{container.value} audio cannot be decoded by the installed libsndfile {sf.__libsndfile_version__}; "
            f"{_FIX_FORMAT}"
        )
    return container


@functools.cache
def _decodable_formats() -> frozenset[str]:
    """The containers the loaded libsndfile reads (asking it costs ~0.25 ms; it cannot change in a process)."""
    return frozenset(sf.available_formats())


def _open(data: bytes, container: Container) -> sf.SoundFile:
    try:
        return sf.SoundFile(io.BytesIO(data))
    except sf.LibsndfileError as exc:
        reason = exc.error_string or str(exc)
        if container is Container.MP3 and not data.startswith(b"ID3"):
            # Two bytes of MPEG frame sync are weak evidence: random data matches them often.
            raise UnsupportedFormat(
                f"the audio starts with bytes {data[:8].hex(' ')!r} and is not a readable MP3 ({reason}); {_FIX_FORMAT}"
            ) from exc
        raise BadAudio(
            f"the data looks like {container.value} but cannot be read ({reason}); "
            f"the file is truncated or corrupt: send the complete file, or {_FIX_FORMAT}"
        ) from exc


def _check_format_fields(channels: int, sample_rate: int, where: str) -> None:
    if sample_rate <= 0:
        raise BadAudio(
            f"sample rate is {sample_rate} Hz in {where}; send audio with a positive sample rate such as 16000"
        )
    if sample_rate > MAX_SAMPLE_RATE_HZ:
        raise BadAudio(
            f"sample rate is {sample_rate} Hz in {where}, above the {MAX_SAMPLE_RATE_HZ} Hz supported; "
            "resample to 16000 Hz before sending"
        )
    if channels <= 0:
        raise BadAudio(f"channel count is {channels} in {where}; send mono or stereo audio")
    if channels > MAX_CHANNELS:
        raise BadAudio(
            f"channel count is {channels} in {where}, above the {MAX_CHANNELS} supported; "
            "downmix to mono before sending"
        )


def _check_duration(frames: int, sample_rate: int, limits: AudioLimits) -> None:
    duration_s = frames / sample_rate
    if duration_s > limits.max_duration_s:
        raise AudioTooLong(
            f"the audio lasts {duration_s:.2f} s, above the limit of {limits.max_duration_s:g} s; "
            "send a shorter clip"
        )


def _read_samples(reader: sf.SoundFile, container: Container) -> np.ndarray:
    try:
        samples = reader.read(dtype="float32", always_2d=False)
    except sf.LibsndfileError as exc:
        raise BadAudio(f"the {container.value} audio is corrupt ({exc.error_string}); send the complete file") from exc
    if samples.shape[0] == 0:
        raise BadAudio(f"the {container.value} audio has no sample frames; send a recorded clip")
    if samples.shape[0] < reader.frames:
        logger.warning(
            "%s audio holds %d of the %d frames its header declares", container.value, samples.shape[0], reader.frames
        )
    bad = int(np.count_nonzero(~np.isfinite(samples)))
    if bad:
        raise BadAudio(
            f"the audio has {bad} NaN or infinite samples; send PCM audio or float audio with finite values"
        )
    return np.ascontiguousarray(samples)
