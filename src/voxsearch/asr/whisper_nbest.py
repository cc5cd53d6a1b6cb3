"""N-best lists for faster-whisper, which itself keeps only the best beam.

`BeamRecorder` stands in for the CTranslate2 Whisper model inside a `WhisperModel`: beam searches are
asked for up to `nbest_size` finished hypotheses (bounded by the beam size) and their results kept.
They come out of the same search, so the n-best costs no extra decoding. The encoder output of the
last window is kept too, so other texts can be scored against the same audio (`WhisperEngine.score_texts`).
"""

from __future__ import annotations

from typing import Any

from voxsearch.types import Hypothesis


class BeamRecorder:
    def __init__(self, model: Any, nbest_size: int) -> None:
        self._inner = model
        self.nbest_size = nbest_size
        self._results: list[Any] = []
        self.encoder_outputs: list[Any] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def encode(self, *args: Any, **kwargs: Any) -> Any:
        output = self._inner.encode(*args, **kwargs)
        self.encoder_outputs.append(output)
        return output

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        beam_size = kwargs.get("beam_size", 1)
        if beam_size > 1 and kwargs.get("num_hypotheses", 1) == 1:
            kwargs["num_hypotheses"] = min(self.nbest_size, beam_size)
        results = self._inner.generate(*args, **kwargs)
        self._results.append(results[0])
        return results

    def clear(self) -> None:
        self._results.clear()
        self.encoder_outputs.clear()

    def nbest(self, best: Hypothesis, tokenizer: Any) -> tuple[Hypothesis, ...]:
        """`best` then the other distinct texts of the beam; only `best` when several windows were decoded."""
        if len(self._results) != 1:  # hypotheses of different 30 s windows do not line up
            return (best,)
        hypotheses, seen = [best], {best.text}
        for ids, score in zip(self._results[0].sequences_ids, self._results[0].scores):
            text = tokenizer.decode(ids).strip()
            if text and text not in seen:
                seen.add(text)
                # score is the length-normalized log-prob; rescale to faster-whisper's avg_logprob.
                hypotheses.append(Hypothesis(text, score * len(ids) / (len(ids) + 1)))
        return tuple(hypotheses[: self.nbest_size])
