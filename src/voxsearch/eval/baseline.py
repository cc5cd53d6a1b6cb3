"""The baseline a model is measured against: human agreement where clips carry several labels, else a model.

Human-level WER on a set of clips is the pairwise WER between the labels of the same clip (every pair of
annotators, ordered by annotator; the first of a pair is the reference), after the same scoring
normalization as the model's output: all edits / all reference words, so it recombines across slices.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from voxsearch.eval.dataset import EvalItem
from voxsearch.text.agreement import pairwise_edits
from voxsearch.text.normalize import SCORING_NORMALIZATION

BaselineKind = Literal["human", "model", "none"]


@dataclass(frozen=True)
class Baseline:
    kind: BaselineKind
    label: str  # the model's label for kind "model"; "human" or "" otherwise
    description: str


@dataclass(frozen=True)
class AgreementTally:
    """Word edits between the labels of one clip, over all its annotator pairs."""

    edits: int
    ref_words: int
    pairs: int


def agreement_tallies(items: Sequence[EvalItem]) -> list[AgreementTally | None]:
    """Per item: its labels' pairwise edits, or None when it has fewer than two labels."""
    tallies: list[AgreementTally | None] = []
    for item in items:
        labels = sorted(enumerate(item.labels), key=lambda pair: (pair[1][0], pair[0]))
        if len(labels) < 2:
            tallies.append(None)
            continue
        edits = words = pairs = 0
        for (_, (_, first)), (_, (_, second)) in itertools.combinations(labels, 2):
            e, w = pairwise_edits(SCORING_NORMALIZATION(first), SCORING_NORMALIZATION(second))
            edits, words, pairs = edits + e, words + w, pairs + 1
        tallies.append(AgreementTally(edits, words, pairs))
    return tallies


def human_wer(tallies: Sequence[AgreementTally | None], members: Sequence[int]) -> float | None:
    """Pairwise human WER over the multi-label clips among `members`; None if there are none."""
    found = [t for i in members if (t := tallies[i]) is not None]
    words = sum(t.ref_words for t in found)
    if not found or words == 0:
        return None
    return sum(t.edits for t in found) / words


def choose_baseline(items: Sequence[EvalItem], baseline_model: str | None) -> Baseline:
    """An explicit baseline model wins; else human agreement if any clip has two labels; else none."""
    if baseline_model:
        return Baseline("model", baseline_model, f"model {baseline_model} on the same clips")
    multi = sum(len(item.labels) >= 2 for item in items)
    if multi:
        return Baseline("human", "human", f"human agreement: pairwise WER between annotators on the {multi} "
                                          f"clips with two labels or more")
    return Baseline("none", "", "no baseline (no clip has two labels; pass --baseline MODEL): gaps are measured "
                                "against each model's own overall WER")
