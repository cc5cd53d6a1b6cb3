"""Recognise an audio container from its first bytes, and read a WAV header's format fields."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import Enum

from voxsearch.errors import BadAudio


class Container(str, Enum):
    """Containers accepted by `decode_audio`; the value is libsndfile's format name."""

    WAV = "WAV"
    RF64 = "RF64"
    W64 = "W64"
    FLAC = "FLAC"
    OGG = "OGG"
    MP3 = "MP3"


# Sony Wave64 files start with the GUID of their "riff" chunk.
_W64_MAGIC = bytes.fromhex("726966662e91cf11a5d628db04c10000")
_RIFF_LIKE = (b"RIFF", b"RIFX", b"RF64")


def sniff_container(data: bytes) -> Container | None:
    """The container named by the magic bytes, or None when they are not a known audio container."""
    head = data[:16]
    if head[:4] in _RIFF_LIKE and head[8:12] == b"WAVE":
        return Container.RF64 if head[:4] == b"RF64" else Container.WAV
    if head == _W64_MAGIC:
        return Container.W64
    if head[:4] == b"fLaC":
        return Container.FLAC
    if head[:4] == b"OggS":
        return Container.OGG
    if head[:3] == b"ID3" or _is_mpeg_audio_frame(head):
        return Container.MP3
    return None


def _is_mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG-1/2 audio frame header: 11-bit sync, valid version, layer, bitrate and rate indexes."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0b11
    layer = (head[1] >> 1) & 0b11  # 0 means ADTS/AAC, which libsndfile does not read
    bitrate_index = head[2] >> 4
    rate_index = (head[2] >> 2) & 0b11
    return version != 0b01 and layer != 0 and bitrate_index != 0xF and rate_index != 0b11


@dataclass(frozen=True)
class WavFormat:
    """The fields of a WAV 'fmt ' chunk that decide whether the audio can be decoded."""

    channels: int
    sample_rate: int
    bits_per_sample: int


def read_wav_format(data: bytes) -> WavFormat:
    """Walk the RIFF chunks of a WAV/RF64 file up to its 'fmt ' chunk.

    Raises BadAudio when the header is cut short or has no 'fmt ' chunk, so a truncated upload gets a
    precise message instead of libsndfile's generic one.
    """
    endian = ">" if data[:4] == b"RIFX" else "<"
    offset = 12
    while offset + 8 <= len(data):
        chunk_id = data[offset : offset + 4]
        (size,) = struct.unpack(endian + "I", data[offset + 4 : offset + 8])
        body = offset + 8
        if chunk_id == b"fmt ":
            if size < 16 or body + 16 > len(data):
                raise BadAudio(
                    f"the WAV 'fmt ' chunk is truncated ({len(data) - body} of 16 bytes present); "
                    "the upload was cut short: send the complete file"
                )
            _tag, channels, rate, _byte_rate, _align, bits = struct.unpack(endian + "HHIIHH", data[body : body + 16])
            return WavFormat(channels=channels, sample_rate=rate, bits_per_sample=bits)
        if chunk_id == b"data":
            break
        offset = body + size + (size & 1)  # chunks are padded to an even size
    raise BadAudio(
        f"the WAV header has no 'fmt ' chunk in its {len(data)} bytes; the file is truncated or corrupt: "
        "send the complete file, or re-encode it as 16-bit PCM WAV"
    )
