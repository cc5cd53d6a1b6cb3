"""PocketSphinx 5 backend: CMU's bundled US English acoustic model, dictionary and trigram LM."""

from __future__ import annotations

import importlib.util
import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

from voxsearch.asr.engine import check_asr_input
from voxsearch.asr.fingerprint import fingerprint_files
from voxsearch.audio.denoise import denoise, estimate_snr_db
from voxsearch.config import DenoiseSettings
from voxsearch.errors import EngineError, ModelError, missing_extra
from voxsearch.types import Audio, Hypothesis, ModelInfo, Transcript, Word

logger = logging.getLogger(__name__)

_FILLER = re.compile(r"^(<.*>|\[.*\]|\+\+.*\+\+)$")  # <s>, </s>, <sil>, [NOISE], ++BREATH++
_VARIANT = re.compile(r"\(\d+\)$")  # alternate pronunciation marker: the(2)
_NBEST_SCAN = 50  # n-best entries read to find `nbest_size` distinct texts


@dataclass(frozen=True)
class PocketsphinxOptions:
    """Model files (None = the ones bundled with pocketsphinx) and the n-best length.

    With `catalog_lm_path` the decoder holds a second search over that LM: each utterance is decoded
    with both, and the catalog hypothesis wins when its score plus `catalog_bias` beats the generic
    one (scores are logs of pocketsphinx's scaled path scores, about -0.3 to -1 per utterance, so
    useful biases are about 0.01 to 0.3). Decoding parameters left None keep pocketsphinx's defaults.
    With `denoise` the decoder's own input goes through spectral subtraction first (noisy clips only;
    audio/denoise): a model version trained to want it gets it wherever it is loaded, and in the hybrid
    Whisper still hears the clip as it came.
    """

    hmm_dir: Path | None = None
    lm_path: Path | None = None
    dict_path: Path | None = None
    nbest_size: int = 5
    catalog_lm_path: Path | None = None
    catalog_bias: float = 0.0
    catalog_posterior_weight: float = 0.0  # weight of each search's log posterior (hyp.prob) in the comparison
    lw: float | None = None  # language model weight
    wip: float | None = None  # word insertion penalty
    beam: float | None = None
    denoise: DenoiseSettings | None = None


_CATALOG_SEARCH = "catalog"


@dataclass(frozen=True)
class _Decoded:
    words: tuple[Word, ...]
    nbest: tuple[Hypothesis, ...]
    score_ln: float
    log_posterior: float

    def merit(self, posterior_weight: float) -> float:
        return self.score_ln + posterior_weight * self.log_posterior


@dataclass(frozen=True)
class SearchResult:
    """One search's best hypothesis for an utterance, with what the catalog/generic choice compares."""

    text: str
    score_ln: float  # log of pocketsphinx's (scaled) path score
    log_posterior: float  # log of the hypothesis posterior probability


_NOTHING = SearchResult("", float("-inf"), float("-inf"))


