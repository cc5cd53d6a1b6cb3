"""Re-rank retrieved candidates by a score in [0, 1] that survives recognition errors.

The score is a weighted sum of:
  match            harmonic mean of
                     name recall: how much of the entry's name (or title, or an alias) the query says,
                     word by word, fuzzily (edit similarity) or by sound (phonetic key); a query word
                     or a joined word pair may match (covers splits and merges); words left out at either
                     end of the name weigh half (people shorten long names from the ends)
                     query precision: how much of the query the entry explains (name, title, aliases, text)
                   words weigh their length times their rarity in the catalog (`word_rarity`); two different
                   number words never match, and a number word matches another word only by sound
  order            share of the query's adjacent word pairs that the name says adjacent, in the same order
                   ("rtx forty ninety" is in "GeForce RTX 4090", not in "XPS 14 9440", which has both numbers)
  form             edit similarity of the whole query and the whole name, spaces removed
  bm25             the candidate's BM25 relative to the best one retrieved (small: it cannot see misspellings)
  popularity       log-popularity prior, small: it breaks ties ("paris" -> Paris, France)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.process import cdist

from voxsearch.search.phonetic import sound_keys
from voxsearch.search.phrases import OPTIONAL_NAME_WORDS, STOP_WORDS
from voxsearch.search.textnorm import QueryText
from voxsearch.text.number_words import NUMBER_WORDS


# Bumped whenever scores change for the same query and catalog: model versions record the one their
# thresholds were tuned on (train/model_engine.ranking_drift). 1 and 2 were the index formats' rankings.
RANKING_VERSION = 3
# A spoken word split in up to three ("bar sell ona"): query words are also joined in runs of 3.
QUERY_MAX_JOIN = 3
# Word order counts only clear matches: "flay jalene" is not "mary jane" in that order.
ORDER_MIN_SIMILARITY = 0.8


@dataclass(frozen=True)
class RankWeights:
    """Weights of the score's parts (normalized by their sum) and the factors and floors of word matching."""

    match: float = 0.77  # harmonic mean of name recall and query precision
    order: float = 0.08  # the query's adjacent words adjacent in the name too
    form: float = 0.10
    bm25: float = 0.03
    popularity: float = 0.10
    alias_factor: float = 0.88  # an alias match counts less than the name
    context_factor: float = 0.85  # so does a match in the rest of the title ("New York" of "New City, New York")
    text_factor: float = 0.6  # so does a match in the descriptive text
    phonetic_similarity: float = 0.9  # similarity given to two words with the same phonetic key
    long_phonetic_similarity: float = 0.95  # the same for keys of 4+ sounds, which are more specific
    min_word_similarity: float = 0.5  # below this two words do not match at all
    min_joined_similarity: float = 0.85  # the same, when one side is a joined word pair
    stop_word_weight: float = 0.3
    # the weight factor of a word every entry has (`word_rarity`): brands and "wireless" say less than "xm5"
    common_word_factor: float = 0.5
    # weight of a name's words left out before or after everything said of it: people shorten long names
    # from the ends ("rtx 4090" for "NVIDIA GeForce RTX 4090 Founders Edition")
    edge_word_factor: float = 0.5
    # share of its weight a designator left out ("kansas" for "Kansas City") counts as missed: such a
    # name still matches, but below an entry named exactly what was said (the state Kansas)
    missing_designator_weight: float = 0.1

    @property
    def total(self) -> float:
        return self.match + self.order + self.form + self.bm25 + self.popularity


@dataclass(frozen=True)
class Candidate:
    """A retrieved entry with its normalized fields (see `index_build.index_entry`)."""

    rowid: int
    id: str
    title: str
    category: str
    popularity: float
    name: str
    title_norm: str
    aliases: tuple[str, ...]
    text: str
    bm25: float | None = None  # FTS5 bm25() of the word query: negative, lower is better
    written_name: str = ""  # the title's name part as written ("Thank U, Next" of "Thank U, Next, Ariana Grande")


