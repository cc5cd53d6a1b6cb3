"""Which conventions a set of labels follows, and how mixed they are (overall and per annotator).

Each label is classified along a few dimensions (fillers, pause marks, numbers, casing, punctuation,
contractions, spelling). A dimension counts only the labels it applies to: "fillers kept / dropped"
counts labels whose clip evidently has a filler (this label or another label of the same clip writes
one); "numbers" counts labels that contain a number. Labels that differ only by convention are grouped
by their text after `apply_convention`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from voxsearch.text.conventions import Convention, apply_convention, filler_pattern
from voxsearch.text.number_words import NUMBER_WORDS

__all__ = ["ConventionGroup", "DetectResult", "DimensionMix", "LabelRecord", "classify_label", "detect_conventions"]


@dataclass(frozen=True)
class LabelRecord:
    clip: str  # the clip's audio path: labels of one clip are compared with each other
    annotator: str
    text: str


@dataclass(frozen=True)
class DimensionMix:
    """How many applicable labels take each value of one convention dimension."""

    name: str
    counts: dict[str, int]

    @property
    def applicable(self) -> int:
        return sum(self.counts.values())

    def share(self, value: str) -> float:
        return self.counts.get(value, 0) / self.applicable if self.applicable else 0.0

    def describe(self) -> str:
        if not self.applicable:
            return f"{self.name}: n/a"
        parts = " / ".join(f"{value} {100 * count / self.applicable:.0f}%"
                           for value, count in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])))
        return f"{self.name}: {parts} (n={self.applicable})"


@dataclass(frozen=True)
class ConventionGroup:
    """Raw labels that become the same text under the convention: they differ by convention only."""

    canonical: str
    variants: dict[str, list[str]]  # raw text -> annotators who wrote it


@dataclass(frozen=True)
class DetectResult:
    labels: int
    convention: str
    overall: tuple[DimensionMix, ...]
    by_annotator: dict[str, tuple[DimensionMix, ...]]
    groups: tuple[ConventionGroup, ...]
    follows: int = 0  # labels already written the convention's way
    notes: tuple[str, ...] = field(default_factory=tuple)

    def dimension(self, name: str, annotator: str | None = None) -> DimensionMix:
        mixes = self.overall if annotator is None else self.by_annotator[annotator]
        return next(m for m in mixes if m.name == name)


DIMENSIONS = ("fillers", "filler_form", "pause_marks", "numbers", "casing", "end_punctuation", "punctuation",
              "contractions", "spelling")
_CONTRACTED = re.compile(r"(?<![\w'])[^\W\d_]+(?:n't|'re|'ve|'ll|'d|'m)(?![\w'])|(?<![\w'])(?:it|what|that|there|"
                         r"here|he|she|who|where|how|let)'s(?![\w'])", re.IGNORECASE)
_EXPANDED = re.compile(r"(?<![\w'])(?:(?:do|does|did|is|are|was|were|can|could|would|should|will|have|has|had)"
                       r" not|(?:it|what|that|there|here|he|she|who|where|how) is|i am|let us|we are|you are|"
                       r"they are|(?:i|we|you|they) (?:will|have|would))(?![\w'])", re.IGNORECASE)
_PUNCT = re.compile(r"[^\w\s']|(?<!\w)'|'(?!\w)")
_ELLIPSIS_ANY = re.compile(r"\.{2,}|\u2026|--+|\u2014|\u2013")


def classify_label(text: str, convention: Convention) -> dict[str, str | None]:
    """The value of each dimension for one label (None: the dimension does not apply to it)."""
    fillers = filler_pattern(convention.filler_words)
    found = [m.group(0).lower() for m in fillers.finditer(text)]
    words = re.findall(r"[^\W\d_]+", text.lower())
    has_digits = bool(re.search(r"[0-9]", text))
    has_number_words = any(w in NUMBER_WORDS for w in words)
    letters = [c for c in text if c.isalpha()]
    without_marks = re.sub(fillers.pattern + r"\s*,", " ", _ELLIPSIS_ANY.sub(" ", text), flags=re.IGNORECASE)
    spelling_hits = [w for w in words if w in convention.spelling]
    canonical_hits = [w for w in words if w in {v.lower() for v in convention.spelling.values()}]
    return {
        "fillers": "kept" if found else "dropped",  # "dropped" is confirmed later by the clip's other labels
        "filler_form": found[0] if found else None,
        "pause_marks": _pause_mark(text, fillers),
        "numbers": ("both" if has_digits and has_number_words else "digits" if has_digits
                    else "words" if has_number_words else None),
        "casing": _casing(text, letters) if letters else None,
        "end_punctuation": ("yes" if re.search(r"[.?!]\s*$", text) and not re.search(r"(\.{2,}|\u2026)\s*$", text)
                            else "no") if text.strip() else None,
        "punctuation": ("some" if _PUNCT.search(without_marks) and re.search(r"[,;:?!\"]|(?<!\.)\.(?!\.)",
                                                                              without_marks) else "none")
        if text.strip() else None,
        "contractions": ("contracted" if _CONTRACTED.search(text) else "expanded" if _EXPANDED.search(text)
                         else None),
        "spelling": "variant" if spelling_hits else "canonical" if canonical_hits else None,
    }


def _pause_mark(text: str, fillers: re.Pattern[str]) -> str:
    if "\u2026" in text:
        return "ellipsis \u2026"
    if re.search(r"\.{2,}", text):
        return "ellipsis ..."
    if re.search(r"--+|\u2014|\u2013", text):
        return "dash"
    if re.search(fillers.pattern + r"\s*,", text, re.IGNORECASE):
        return "comma after filler"
    return "none"


def _casing(text: str, letters: list[str]) -> str:
    if all(c.islower() for c in letters):
        return "lower"
    if all(c.isupper() for c in letters) and len(letters) > 1:
        return "upper"
    first = next(c for c in text if c.isalpha())  # sentence case allows capitalized names inside
    return "sentence" if first.isupper() else "mixed"


def detect_conventions(records: Sequence[LabelRecord], convention: Convention) -> DetectResult:
    """Mix of conventions over `records`, per annotator, and the groups that differ only by convention."""
    classes = [classify_label(r.text, convention) for r in records]
    clip_has_filler: dict[str, bool] = defaultdict(bool)
    for record, cls in zip(records, classes, strict=True):
        clip_has_filler[record.clip] |= cls["fillers"] == "kept"
    for record, cls in zip(records, classes, strict=True):
        if cls["fillers"] == "dropped" and not clip_has_filler[record.clip]:
            cls["fillers"] = None  # no evidence the clip has a filler at all
    overall = _mixes(classes)
    annotators = sorted({r.annotator for r in records})
    by_annotator = {a: _mixes([c for r, c in zip(records, classes, strict=True) if r.annotator == a])
                    for a in annotators}
    canonical = [apply_convention(r.text, convention) for r in records]
    follows = sum(1 for r, c in zip(records, canonical, strict=True) if r.text == c)
    return DetectResult(labels=len(records), convention=convention.label, overall=overall,
                        by_annotator=by_annotator, groups=_groups(records, canonical), follows=follows)


def _mixes(classes: list[dict[str, str | None]]) -> tuple[DimensionMix, ...]:
    mixes = []
    for name in DIMENSIONS:
        counts = Counter(c[name] for c in classes if c[name] is not None)
        mixes.append(DimensionMix(name, dict(sorted(counts.items()))))
    return tuple(mixes)


def _groups(records: Sequence[LabelRecord], canonical: list[str]) -> tuple[ConventionGroup, ...]:
    by_canonical: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for record, text in zip(records, canonical, strict=True):
        by_canonical[text][record.text].append(record.annotator)
    groups = [ConventionGroup(text, {raw: sorted(a) for raw, a in sorted(variants.items())})
              for text, variants in sorted(by_canonical.items()) if len(variants) > 1]
    return tuple(groups)
