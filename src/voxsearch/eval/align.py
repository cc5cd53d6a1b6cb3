"""Edit-distance alignment of a reference and a hypothesis (words or characters), counted by kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein


@dataclass(frozen=True)
class EditCounts:
    """How a hypothesis differs from its reference: hits + substitutions + deletions = reference length."""

    hits: int = 0
    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def reference_length(self) -> int:
        return self.hits + self.substitutions + self.deletions

    def __add__(self, other: "EditCounts") -> "EditCounts":
        return EditCounts(
            self.hits + other.hits,
            self.substitutions + other.substitutions,
            self.deletions + other.deletions,
            self.insertions + other.insertions,
        )


def count_edits(reference: Sequence[str], hypothesis: Sequence[str]) -> EditCounts:
    """Counts of one minimum-cost alignment (unit costs; the same alignment jiwer reports)."""
    hits = substitutions = deletions = insertions = 0
    for op in Levenshtein.opcodes(list(reference), list(hypothesis)):
        ref_span, hyp_span = op.src_end - op.src_start, op.dest_end - op.dest_start
        if op.tag == "equal":
            hits += ref_span
        elif op.tag == "replace":
            substitutions += ref_span
        elif op.tag == "delete":
            deletions += ref_span
        else:
            insertions += hyp_span
    return EditCounts(hits, substitutions, deletions, insertions)


def word_substitutions(reference: Sequence[str], hypothesis: Sequence[str]) -> list[tuple[str, str]]:
    """(reference word, hypothesis word) for each substitution of the same alignment `count_edits` counts."""
    ref, hyp = list(reference), list(hypothesis)
    return [(ref[op.src_pos], hyp[op.dest_pos]) for op in Levenshtein.editops(ref, hyp) if op.tag == "replace"]