@dataclass(frozen=True)
class _Variants:
    """Words of a text plus runs of adjacent words joined; `spans[i]` lists the word positions variant i covers."""

    strings: tuple[str, ...]
    spans: tuple[tuple[int, ...], ...]
    words: tuple[str, ...]

    @classmethod
    def of(cls, words: tuple[str, ...], max_join: int = 2) -> "_Variants":
        runs = [tuple(range(i, i + n)) for n in range(1, max_join + 1) for i in range(len(words) - n + 1)]
        runs += [span for span in _letter_runs(words) if len(span) > max_join]  # "d i v o r c e" -> "divorce"
        return cls(
            strings=tuple("".join(words[i] for i in span) for span in runs),
            spans=tuple(runs),
            words=words,
        )


def _letter_runs(words: tuple[str, ...]) -> list[tuple[int, ...]]:
    """Spans of consecutive single letters (a spelled code or word: "r t x", "d i v o r c e")."""
    runs: list[tuple[int, ...]] = []
    start = None
    for i, word in enumerate((*words, "")):
        if len(word) == 1 and word.isalpha():
            start = i if start is None else start
        elif start is not None:
            runs.append(tuple(range(start, i)))
            start = None
    return runs


Rarity = Callable[[str], float]


def word_rarity(docs: dict[str, int], entries: int, weights: RankWeights = RankWeights()) -> Rarity:
    """A word's weight factor from how many of `entries` name it: 1 for a word one entry has (or none),
    down to `common_word_factor` for one every entry has (inverse document frequency, scaled to [0, 1])."""
    scale = math.log(entries + 1) if entries > 0 else 1.0
    floor = weights.common_word_factor

    def rarity(word: str) -> float:
        seen = docs.get(word, 0)
        return 1.0 if seen <= 1 else floor + (1.0 - floor) * math.log((entries + 1) / (seen + 1)) / scale

    return rarity


def _no_rarity(word: str) -> float:
    return 1.0


def rank_candidates(
    query: QueryText, candidates: list[Candidate], max_popularity: float, weights: RankWeights = RankWeights(),
    rarity: Rarity = _no_rarity,
) -> list[tuple[float, Candidate]]:
    """Candidates with their scores in [0, 1], best first (ties: more popular, then id). `rarity` weighs
    each word by how few entries use it (`word_rarity`); without it every word weighs its length."""
    if not candidates or not query.tokens:
        return []
    qv = _Variants.of(query.tokens, max_join=QUERY_MAX_JOIN)
    table = _VariantTable()
    fields = [_candidate_fields(c, table, weights) for c in candidates]
    sim = _similarity(qv, table.strings, weights)
    col_best = sim.max(axis=0).tolist()
    # best similarity of each query word, through any variant that covers it
    word_best = np.zeros((len(qv.words), sim.shape[1]), dtype=np.float32)
    for row, span in enumerate(qv.spans):
        for i in span:
            np.maximum(word_best[i], sim[row], out=word_best[i])
    q_weights = np.array([_word_weight(w, weights) * rarity(w) for w in qv.words], dtype=np.float32)
    known_bm25 = [c.bm25 for c in candidates if c.bm25 is not None]
    best_bm25 = min(known_bm25, default=None)
    # an entry past the word query's limit ranks at most as well as the last one it returned
    worst_bm25 = max(known_bm25, default=None)
    prior_scale = math.log1p(max_popularity) if max_popularity > 0 else 0.0
    q_joined = "".join(query.tokens)

    scored = []
    for cand, f in zip(candidates, fields):
        if not f.names:
            continue
        recall = max(factor * _recall(v, cols, col_best, weights, rarity) for v, cols, factor in f.names)
        matches = word_best[:, f.cols]
        matches = np.where(f.joined & (matches < weights.min_joined_similarity), 0.0, matches)
        per_word = (matches * f.factors).max(axis=1)
        precision = float((per_word * q_weights).sum() / q_weights.sum())
        form = max(factor * _form(q_joined, v) for v, _, factor in f.names)
        order = max(factor * _order(qv, v, sim[:, cols]) for v, cols, factor in f.names) if weights.order else 0.0
        bm25 = (cand.bm25 if cand.bm25 is not None else worst_bm25 or 0.0) / best_bm25 if best_bm25 else 0.0
        prior = min(1.0, math.log1p(max(cand.popularity, 0.0)) / prior_scale) if prior_scale else 0.0
        total = (
            weights.match * _harmonic_mean(recall, precision)
            + weights.order * order
            + weights.form * form
            + weights.bm25 * bm25
            + weights.popularity * prior
        ) / weights.total
        scored.append((min(1.0, max(0.0, total)), cand))
    scored.sort(key=lambda sc: (-sc[0], -sc[1].popularity, sc[1].id))
    return scored


