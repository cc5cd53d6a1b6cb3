"""Inter-annotator agreement: pairwise WER between labels of the same clip, before and after the convention.

The human-level performance estimate is the pairwise WER after the convention: the error rate people make
against each other once writing differences no longer count. For every clip with k labels, each of the
k(k-1)/2 pairs is compared (labels ordered by annotator, then by position; the first of a pair is the
reference). WER = all word edits / all reference words, summed over pairs (jiwer's corpus-level WER);
"before" splits the raw text on whitespace, "after" splits the text the convention produces.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from voxsearch.text.conventions import Convention, apply_convention
from voxsearch.text.detect import LabelRecord

__all__ = ["AgreementResult", "Disagreement", "measure_agreement", "pairwise_edits"]


@dataclass(frozen=True)
class Disagreement:
    clip: str
    annotators: tuple[str, str]
    texts: tuple[str, str]
    kind: str  # "convention" (equal after the convention) | "content"


@dataclass(frozen=True)
class AgreementResult:
    clips: int  # clips with two labels or more
    pairs: int
    wer_before: float
    wer_after: float
    ref_words_before: int
    ref_words_after: int
    identical_before: int  # pairs that are exactly equal as given
    identical_after: int
    disagreements: tuple[Disagreement, ...]
    convention: str

    @property
    def convention_only(self) -> list[Disagreement]:
        return [d for d in self.disagreements if d.kind == "convention"]

    @property
    def content(self) -> list[Disagreement]:
        return [d for d in self.disagreements if d.kind == "content"]


def pairwise_edits(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words) between two texts split on whitespace."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = reference.split(), hypothesis.split()
    return Levenshtein.distance(ref, hyp), len(ref)


def measure_agreement(records: Sequence[LabelRecord], convention: Convention) -> AgreementResult:
    by_clip: dict[str, list[LabelRecord]] = defaultdict(list)
    for record in records:
        by_clip[record.clip].append(record)
    edits_before = words_before = edits_after = words_after = pairs = same_before = same_after = clips = 0
    disagreements: list[Disagreement] = []
    for clip in sorted(by_clip):
        labels = sorted(enumerate(by_clip[clip]), key=lambda item: (item[1].annotator, item[0]))
        if len(labels) < 2:
            continue
        clips += 1
        for (_, first), (_, second) in itertools.combinations(labels, 2):
            pairs += 1
            applied = apply_convention(first.text, convention), apply_convention(second.text, convention)
            edits, words = pairwise_edits(first.text, second.text)
            edits_before, words_before = edits_before + edits, words_before + words
            edits, words = pairwise_edits(*applied)
            edits_after, words_after = edits_after + edits, words_after + words
            same_before += first.text == second.text
            same_after += applied[0] == applied[1]
            if first.text != second.text:
                kind = "convention" if applied[0] == applied[1] else "content"
                disagreements.append(Disagreement(clip, (first.annotator, second.annotator),
                                                  (first.text, second.text), kind))
    return AgreementResult(
        clips=clips, pairs=pairs, wer_before=_rate(edits_before, words_before),
        wer_after=_rate(edits_after, words_after), ref_words_before=words_before, ref_words_after=words_after,
        identical_before=same_before, identical_after=same_after, disagreements=tuple(disagreements),
        convention=convention.label,
    )


def _rate(errors: int, words: int) -> float:
    if words == 0:
        return 0.0 if errors == 0 else float("inf")
    return errors / words
