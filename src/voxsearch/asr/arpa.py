"""A small n-gram language model builder: weighted sentences in, ARPA text out.

Interpolated Witten-Bell smoothing, written in backoff form (each stored n-gram carries its
interpolated probability, each history a backoff weight), so pocketsphinx reads it as a plain ARPA
file. Counts may be fractional (a sentence's weight), which is how catalog popularity enters the LM.
N-grams of the highest orders whose count is below `min_count` are left out (their mass goes to the
backoff), which keeps the model small for large catalogs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ArpaOptions", "ArpaStats", "build_arpa"]

BOS, EOS = "<s>", "</s>"
_LOG10_ZERO = -99.0


@dataclass(frozen=True)
class ArpaOptions:
    order: int = 3
    min_count: float = 0.0  # n-grams of order >= 2 with a smaller count are pruned
    unigram_floor: float = 0.01  # share of unigram mass spread uniformly over the vocabulary


@dataclass(frozen=True)
class ArpaStats:
    ngrams: tuple[int, ...]  # stored n-grams per order
    vocabulary: int


def build_arpa(sentences: Iterable[tuple[tuple[str, ...], float]], options: ArpaOptions = ArpaOptions()
               ) -> tuple[str, ArpaStats]:
    """ARPA text of an `options.order`-gram model over `(words, weight)` sentences."""
    if options.order < 1:
        raise ValueError(f"order is {options.order}; use 1 or more")
    counts: list[dict[tuple[str, ...], float]] = [defaultdict(float) for _ in range(options.order + 1)]
    for words, weight in sentences:
        if weight <= 0 or not words:
            continue
        padded = (BOS, *words, EOS)
        for i in range(1, len(padded)):  # every predicted word (never <s>)
            for n in range(1, options.order + 1):
                if i - n + 1 < 0:
                    break
                counts[n][padded[i - n + 1 : i + 1]] += weight
    if not counts[1]:
        raise ValueError("no sentences with positive weight; give the LM at least one sentence")
    probs, backoffs = _witten_bell(counts, options)
    text = _write(probs, backoffs, options.order)
    stats = ArpaStats(tuple(len(probs[n]) for n in range(1, options.order + 1)), len(probs[1]))
    return text, stats


def _witten_bell(counts: list[dict[tuple[str, ...], float]], options: ArpaOptions):
    order = options.order
    vocab = sorted({g[0] for g in counts[1]} | {BOS})
    total = sum(counts[1].values())
    uniform = 1.0 / len(vocab)
    floor = options.unigram_floor
    probs: list[dict[tuple[str, ...], float]] = [{} for _ in range(order + 1)]
    backoffs: list[dict[tuple[str, ...], float]] = [{} for _ in range(order)]
    for w in vocab:
        probs[1][(w,)] = 0.0 if w == BOS else (1 - floor) * counts[1].get((w,), 0.0) / total + floor * uniform
    for n in range(2, order + 1):
        hist_total: dict[tuple[str, ...], float] = defaultdict(float)
        hist_types: dict[tuple[str, ...], int] = defaultdict(int)
        for gram, c in counts[n].items():
            hist_total[gram[:-1]] += c
            hist_types[gram[:-1]] += 1
        for gram, c in counts[n].items():
            if c >= options.min_count and gram[:-1] in probs[n - 1]:
                h = gram[:-1]
                lower = _prob(probs, backoffs, gram[1:])
                probs[n][gram] = (c + hist_types[h] * lower) / (hist_total[h] + hist_types[h])
        # backoff weights of the order n-1 histories: the mass the stored n-grams leave, renormalized
        followers: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for gram in probs[n]:
            followers[gram[:-1]].append(gram)
        for h, grams in followers.items():
            seen_high = sum(probs[n][g] for g in grams)
            seen_low = sum(_prob(probs, backoffs, g[1:]) for g in grams)
            backoffs[n - 1][h] = max(1e-12, 1.0 - seen_high) / max(1e-12, 1.0 - seen_low)
    return probs, backoffs


def _prob(probs, backoffs, gram: tuple[str, ...]) -> float:
    """Backoff probability of `gram` from the finished lower orders."""
    n = len(gram)
    if gram in probs[n]:
        return probs[n][gram]
    if n == 1:
        return 0.0
    return backoffs[n - 1].get(gram[:-1], 1.0) * _prob(probs, backoffs, gram[1:])


def _write(probs, backoffs, order: int) -> str:
    lines = ["\\data\\"]
    lines += [f"ngram {n}={len(probs[n])}" for n in range(1, order + 1)]
    for n in range(1, order + 1):
        lines += ["", f"\\{n}-grams:"]
        for gram in sorted(probs[n]):
            p = probs[n][gram]
            logp = math.log10(p) if p > 0 else _LOG10_ZERO
            if n < order and gram in backoffs[n]:
                lines.append(f"{logp:.5f}\t{' '.join(gram)}\t{math.log10(backoffs[n][gram]):.5f}")
            else:
                lines.append(f"{logp:.5f}\t{' '.join(gram)}")
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)