class _VariantTable:
    """Distinct variant strings of all candidates, so similarities are computed once, in one batch."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    @property
    def strings(self) -> list[str]:
        return list(self.index)

    def columns(self, variants: _Variants) -> list[int]:
        index = self.index
        return [index.setdefault(s, len(index)) for s in variants.strings]


@dataclass(frozen=True)
class _Fields:
    names: list[tuple[_Variants, list[int], float]]  # name strings for recall: variants, columns, factor
    cols: np.ndarray  # columns of every variant of every field, for precision
    factors: np.ndarray  # the field factor of each column
    joined: np.ndarray  # whether each column is a joined word pair


def _candidate_fields(c: Candidate, table: _VariantTable, w: RankWeights) -> _Fields:
    names = []
    cols: list[int] = []
    factors: list[float] = []
    joined: list[bool] = []
    # (text, factor in precision, factor in recall or None when the field does not name the entry)
    for text, factor, recall_factor in (
        (c.name, 1.0, 1.0),
        (c.title_norm, w.context_factor, 1.0),
        *((a, w.alias_factor, w.alias_factor) for a in c.aliases),
        (c.text, w.text_factor, None),
    ):
        variants = _variants_of(text)
        if not variants.words:
            continue
        variant_cols = table.columns(variants)
        if recall_factor is not None:
            names.append((variants, variant_cols, recall_factor))
        cols.extend(variant_cols)
        factors.extend([factor] * len(variant_cols))
        joined.extend(len(s) > 1 for s in variants.spans)
    return _Fields(
        names, np.array(cols, dtype=np.intp), np.array(factors, dtype=np.float32), np.array(joined, dtype=bool)
    )


@lru_cache(maxsize=65536)
def _variants_of(text: str) -> _Variants:
    return _Variants.of(tuple(text.split()))


def _similarity(qv: _Variants, strings: list[str], w: RankWeights) -> np.ndarray:
    """Query variants x entry variants: edit similarity, raised to `phonetic_similarity` on equal keys.
    Two different number words (or joined runs of them) do not match at all, and a number word matches
    another word only by sound ("four" / "for"), not by spelling ("five" is not "zve" of "ZV-E10")."""
    sim = cdist(list(qv.strings), strings, scorer=Indel.normalized_similarity, dtype=np.float32)
    sounds = np.zeros_like(sim)
    columns_by_key: dict[str, list[int]] = {}
    for col, s in enumerate(strings):
        for key in sound_keys(s):
            columns_by_key.setdefault(key, []).append(col)
    for row, s in enumerate(qv.strings):
        for key in sound_keys(s):
            cols = columns_by_key.get(key)
            if cols:
                same = w.long_phonetic_similarity if len(key) >= 4 else w.phonetic_similarity
                sounds[row, cols] = np.maximum(sounds[row, cols], same)
    np.maximum(sim, sounds, out=sim)
    q_number = np.array([_is_number(s) for s in qv.strings])
    e_number = np.array([_is_number(s) for s in strings])
    if q_number.any() or e_number.any():
        sim = np.where(q_number[:, None] ^ e_number[None, :], sounds, sim)  # a number and another word
        rows, cols = np.flatnonzero(q_number), np.flatnonzero(e_number)
        if rows.size and cols.size:  # "sixty" is not "ninety" (RTX 4060 vs 4090), however alike they are spelled
            block = np.ix_(rows, cols)
            differ = np.array([[qv.strings[r] != strings[c] for c in cols] for r in rows])
            sim[block] = np.where(differ, 0.0, sim[block])
    q_joined = np.array([len(s) > 1 for s in qv.spans])
    floor = np.where(q_joined[:, None], w.min_joined_similarity, w.min_word_similarity)
    sim[sim < floor] = 0.0
    return sim


_NUMBER_RUN = re.compile("(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")+")


@lru_cache(maxsize=65536)
def _is_number(string: str) -> bool:
    """A number word, or number words joined ("fortyninety" of a joined variant is not "fourteenninety")."""
    return _NUMBER_RUN.fullmatch(string) is not None


def _recall(v: _Variants, cols: list[int], col_best: list[float], w: RankWeights, rarity: Rarity) -> float:
    """Weighted share of the words of `v` that the query matches (a missing designator weighs little, and so
    do words left out at either end)."""
    best = np.zeros(len(v.words), dtype=np.float32)
    for k, span in enumerate(v.spans):
        score = col_best[cols[k]]
        if len(span) > 1 and score < w.min_joined_similarity:
            continue
        for i in span:
            best[i] = max(best[i], score)
    said = np.flatnonzero(best)
    first, last = (int(said[0]), int(said[-1])) if said.size else (0, len(v.words) - 1)
    total = matched = 0.0
    for i, (word, score) in enumerate(zip(v.words, best)):
        weight = _word_weight(word, w) * rarity(word)
        if word in OPTIONAL_NAME_WORDS and score == 0.0:
            weight *= w.missing_designator_weight
        elif not first <= i <= last:  # before or after all that was said: "nvidia geforce" / "founders edition"
            weight *= w.edge_word_factor
        total += weight
        matched += weight * float(score)
    return matched / total if total else 0.0


def _order(qv: _Variants, v: _Variants, sim: np.ndarray) -> float:
    """Share of the query's word boundaries the name keeps: a boundary inside one query variant that
    matches a name variant ("r t x" as "rtx"), or between two that match name variants next to each other
    in the same order (matches of ORDER_MIN_SIMILARITY or more). `sim`: query variants x the name's variants.
    A one-word query: 1 if it matches."""
    boundaries = len(qv.words) - 1
    matched = np.argwhere(sim >= ORDER_MIN_SIMILARITY)
    if boundaries < 1:
        return 1.0 if matched.size else 0.0
    kept = set()
    ends: dict[int, set[int]] = {}  # query word position -> name word positions right after a match ending there
    for row, col in matched:
        q, n = qv.spans[row], v.spans[col]
        kept.update(range(q[0] + 1, q[-1] + 1))
        ends.setdefault(q[-1], set()).add(n[-1] + 1)
    for row, col in matched:
        q, n = qv.spans[row], v.spans[col]
        if n[0] in ends.get(q[0] - 1, ()):
            kept.add(q[0])
    return len(kept) / boundaries


def _harmonic_mean(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b > 0 else 0.0


def _form(q_joined: str, v: _Variants) -> float:
    """Whole-string similarity, spaces removed; also against the name without designators ("new york")."""
    bare = "".join(w for w in v.words if w not in OPTIONAL_NAME_WORDS)
    full = "".join(v.words)
    bare_similarity = Indel.normalized_similarity(q_joined, bare) if bare else 0.0
    return max(Indel.normalized_similarity(q_joined, full), bare_similarity)


def _word_weight(word: str, w: RankWeights) -> float:
    return len(word) * (w.stop_word_weight if word in STOP_WORDS else 1.0)
