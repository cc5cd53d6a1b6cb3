"""Level measurements (dBFS, LUFS) and loudness normalization.

dBFS values are relative to a full-scale square wave, so a full-scale sine has an RMS of -3.01 dBFS.
Silence and empty audio measure -inf.
"""

from __future__ import annotations

import logging
import math

import numpy as np

from voxsearch.audio.bs1770 import integrated_loudness
from voxsearch.errors import InvalidRequest
from voxsearch.types import Audio

logger = logging.getLogger(__name__)

LOUDNESS_BLOCK_S = 0.400  # ITU-R BS.1770 gating block
_MAX_METER_CHANNELS = 5  # BS.1770 channel weights cover up to 5.0 surround


def rms_dbfs(audio: Audio) -> float:
    """Root-mean-square level over all samples of all channels."""
    samples = np.asarray(audio.samples, dtype=np.float64)
    if samples.size == 0:
        return -math.inf
    return _to_db(float(np.sqrt(np.mean(np.square(samples)))))


def peak_dbfs(audio: Audio) -> float:
    """Sample peak level (not true peak)."""
    samples = np.asarray(audio.samples)
    if samples.size == 0:
        return -math.inf
    return _to_db(float(np.max(np.abs(samples))))


def clipped_fraction(audio: Audio, threshold: float = 0.999) -> float:
    """Fraction of samples whose magnitude reaches `threshold` (full scale is 1.0)."""
    if not 0 < threshold <= 1:
        raise InvalidRequest(f"clipping threshold {threshold!r} is outside (0, 1]; use e.g. 0.999")
    samples = np.asarray(audio.samples)
    if samples.size == 0:
        return 0.0
    return float(np.count_nonzero(np.abs(samples) >= threshold) / samples.size)


def loudness_lufs(audio: Audio) -> float:
    """Integrated loudness (ITU-R BS.1770-4, pyloudnorm's numbers; see voxsearch.audio.bs1770).

    Clips shorter than the 400 ms gating block are measured as one block spanning the whole clip.
    More than five channels are downmixed to mono first.
    """
    samples = np.asarray(audio.samples, dtype=np.float64)
    if samples.ndim == 2 and samples.shape[1] > _MAX_METER_CHANNELS:
        samples = samples.mean(axis=1)
    if samples.shape[0] == 0 or not np.any(samples):
        return -math.inf
    # as pyloudnorm: strictly more frames than the block; a short clip becomes a single block.
    block_s = min(LOUDNESS_BLOCK_S, (samples.shape[0] - 1) / audio.sample_rate)
    if block_s <= 0:
        return rms_dbfs(audio)
    return integrated_loudness(samples, audio.sample_rate, block_s=block_s)


def normalize_loudness(audio: Audio, target_lufs: float, peak_limit_dbfs: float = -1.0,
                       measured_lufs: float | None = None) -> Audio:
    """Apply one gain so the clip measures `target_lufs`, lowered if needed to keep the sample peak at or
    below `peak_limit_dbfs` (then the result is quieter than the target). Silence is returned unchanged.
    `measured_lufs` is the clip's `loudness_lufs` when the caller has it already.
    """
    if not math.isfinite(target_lufs) or not math.isfinite(peak_limit_dbfs) or peak_limit_dbfs > 0:
        raise InvalidRequest(
            f"target {target_lufs!r} LUFS and peak limit {peak_limit_dbfs!r} dBFS must be finite, the limit <= 0; "
            "use e.g. target_lufs=-23, peak_limit_dbfs=-1"
        )
    current_lufs = loudness_lufs(audio) if measured_lufs is None else measured_lufs
    if not math.isfinite(current_lufs):
        logger.debug("loudness normalization skipped: the clip is silent")
        return audio
    gain_db = target_lufs - current_lufs
    headroom_db = peak_limit_dbfs - peak_dbfs(audio)
    if gain_db > headroom_db:
        logger.debug("gain %.2f dB lowered to %.2f dB by the peak limit", gain_db, headroom_db)
        gain_db = headroom_db
    gain = np.float32(10.0 ** (gain_db / 20.0))
    samples = np.ascontiguousarray(np.asarray(audio.samples, dtype=np.float32) * gain)
    return Audio(samples=samples, sample_rate=audio.sample_rate)


def _to_db(amplitude: float) -> float:
    return 20.0 * math.log10(amplitude) if amplitude > 0 else -math.inf
