"""decode_audio / load_audio: every kind of bad input, and real clips in each container."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
import soundfile as sf
from hypothesis import given, settings
from hypothesis import strategies as st

from voxsearch.audio import Container, decode_audio, encode_wav, load_audio, prepare_for_asr, sniff_container
from voxsearch.config import AudioLimits
from voxsearch.errors import AudioError, AudioTooLarge, AudioTooLong, BadAudio, UnsupportedFormat
from voxsearch.types import Audio

from .conftest import SPEECH_16K, sine

LIMITS = AudioLimits()


def craft_wav(sample_rate: int, channels: int = 1, frames: int = 100, bits: int = 16) -> bytes:
    """A PCM WAV built byte by byte, so the header can say things no encoder would write."""
    block_align = channels * bits // 8
    data = b"\x00" * (frames * block_align)
    fmt = struct.pack("<HHIIHH", 1, channels, sample_rate, sample_rate * block_align, block_align, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def encode(samples: np.ndarray, sample_rate: int, fmt: str, subtype: str) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, samples, sample_rate, format=fmt, subtype=subtype)
    return buffer.getvalue()


def test_too_large_is_refused_before_looking_at_the_bytes() -> None:
    junk = np.random.default_rng(0).bytes(2_000)  # would be 415 if it were sniffed
    with pytest.raises(AudioTooLarge, match="2000 bytes.*1000 bytes") as info:
        decode_audio(junk, AudioLimits(max_bytes=1_000))
    assert info.value.http_status == 413


def test_empty_is_bad_audio() -> None:
    with pytest.raises(BadAudio, match="empty"):
        decode_audio(b"", LIMITS)


@pytest.mark.parametrize("seed", range(8))
def test_random_bytes_are_unsupported(seed: int) -> None:
    with pytest.raises(UnsupportedFormat, match="send WAV, FLAC or OGG") as info:
        decode_audio(np.random.default_rng(seed).bytes(4_000), LIMITS)
    assert info.value.http_status == 415


def test_aac_adts_is_not_taken_for_mp3() -> None:
    adts_header = bytes([0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC])
    assert sniff_container(adts_header + b"\x00" * 100) is None


@pytest.mark.parametrize("cut", [20, 30, 36])
def test_truncated_wav_header_is_bad_audio(cut: int) -> None:
    with pytest.raises(BadAudio, match="truncated") as info:
        decode_audio(SPEECH_16K.read_bytes()[:cut], LIMITS)
    assert info.value.http_status == 400


def test_zero_hz_header_names_the_rate_and_the_fix() -> None:
    with pytest.raises(BadAudio, match=r"sample rate is 0 Hz in the WAV header; .*such as 16000"):
        decode_audio(craft_wav(sample_rate=0), LIMITS)


def test_zero_channel_header_is_bad_audio() -> None:
    with pytest.raises(BadAudio, match="channel count is 0"):
        decode_audio(craft_wav(sample_rate=16_000, channels=0), LIMITS)


def test_absurd_sample_rate_is_bad_audio() -> None:
    with pytest.raises(BadAudio, match="2000000 Hz"):
        decode_audio(craft_wav(sample_rate=2_000_000), LIMITS)


def test_header_without_frames_is_bad_audio() -> None:
    with pytest.raises(BadAudio, match="no sample frames"):
        decode_audio(craft_wav(sample_rate=16_000, frames=0), LIMITS)


@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf])
def test_non_finite_float_wav_is_bad_audio(bad_value: float) -> None:
    samples = np.zeros(1_600, dtype=np.float32)
    samples[[10, 500]] = bad_value
    with pytest.raises(BadAudio, match="2 NaN or infinite samples"):
        decode_audio(encode(samples, 16_000, "WAV", "FLOAT"), LIMITS)


def test_too_long_is_refused_with_both_durations() -> None:
    with pytest.raises(AudioTooLong, match=r"2\.4\d s, above the limit of 1 s") as info:
        decode_audio(SPEECH_16K.read_bytes(), AudioLimits(max_duration_s=1.0))
    assert info.value.http_status == 413


@pytest.mark.parametrize("magic", [b"fLaC", b"OggS", b"RIFF\x24\x00\x00\x00WAVEfmt "])
def test_known_magic_with_corrupt_body_is_bad_audio_not_unsupported(magic: bytes) -> None:
    with pytest.raises(BadAudio) as info:
        decode_audio(magic + np.random.default_rng(2).bytes(3_000), LIMITS)
    assert type(info.value) is BadAudio


def test_speech_wav_decodes_to_float32(speech_16k: Audio) -> None:
    reference, rate = sf.read(SPEECH_16K, dtype="float32")
    assert speech_16k.sample_rate == rate == 16_000
    assert speech_16k.samples.dtype == np.float32 and speech_16k.channels == 1
    np.testing.assert_array_equal(speech_16k.samples, reference)


def test_stereo_44k_is_decoded_downmixed_and_resampled() -> None:
    left, right = sine(1_000, 1.5, 44_100, amplitude=0.5), sine(1_000, 1.5, 44_100, amplitude=0.3)
    stereo = decode_audio(encode(np.stack([left, right], axis=1), 44_100, "WAV", "PCM_16"), LIMITS)
    assert (stereo.sample_rate, stereo.channels, stereo.frames) == (44_100, 2, left.size)

    prepared = prepare_for_asr(stereo)
    assert (prepared.sample_rate, prepared.channels) == (16_000, 1)
    assert prepared.samples.dtype == np.float32 and prepared.samples.flags.c_contiguous
    assert prepared.frames == round(left.size * 16_000 / 44_100)
    spectrum = np.abs(np.fft.rfft(prepared.samples))
    assert np.fft.rfftfreq(prepared.frames, 1 / 16_000)[np.argmax(spectrum)] == pytest.approx(1_000, abs=1)
    steady = prepared.samples[1_000:-1_000]  # away from the resampler's edges
    assert np.sqrt(np.mean(steady**2)) == pytest.approx(0.4 / np.sqrt(2), rel=0.01)


def test_8k_speech_is_upsampled_without_imaging(speech_8k: Audio) -> None:
    prepared = prepare_for_asr(speech_8k)
    assert prepared.sample_rate == 16_000 and prepared.frames == 2 * speech_8k.frames
    assert prepared.duration_s == pytest.approx(speech_8k.duration_s, abs=1 / 16_000)
    power = np.abs(np.fft.rfft(prepared.samples)) ** 2
    freqs = np.fft.rfftfreq(prepared.frames, 1 / 16_000)
    assert power[freqs > 4_200].sum() / power.sum() < 1e-4  # nothing mirrored above the old Nyquist


def test_flac_round_trip_is_lossless(speech_16k: Audio) -> None:
    flac = encode(speech_16k.samples, 16_000, "FLAC", "PCM_16")
    assert sniff_container(flac) is Container.FLAC
    decoded = decode_audio(flac, LIMITS)
    np.testing.assert_array_equal(decoded.samples, speech_16k.samples)


def test_ogg_vorbis_round_trip_keeps_the_signal(speech_16k: Audio) -> None:
    ogg = encode(speech_16k.samples, 16_000, "OGG", "VORBIS")
    assert sniff_container(ogg) is Container.OGG
    decoded = decode_audio(ogg, LIMITS)
    assert decoded.sample_rate == 16_000 and decoded.frames == speech_16k.frames
    assert np.corrcoef(decoded.samples, speech_16k.samples)[0, 1] > 0.99


@pytest.mark.parametrize("fmt", ["RF64", "W64"])
def test_wave_variants_decode(speech_16k: Audio, fmt: str) -> None:
    decoded = decode_audio(encode(speech_16k.samples, 16_000, fmt, "PCM_16"), LIMITS)
    np.testing.assert_array_equal(decoded.samples, speech_16k.samples)


@pytest.mark.skipif("MP3" not in sf.available_formats(), reason="libsndfile built without MP3")
def test_mp3_decodes(speech_16k: Audio) -> None:
    mp3 = encode(speech_16k.samples, 16_000, "MP3", "MPEG_LAYER_III")
    assert sniff_container(mp3) is Container.MP3
    decoded = decode_audio(mp3, LIMITS)
    assert decoded.sample_rate == 16_000
    assert decoded.duration_s == pytest.approx(speech_16k.duration_s, abs=0.1)


def test_encode_wav_round_trip(speech_16k: Audio) -> None:
    decoded = decode_audio(encode_wav(speech_16k), LIMITS)
    np.testing.assert_allclose(decoded.samples, speech_16k.samples, atol=1 / 32_768)


def test_encode_wav_clips_integer_pcm() -> None:
    loud = Audio(samples=np.array([1.5, -2.0, 0.25], dtype=np.float32), sample_rate=8_000)
    decoded = decode_audio(encode_wav(loud), LIMITS)
    np.testing.assert_allclose(decoded.samples, [1.0, -1.0, 0.25], atol=1 / 32_768)


def test_load_audio_missing_file(tmp_path) -> None:
    with pytest.raises(BadAudio, match="does not exist"):
        load_audio(tmp_path / "nope.wav", LIMITS)


def test_load_audio_checks_size_first(tmp_path) -> None:
    with pytest.raises(AudioTooLarge):
        load_audio(SPEECH_16K, AudioLimits(max_bytes=10_000))


_PREFIXES = [b"", b"RIFF\x00\x01\x00\x00WAVEfmt ", b"fLaC", b"OggS", b"ID3\x03\x00", b"\xff\xfb\x90\x64", b"RF64"]


@settings(max_examples=150, deadline=None)
@given(prefix=st.sampled_from(_PREFIXES), body=st.binary(max_size=600))
def test_any_bytes_give_audio_or_an_audio_error(prefix: bytes, body: bytes) -> None:
    try:
        audio = decode_audio(prefix + body, LIMITS)
    except AudioError:
        return
    assert audio.frames > 0 and audio.sample_rate > 0 and np.isfinite(audio.samples).all()
