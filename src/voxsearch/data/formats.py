"""Container formats of corpus clips, encoded reproducibly (same samples -> same bytes)."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import numpy as np
import soundfile as sf
import soxr

from voxsearch.errors import DatasetError


@dataclass(frozen=True)
class ClipFormat:
    name: str  # the manifest's `format` tag
    container: str  # soundfile format
    subtype: str
    sample_rate: int
    channels: int
    extension: str


FORMATS: dict[str, ClipFormat] = {
    f.name: f
    for f in (
        ClipFormat("wav16k", "WAV", "PCM_16", 16_000, 1, "wav"),
        ClipFormat("flac44k_stereo", "FLAC", "PCM_16", 44_100, 2, "flac"),
        ClipFormat("wav8k", "WAV", "PCM_16", 8_000, 1, "wav"),
        ClipFormat("ogg", "OGG", "VORBIS", 22_050, 1, "ogg"),
    )
}
_OGG_SERIAL = 0x766F7873  # libsndfile picks a random stream serial; a fixed one makes the bytes reproducible
_STEREO_DELAY_FRAMES = 3  # second microphone a few centimetres away
_STEREO_GAIN = 0.8


def clip_format(name: str) -> ClipFormat:
    if name not in FORMATS:
        raise DatasetError(f"unknown clip format {name!r}; choose from: {', '.join(FORMATS)}")
    return FORMATS[name]


def encode_clip(samples: np.ndarray, sample_rate: int, fmt: ClipFormat) -> bytes:
    """Resample mono float32 `samples` to the format's rate and channels and encode them."""
    audio = samples.astype(np.float32)
    if sample_rate != fmt.sample_rate:
        audio = soxr.resample(audio, sample_rate, fmt.sample_rate).astype(np.float32)
    if fmt.channels == 2:
        right = np.concatenate([np.zeros(_STEREO_DELAY_FRAMES, np.float32), audio[:-_STEREO_DELAY_FRAMES]])
        audio = np.stack([audio, right * _STEREO_GAIN], axis=1)
    buffer = io.BytesIO()
    sf.write(buffer, np.clip(audio, -1.0, 1.0), fmt.sample_rate, format=fmt.container, subtype=fmt.subtype)
    data = buffer.getvalue()
    return set_ogg_serial(data, _OGG_SERIAL) if fmt.container == "OGG" else data


def set_ogg_serial(data: bytes, serial: int) -> bytes:
    """Rewrite the stream serial number of every Ogg page and recompute the page CRCs."""
    out = bytearray(data)
    pos = 0
    while pos < len(out):
        if out[pos : pos + 4] != b"OggS" or pos + 27 > len(out):
            raise DatasetError(f"not an Ogg page at byte {pos}; pass a complete Ogg stream")
        segments = out[pos + 26]
        end = pos + 27 + segments + sum(out[pos + 27 : pos + 27 + segments])
        out[pos + 14 : pos + 18] = struct.pack("<I", serial)
        out[pos + 22 : pos + 26] = b"\0\0\0\0"
        out[pos + 22 : pos + 26] = struct.pack("<I", _ogg_crc(bytes(out[pos:end])))
        pos = end
    return bytes(out)


def _crc_table() -> tuple[int, ...]:
    table = []
    for i in range(256):
        r = i << 24
        for _ in range(8):
            r = ((r << 1) ^ 0x04C11DB7) if r & 0x80000000 else (r << 1)
        table.append(r & 0xFFFFFFFF)
    return tuple(table)


_CRC_TABLE = _crc_table()


def _ogg_crc(page: bytes) -> int:
    crc = 0
    for byte in page:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _CRC_TABLE[((crc >> 24) & 0xFF) ^ byte]
    return crc