class PocketsphinxEngine:
    """Decodes whole utterances with a pocketsphinx `Decoder`, loaded once at construction.

    Not thread-safe: one instance serves one thread at a time.
    """

    def __init__(self, options: PocketsphinxOptions | None = None) -> None:
        if importlib.util.find_spec("pocketsphinx") is None:
            raise missing_extra("pocketsphinx", "pocketsphinx", "The pocketsphinx engine")
        import pocketsphinx

        options = options or PocketsphinxOptions()
        if options.nbest_size < 1:
            raise ModelError(f"nbest_size is {options.nbest_size}; use 1 or more")
        hmm = _existing(options.hmm_dir, Path(pocketsphinx.get_model_path("en-us/en-us")), "acoustic model")
        lm = _existing(options.lm_path, Path(pocketsphinx.get_model_path("en-us/en-us.lm.bin")), "language model")
        dic = _existing(
            options.dict_path, Path(pocketsphinx.get_model_path("en-us/cmudict-en-us.dict")), "dictionary"
        )
        tuning = {k: getattr(options, k) for k in ("lw", "wip", "beam") if getattr(options, k) is not None}
        try:
            self._decoder = pocketsphinx.Decoder(
                hmm=str(hmm), lm=str(lm), dict=str(dic), loglevel="ERROR", **tuning
            )
            self._generic_search = self._decoder.current_search()
            if options.catalog_lm_path is not None:
                catalog_lm = _existing(options.catalog_lm_path, Path(), "catalog language model")
                self._decoder.add_lm_file(_CATALOG_SEARCH, str(catalog_lm))
        except (RuntimeError, ValueError) as e:
            raise ModelError(
                f"pocketsphinx could not load acoustic model {hmm}, LM {lm}, dictionary {dic}"
                f"{', catalog LM ' + str(options.catalog_lm_path) if options.catalog_lm_path else ''}: {e}; "
                "check that they are pocketsphinx model files (see the ERROR lines above)"
            ) from e
        self._catalog = options.catalog_lm_path is not None
        self._catalog_bias = options.catalog_bias
        self._posterior_weight = options.catalog_posterior_weight
        self._nbest_size = options.nbest_size
        self._denoise = options.denoise
        self._frame_rate = int(self._decoder.config["frate"])
        decoding = {k: self._decoder.config[k] for k in ("beam", "wbeam", "lw", "wip", "fwdflat", "bestpath")}
        files = [hmm, lm, dic, *([options.catalog_lm_path] if self._catalog else [])]
        extra = {"catalog_lm": Path(options.catalog_lm_path).name, "catalog_bias": self._catalog_bias,
                 "catalog_posterior_weight": self._posterior_weight} if self._catalog else {}
        if options.denoise is not None:
            extra["denoise"] = options.denoise.model_dump(exclude={"enabled"})
        self.info = ModelInfo(
            engine="pocketsphinx",
            version=f"{version('pocketsphinx')}/{hmm.name}/{fingerprint_files(files)}",
            options={"lm": lm.name, "dict": dic.name, "nbest_size": options.nbest_size, **decoding, **extra},
        )
        logger.debug("loaded pocketsphinx %s", self.info.version)

    def transcribe(self, audio: Audio) -> Transcript:
        best, _ = self._best(audio)
        return self._transcript(best)

    def catalog_hypothesis(self, audio: Audio) -> tuple[Transcript, bool]:
        """The catalog search's transcript (empty when it recognized nothing) and whether it wins the
        comparison with the generic search: what `HybridEngine` verifies and routes on."""
        if not self._catalog:
            raise EngineError("catalog_hypothesis needs an engine built with catalog_lm_path")
        generic, catalog = self._decode_searches(audio)
        return self._transcript(catalog), self._catalog_wins(generic, catalog)

    def catalog_transcript(self, audio: Audio) -> Transcript:
        """The catalog search's transcript alone (no generic search: about half the decoding time), for a
        hybrid that does not route on the two searches' scores."""
        if not self._catalog:
            raise EngineError("catalog_transcript needs an engine built with catalog_lm_path")
        samples = self._front_end(audio)
        if samples.size == 0:
            return self._transcript(None)
        return self._transcript(self._decode(_pcm(samples), audio.duration_s, _CATALOG_SEARCH))

    def _best(self, audio: Audio) -> tuple[_Decoded | None, bool]:
        """The winning hypothesis (None: nothing recognized) and whether the catalog search gave it."""
        generic, catalog = self._decode_searches(audio)
        if self._catalog_wins(generic, catalog):
            return catalog, True
        return generic, False

    def denoises(self, audio: Audio) -> bool:
        """Whether this engine's front end changes the clip (it has `denoise` and the clip is noisy enough)."""
        return self._denoise is not None and estimate_snr_db(audio, self._denoise.noise_percentile) < \
            self._denoise.below_snr_db

    def _front_end(self, audio: Audio) -> np.ndarray:
        samples = check_asr_input(audio)
        if self._denoise is None or samples.size == 0:
            return samples
        return denoise(audio, self._denoise)[0].samples

    def _decode_searches(self, audio: Audio) -> tuple[_Decoded | None, _Decoded | None]:
        """The generic and (with a catalog LM) the catalog search's best hypotheses; None: nothing recognized."""
        samples = self._front_end(audio)
        if samples.size == 0:
            return None, None
        pcm = _pcm(samples)
        generic = self._decode(pcm, audio.duration_s, self._generic_search)
        catalog = self._decode(pcm, audio.duration_s, _CATALOG_SEARCH) if self._catalog else None
        return generic, catalog

    def _catalog_wins(self, generic: _Decoded | None, catalog: _Decoded | None) -> bool:
        weight = self._posterior_weight
        return catalog is not None and (
            generic is None or catalog.merit(weight) + self._catalog_bias > generic.merit(weight))

    def _transcript(self, best: _Decoded | None) -> Transcript:
        if best is None:
            return Transcript(text="", model=self.info)
        confidences = [w.confidence for w in best.words if w.confidence is not None]
        return Transcript(
            text=" ".join(w.text for w in best.words),
            model=self.info,
            words=best.words,
            confidence=sum(confidences) / len(confidences) if confidences else None,
            nbest=best.nbest,
        )

    def decode_both(self, audio: Audio) -> tuple[SearchResult, SearchResult | None]:
        """The generic and the catalog search's best hypotheses with their scores (for tuning the choice)."""
        samples = self._front_end(audio)
        pcm = _pcm(samples)
        results = []
        for search in (self._generic_search, *([_CATALOG_SEARCH] if self._catalog else [])):
            decoded = self._decode(pcm, audio.duration_s, search) if samples.size else None
            results.append(SearchResult(" ".join(w.text for w in decoded.words), decoded.score_ln,
                                        decoded.log_posterior) if decoded else _NOTHING)
        return results[0], (results[1] if len(results) > 1 else None)

    def _decode(self, pcm: bytes, duration_s: float, search: str) -> _Decoded | None:
        if self._decoder.current_search() != search:
            self._decoder.activate_search(search)
        self._decoder.reinit_feat()  # forget noise estimates from earlier utterances: same audio, same result
        self._decoder.start_utt()
        try:
            self._decoder.process_raw(pcm, full_utt=True)
        except RuntimeError as e:
            raise EngineError(f"pocketsphinx failed on {duration_s:.2f} s of audio: {e}") from e
        finally:
            self._decoder.end_utt()
        hyp = self._decoder.hyp()
        if hyp is None:
            return None
        # Hypothesis.score is the binding's logmath.exp of the (scaled) path score: its log compares the
        # two searches' best paths for the same audio (logmath.log would round it to an integer).
        score_ln = math.log(hyp.score) if hyp.score > 0 else float("-inf")
        log_posterior = math.log(hyp.prob) if hyp.prob > 0 else float("-inf")
        return _Decoded(tuple(self._words()), tuple(self._nbest()), score_ln, log_posterior)

    def _words(self) -> Iterator[Word]:
        # Segment.prob is already a probability (the binding applies logmath.exp); the log base
        # 1.0001 rounding can push it just above 1.
        for seg in self._decoder.seg():
            if _FILLER.match(seg.word):
                continue
            yield Word(
                text=_VARIANT.sub("", seg.word),
                start_s=seg.start_frame / self._frame_rate,
                end_s=(seg.end_frame + 1) / self._frame_rate,
                confidence=min(1.0, max(0.0, seg.prob)),
            )

    def _nbest(self) -> Iterator[Hypothesis]:
        # Hypothesis.score is logmath.exp(path score); report it as a natural log (higher is better).
        logmath, seen = self._decoder.logmath, set()
        for i, hyp in enumerate(self._decoder.nbest()):
            if i >= _NBEST_SCAN or len(seen) >= self._nbest_size or hyp is None:
                break
            text = " ".join(_VARIANT.sub("", w) for w in hyp.hypstr.split() if not _FILLER.match(w))
            if text and text not in seen:
                seen.add(text)
                yield Hypothesis(text=text, score=logmath.log_to_ln(logmath.log(hyp.score)))


def _pcm(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2").tobytes()


def _existing(given: Path | None, bundled: Path, what: str) -> Path:
    path = Path(given) if given is not None else bundled
    if not path.exists():
        raise ModelError(f"pocketsphinx {what} not found at {path}; pass an existing path or None for the bundled one")
    return path
