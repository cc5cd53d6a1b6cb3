"""Silero VAD (v5/v6 ONNX) run with onnxruntime only; the model file comes from the silero-vad wheel."""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from voxsearch.audio.vad.base import (
    VAD_SAMPLE_RATE,
    SpeechSegment,
    check_non_negative_ms,
    pad_and_merge,
    to_segments,
    vad_samples,
)
from voxsearch.errors import EngineUnavailable, InvalidRequest, missing_extra
from voxsearch.types import Audio

logger = logging.getLogger(__name__)

WINDOW_SAMPLES = 512  # 32 ms at 16 kHz: the only window the 16 kHz model takes
CONTEXT_SAMPLES = 64  # tail of the previous window prepended to each input
STATE_SHAPE = (2, 1, 128)
MODEL_FILES = ("silero_vad_16k_op15.onnx", "silero_vad.onnx")  # preferred first


@dataclass(frozen=True)
class SileroVadOptions:
    """Hysteresis: speech starts at p >= threshold and ends after min_silence_ms below threshold - 0.15."""

    threshold: float = 0.5
    min_speech_ms: int = 250
    min_silence_ms: int = 100
    speech_pad_ms: int = 30

    @property
    def neg_threshold(self) -> float:
        return max(self.threshold - 0.15, 0.01)


class SileroVad:
    """One onnxruntime session per instance (1 thread); `speech_segments` is safe to call from many threads."""

    def __init__(self, options: SileroVadOptions | None = None, model_path: Path | None = None) -> None:
        self.options = options or SileroVadOptions()
        if not 0 < self.options.threshold < 1:
            raise InvalidRequest(f"Silero threshold {self.options.threshold!r} is outside (0, 1); use e.g. 0.5")
        check_non_negative_ms(
            min_speech_ms=self.options.min_speech_ms,
            min_silence_ms=self.options.min_silence_ms,
            speech_pad_ms=self.options.speech_pad_ms,
        )
        _require_onnxruntime()
        self.model_path = Path(model_path) if model_path else find_silero_model()
        self._session = _create_session(self.model_path)

    def describe(self) -> dict[str, object]:
        return {"backend": "silero", "model": self.model_path.name, **asdict(self.options)}

    def speech_probabilities(self, samples: np.ndarray) -> np.ndarray:
        """Speech probability of each 512-sample window of 16 kHz mono float32 samples (last one zero-padded)."""
        windows = -(-len(samples) // WINDOW_SAMPLES)
        padded = np.zeros(windows * WINDOW_SAMPLES, dtype=np.float32)
        padded[: len(samples)] = samples
        state = np.zeros(STATE_SHAPE, dtype=np.float32)
        context = np.zeros((1, CONTEXT_SAMPLES), dtype=np.float32)
        rate = np.array(VAD_SAMPLE_RATE, dtype=np.int64)
        probabilities = np.empty(windows, dtype=np.float32)
        for index in range(windows):
            window = padded[index * WINDOW_SAMPLES : (index + 1) * WINDOW_SAMPLES][np.newaxis, :]
            model_input = np.concatenate([context, window], axis=1)
            output, state = self._session.run(None, {"input": model_input, "state": state, "sr": rate})
            probabilities[index] = output[0, 0]
            context = model_input[:, -CONTEXT_SAMPLES:]
        return probabilities

    def speech_segments(self, audio: Audio) -> list[SpeechSegment]:
        samples = vad_samples(audio)
        if len(samples) == 0:
            return []
        spans = spans_from_probabilities(self.speech_probabilities(samples), self.options, len(samples))
        pad_samples = self.options.speech_pad_ms * VAD_SAMPLE_RATE // 1000
        return to_segments(pad_and_merge(spans, pad_samples, len(samples)))


def spans_from_probabilities(
    probabilities: np.ndarray, options: SileroVadOptions, total_samples: int
) -> list[tuple[int, int]]:
    """Silero's hysteresis on per-window probabilities, as (start, end) sample spans before padding."""
    min_speech = options.min_speech_ms * VAD_SAMPLE_RATE // 1000
    min_silence = options.min_silence_ms * VAD_SAMPLE_RATE // 1000
    spans: list[tuple[int, int]] = []
    in_speech, start, silence_start = False, 0, None
    for index, probability in enumerate(probabilities):
        position = index * WINDOW_SAMPLES
        if probability >= options.threshold:
            silence_start = None
            if not in_speech:
                in_speech, start = True, position
            continue
        if in_speech and probability < options.neg_threshold:
            silence_start = position if silence_start is None else silence_start
            if position - silence_start >= min_silence:
                if silence_start - start > min_speech:
                    spans.append((start, silence_start))
                in_speech, silence_start = False, None
    if in_speech:
        end = silence_start if silence_start is not None else total_samples
        if end - start > min_speech:
            spans.append((start, end))
    return spans


def find_silero_model() -> Path:
    """The 16 kHz ONNX model inside the installed silero-vad wheel (installed with --no-deps)."""
    import importlib.metadata  # 10 ms of imports: only when the model file is looked up

    try:
        files = importlib.metadata.files("silero-vad") or []
        distribution = importlib.metadata.distribution("silero-vad")
    except importlib.metadata.PackageNotFoundError as exc:
        raise _missing_model() from exc
    by_name = {Path(str(file)).name: file for file in files}
    for name in MODEL_FILES:
        if name in by_name:
            path = Path(str(distribution.locate_file(by_name[name])))
            if path.is_file():
                return path
    raise _missing_model()


def _missing_model() -> EngineUnavailable:
    return EngineUnavailable(
        f"Silero VAD needs one of {list(MODEL_FILES)} from the 'silero-vad' package, which is not installed; "
        "install it without torch: pip install --no-deps silero-vad"
    )


def _require_onnxruntime() -> None:
    if importlib.util.find_spec("onnxruntime") is None:
        raise missing_extra("onnxruntime", "silero", "Silero VAD")


def _create_session(model_path: Path):  # -> onnxruntime.InferenceSession
    import onnxruntime

    session_options = onnxruntime.SessionOptions()
    session_options.intra_op_num_threads = 1
    session_options.inter_op_num_threads = 1
    session_options.log_severity_level = 3
    logger.debug("loading Silero VAD model %s", model_path)
    return onnxruntime.InferenceSession(
        str(model_path), sess_options=session_options, providers=["CPUExecutionProvider"]
    )
