"""The files of a catalog-aware pocketsphinx model: a catalog LM (ARPA) and a dictionary that knows its words.

The LM is built from the catalog's sentences (`catalog_text`) plus labelled and logged transcripts;
the dictionary is the bundled CMU one plus espeak-ng pronunciations (`asr.g2p`) for the words it lacks.
The generic LM stays as it is: the engine decodes with both and keeps the better (see PocketsphinxOptions).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from voxsearch.asr.arpa import ArpaOptions, ArpaStats, build_arpa
from voxsearch.asr.g2p import read_dictionary, spell_words
from voxsearch.fileio import write_text_atomic
from voxsearch.search.title_parts import TitleParts
from voxsearch.train.catalog_text import (
    CatalogTextOptions,
    catalog_sentences,
    spoken_words,
)
from voxsearch.types import CatalogEntry

__all__ = [
    "DICT_FILE",
    "LM_FILE",
    "PocketsphinxFiles",
    "PocketsphinxFilesOptions",
    "build_pocketsphinx_files",
    "bundled_dictionary",
]

log = logging.getLogger(__name__)

LM_FILE = "catalog.lm"
DICT_FILE = "dictionary.dict"


@dataclass(frozen=True)
class PocketsphinxFilesOptions:
    text: CatalogTextOptions = CatalogTextOptions()
    arpa: ArpaOptions = ArpaOptions(order=3, min_count=0.0)
    transcript_weight: float = 2.0  # weight of each labelled or logged transcript (an entry weighs ~1)
    counts_scale: float = 10.0  # counts are multiplied by this before smoothing (Witten-Bell sees types)
    # Large catalogs: only the most popular entries go into carrier-phrase templates; the others are
    # added by name alone (so every name is still in the vocabulary) and the LM stays bounded.
    max_template_entries: int | None = 5000
    bare_weight: float = 0.5  # weight of a name-only entry (a templated entry weighs ~1)


@dataclass(frozen=True)
class PocketsphinxFiles:
    lm_path: Path
    dict_path: Path
    lm_stats: ArpaStats
    sentences: int
    new_words: int  # pronounced by G2P
    g2p_failed: tuple[str, ...]


def bundled_dictionary() -> Path:
    import pocketsphinx

    return Path(pocketsphinx.get_model_path("en-us/cmudict-en-us.dict"))


def build_pocketsphinx_files(
    entries: Sequence[CatalogEntry], transcripts: Iterable[str], folder: Path,
    options: PocketsphinxFilesOptions = PocketsphinxFilesOptions(),
) -> PocketsphinxFiles:
    """Write `folder/catalog.lm` and `folder/dictionary.dict`; returns their paths and sizes."""
    scale = options.counts_scale
    ranked = sorted(entries, key=lambda e: -e.popularity)
    cap = len(ranked) if options.max_template_entries is None else options.max_template_entries
    title_parts = TitleParts(entries)
    sentences = [(words, w * scale) for words, w in catalog_sentences(ranked[:cap], options.text, title_parts)]
    for entry in ranked[cap:]:
        words = spoken_words(title_parts.name(entry))
        if words:
            sentences.append((words, options.bare_weight * scale))
    for text in transcripts:
        words = spoken_words(text)
        if words:
            sentences.append((words, options.transcript_weight * scale))
    arpa_text, stats = build_arpa(sentences, options.arpa)
    vocabulary = {w for words, _ in sentences for w in words}
    base_dict = bundled_dictionary()
    known = read_dictionary(base_dict)
    missing = sorted(vocabulary - set(known))
    g2p = spell_words(missing)
    extra_lines = [f"{w} {' '.join(p)}" for w, p in sorted(g2p.pronunciations.items())]
    base_text = base_dict.read_text(encoding="utf-8")
    folder = Path(folder)
    write_text_atomic(folder / DICT_FILE, base_text.rstrip("\n") + "\n" + "\n".join(extra_lines) + "\n")
    write_text_atomic(folder / LM_FILE, arpa_text)
    log.info("catalog LM: %d sentences, n-grams %s; %d new words pronounced, %d failed",
             len(sentences), stats.ngrams, len(g2p.pronunciations), len(g2p.failed))
    return PocketsphinxFiles(folder / LM_FILE, folder / DICT_FILE, stats, len(sentences),
                             len(g2p.pronunciations), g2p.failed)
