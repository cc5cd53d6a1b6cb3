"""A synthesized, labelled dev set for a catalog, so `voxsearch train` can tune without user data.

    manifest = synthesize_dev_set(entries, Path("dev"), SynthDevOptions(seed=7))

In-domain queries name catalog entries (popularity-weighted, rare names included) inside the carrier
phrases the language model uses for their category (`catalog_text.TEMPLATES`); out-of-domain ones are
general assistant requests with no catalog answer. Every clip is spoken by an installed humanlike voice
(rotated) under one acoustic condition (cycled), rendered and written by `data.synth`, so the same seed,
catalog and voices give the same manifest and the same audio bytes.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from voxsearch.data.queries import OUT_OF_DOMAIN_TEXTS, Query
from voxsearch.data.synth import ClipSpec, Condition, CorpusOptions, CorpusPlan, write_corpus
from voxsearch.data.voices import VOICES, Voice, missing_reason
from voxsearch.errors import DatasetError
from voxsearch.search.title_parts import TitleParts
from voxsearch.train.catalog_text import TEMPLATES, brand_words, shortened_names, spoken_words, template_group
from voxsearch.types import CatalogEntry

__all__ = ["SynthDevOptions", "available_voices", "synthesize_dev_set"]

logger = logging.getLogger(__name__)

SPLIT = "dev"
# Entry weight ~ (1 + popularity) ** exponent: users ask about popular entries more, yet rare names still come up.
POPULARITY_EXPONENT = 0.5
# A bare name is enough when its entry is this many times as popular as every other entry of that name.
DOMINANCE_RATIO = 5.0
# Share of in-domain queries that name an entry shortened when it can be (shoppers say "kindle paperwhite").
SHORTENED_SHARE = 0.3
SILENCE_S = (0.2, 0.5)
PEAK_DBFS = (-24.0, -6.0)
BABBLE_POOL_SIZE = 8
_NOISY_CONDITION = re.compile(r"^(white|pink|babble)(\d+)$")
_VOWELS = frozenset("aeiouy")


@dataclass(frozen=True)
class SynthDevOptions:
    in_domain_queries: int = 60  # catalog queries
    out_domain_queries: int = 20  # general assistant queries (no catalog answer)
    seed: int = 7
    # one per clip, spread evenly over each domain in a seeded order (repeat a name to weigh it more):
    # clean | narrow | white<SNR> | pink<SNR> | babble<SNR>
    conditions: tuple[str, ...] = ("clean", "white10", "babble10", "narrow")
    jobs: int = 2


def available_voices() -> tuple[Voice, ...]:
    """The humanlike voices installed here (flite, festival, hibari); espeak-ng is never one of them."""
    return tuple(v for v in VOICES if v.humanlike and missing_reason(v) is None)


def synthesize_dev_set(entries: list[CatalogEntry], out_dir: Path, options: SynthDevOptions = SynthDevOptions(),
                       progress: Callable[[int, int], None] | None = None) -> Path:
    """Writes out_dir/audio/*.wav and out_dir/manifest.jsonl; returns the manifest path."""
    _check(options)
    voices = available_voices()
    if not voices:
        raise DatasetError(
            "no humanlike synthetic voice is installed to speak a dev set for tuning; install flite "
            "(apt-get install flite) or the 'corpus' extra for hibari-tts (pip install 'voxsearch[corpus]'), "
            "or give labelled dev data with --data MANIFEST"
        )
    queries = _in_domain_queries(entries, options) + _out_domain_queries(options)
    clips = _clips(queries, voices, options)
    uses_babble = any(clip.condition.noise == "babble" for clip in clips)
    plan = CorpusPlan(
        clips=tuple(clips),
        babble_pool=_babble_pool(voices, options) if uses_babble else (),
        options=CorpusOptions(seed=options.seed, voices=tuple(v.name for v in voices), jobs=options.jobs),
    )
    result = write_corpus(plan, Path(out_dir), progress)
    logger.info("synthesized a dev set of %d clips (%d in-domain) with voices %s", result.clips,
                options.in_domain_queries, ", ".join(result.voices))
    return result.manifest


def _check(options: SynthDevOptions) -> None:
    if options.in_domain_queries < 0 or options.out_domain_queries < 0:
        raise DatasetError(f"query counts must be >= 0, got in_domain_queries={options.in_domain_queries} and "
                           f"out_domain_queries={options.out_domain_queries}")
    if options.in_domain_queries + options.out_domain_queries == 0:
        raise DatasetError("a dev set of 0 queries was asked for; set in_domain_queries or out_domain_queries above 0")
    if not options.conditions:
        raise DatasetError("no acoustic conditions given; pass e.g. conditions=('clean',)")
    for name in options.conditions:
        _condition(name, np.random.default_rng(0))  # raises for an unknown name before any synthesis


def _in_domain_queries(entries: list[CatalogEntry], options: SynthDevOptions) -> list[Query]:
    """`in_domain_queries` entries drawn by weight (without replacement, again once all are drawn)."""
    if options.in_domain_queries == 0:
        return []
    names = _spoken_names(entries)
    speakable = [e for e in entries if e.id in names]
    if not speakable:
        raise DatasetError(f"none of the {len(entries)} catalog entries has a title a synthesizer can say "
                           "unambiguously (plain words); import a catalog with readable titles or pass --data MANIFEST")
    weights = np.array([(1.0 + max(e.popularity, 0.0)) ** POPULARITY_EXPONENT for e in speakable])
    rng = _rng(options.seed, "in-domain")
    picked: list[CatalogEntry] = []
    while len(picked) < options.in_domain_queries:
        size = min(len(speakable), options.in_domain_queries - len(picked))
        draw = rng.choice(len(speakable), size=size, replace=False, p=weights / weights.sum())
        picked.extend(speakable[int(i)] for i in draw)
    short = _shortened(entries, names)
    queries = []
    for entry in picked:
        templates = TEMPLATES[template_group(entry.category)]
        t_weights = np.array([w for _, w in templates])
        template = templates[int(rng.choice(len(templates), p=t_weights / t_weights.sum()))][0]
        before, _, after = template.partition("{}")
        name = names[entry.id]
        if entry.id in short and rng.random() < SHORTENED_SHARE:
            name = short[entry.id][int(rng.integers(len(short[entry.id])))]
        text = " ".join((*before.split(), *name, *after.split()))
        queries.append(Query(id=_slug(text), text=text, expected=(entry.id,), domain="in", split=SPLIT,
                             category=entry.category, carrier=template))
    return queries


def _spoken_names(entries: Sequence[CatalogEntry]) -> dict[str, tuple[str, ...]]:
    """Entry id -> what a user says to mean it: the title's first part (as the LM says it), with the
    second part added when another entry shares the name ("portland oregon", "hello by adele"); entries no
    phrase singles out, or whose words a synthesizer would expand (abbreviations), are left out."""
    title_parts = TitleParts(entries)
    parts = {e.id: [p for p in (spoken_words(x) for x in title_parts.split(e.title, e.category)) if p]
             for e in entries}
    by_name: dict[tuple[str, ...], list[CatalogEntry]] = defaultdict(list)
    for entry in entries:
        if parts[entry.id]:
            by_name[parts[entry.id][0]].append(entry)
    joiner = {e.id: ("by",) if template_group(e.category) == "media" else () for e in entries}
    qualified: dict[tuple[str, ...], int] = defaultdict(int)
    for entry in entries:
        if len(parts[entry.id]) > 1:
            qualified[(*parts[entry.id][0], *joiner[entry.id], *parts[entry.id][1])] += 1
    names = {}
    for name, namesakes in by_name.items():
        if not all(_sayable(word) for word in name):
            continue
        for entry in namesakes:
            others = [e.popularity for e in namesakes if e is not entry]
            if not others or entry.popularity > DOMINANCE_RATIO * max(others):
                names[entry.id] = name
            elif len(parts[entry.id]) > 1 and all(_sayable(w) for w in parts[entry.id][1]):
                full = (*name, *joiner[entry.id], *parts[entry.id][1])
                if qualified[full] == 1 and full not in by_name:
                    names[entry.id] = full
    return names


def _shortened(entries: Sequence[CatalogEntry], names: dict[str, tuple[str, ...]]
               ) -> dict[str, list[tuple[str, ...]]]:
    """Entry id -> its shortened names (catalog_text.shortened_names, as the LM has them) that no other entry
    is called by, in full or shortened: a dev query must have one right answer."""
    title_parts = TitleParts(entries)
    brands = brand_words(entries, title_parts)
    candidates = {e.id: [s for s in shortened_names(title_parts.name(e), brands) if all(map(_sayable, s))]
                  for e in entries if e.id in names and template_group(e.category) != "media"}
    said = Counter(spoken_words(title_parts.name(e)) for e in entries)
    said.update(s for short in candidates.values() for s in short)
    unique = {i: [s for s in short if said[s] == 1] for i, short in candidates.items()}
    return {i: short for i, short in unique.items() if short}


def _sayable(word: str) -> bool:
    """False for vowelless abbreviations ("st", "dr", "mt") that a synthesizer expands into other words."""
    return len(word) == 1 or any(c in _VOWELS for c in word)


def _out_domain_queries(options: SynthDevOptions) -> list[Query]:
    rng = _rng(options.seed, "out-domain")
    texts: list[str] = []
    while len(texts) < options.out_domain_queries:
        order = rng.permutation(len(OUT_OF_DOMAIN_TEXTS))
        texts.extend(OUT_OF_DOMAIN_TEXTS[int(i)] for i in order[: options.out_domain_queries - len(texts)])
    return [Query(id=_slug(t), text=t, expected=(), domain="out", split=SPLIT) for t in texts]


def _clips(queries: list[Query], voices: tuple[Voice, ...], options: SynthDevOptions) -> list[ClipSpec]:
    """Each domain's clips share out the voices and the conditions evenly, in seeded orders."""
    clips = []
    for domain in ("in", "out"):
        group = [q for q in queries if q.domain == domain]
        voice_of = _spread(voices, len(group), _rng(options.seed, f"voices-{domain}"))
        condition_of = _spread(options.conditions, len(group), _rng(options.seed, f"conditions-{domain}"))
        for i, (query, voice, name) in enumerate(zip(group, voice_of, condition_of, strict=True)):
            clip_id = f"{domain}-{i:03d}-{query.id[:40]}"
            condition = _condition(name, _rng(options.seed, f"condition-{clip_id}"))
            clips.append(ClipSpec(clip_id, query, voice, condition))
    return clips


def _spread(values: Sequence, count: int, rng: np.random.Generator) -> list:
    """`count` values, each of `values` about equally often, in a random order."""
    tiled = [values[i % len(values)] for i in range(count)]
    return [tiled[int(i)] for i in rng.permutation(count)]


def _condition(name: str, rng: np.random.Generator) -> Condition:
    """clean | narrow (8 kHz telephone band, 8 kHz WAV) | white<SNR> | pink<SNR> | babble<SNR>, with seeded
    silence padding and level."""
    base = Condition(label=name, lead_s=_uniform(rng, *SILENCE_S), trail_s=_uniform(rng, *SILENCE_S),
                     peak_dbfs=round(_uniform(rng, *PEAK_DBFS), 1))
    if name == "clean":
        return base
    if name == "narrow":
        return replace(base, band="narrow", format="wav8k")
    noisy = _NOISY_CONDITION.match(name)
    if noisy:
        return replace(base, noise=noisy[1], snr_db=int(noisy[2]))
    raise DatasetError(f"unknown dev-set condition {name!r}; use clean, narrow, or white/pink/babble followed by "
                       "an SNR in dB (e.g. white10, babble5)")


def _babble_pool(voices: tuple[Voice, ...], options: SynthDevOptions) -> tuple[ClipSpec, ...]:
    """Clean out-of-domain utterances by rotated voices: the talkers mixed into babble noise."""
    rng = _rng(options.seed, "babble")
    picks = sorted(int(i) for i in rng.permutation(len(OUT_OF_DOMAIN_TEXTS))[:BABBLE_POOL_SIZE])
    pool_voices = _spread(voices, len(picks), rng)
    return tuple(
        ClipSpec(f"babble-{i:03d}", Query(id=_slug(OUT_OF_DOMAIN_TEXTS[i]), text=OUT_OF_DOMAIN_TEXTS[i],
                                          expected=(), domain="out", split=SPLIT), voice, Condition())
        for i, voice in zip(picks, pool_voices, strict=True)
    )


def _uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return round(float(rng.uniform(low, high)), 3)


def _slug(text: str) -> str:
    return "-".join(text.split())[:60]


def _rng(seed: int, purpose: str) -> np.random.Generator:
    digest = hashlib.sha256(purpose.encode()).digest()
    return np.random.default_rng([seed, int.from_bytes(digest[:8], "little")])
