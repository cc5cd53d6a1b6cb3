"""What users say about a catalog, as weighted sentences for a language model.

Each entry's spoken name (the first part of its title, normalized like the search index does) goes
bare and into carrier-phrase templates chosen by its category (places, media, cooking, anything
else); a qualifier ("portland oregon") and aliases are added with less weight. An entry's weight grows
with its popularity (`popularity ** exponent`), so the LM leans toward what people ask about without
making rare names unreachable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from voxsearch.search.textnorm import normalize_text
from voxsearch.text.numbers import spell_number_string
from voxsearch.types import CatalogEntry

__all__ = ["CatalogTextOptions", "TEMPLATES", "catalog_sentences", "spoken_words", "template_group"]

# Template groups (data): (template, relative weight); "{}" is the entry's spoken name.
TEMPLATES: dict[str, tuple[tuple[str, float], ...]] = {
    "place": (
        ("{}", 3.0), ("directions to {}", 1.0), ("navigate to {}", 1.0), ("take me to {}", 1.0),
        ("weather in {}", 1.0), ("what is the weather in {}", 1.0), ("whats the weather in {}", 0.5),
        ("hotels in {}", 1.0), ("flights to {}", 1.0), ("how far is {}", 1.0), ("restaurants in {}", 1.0),
        ("things to do in {}", 1.0), ("show me a map of {}", 1.0), ("where is {}", 0.5),
        ("what time is it in {}", 0.5), ("how do i get to {}", 0.5), ("drive to {}", 0.5),
    ),
    "media": (
        ("{}", 3.0), ("play {}", 2.0), ("play the song {}", 0.5), ("play the album {}", 0.5), ("listen to {}", 1.0),
        ("put on {}", 0.5), ("play some {}", 0.5), ("play music by {}", 0.5), ("search for {}", 0.5),
    ),
    "cooking": (
        ("{}", 3.0), ("how do i make {}", 1.0), ("how to make {}", 1.0), ("recipe for {}", 1.0),
        ("a recipe for {}", 0.5), ("how do you make {}", 0.5), ("how to cook {}", 0.5), ("{} recipe", 0.5),
    ),
    "generic": (
        ("{}", 3.0), ("show me {}", 1.0), ("find {}", 1.0), ("search for {}", 1.0), ("look up {}", 0.5),
        ("open {}", 0.5), ("tell me about {}", 0.5), ("what is {}", 0.5), ("play {}", 0.5),
        ("directions to {}", 0.5), ("how do i make {}", 0.5),
    ),
}
# category words -> template group; categories matching none use "generic"
_GROUP_WORDS = {
    "place": "city town village country state region province place location airport county district",
    "media": "song track album artist music band podcast video movie film show episode playlist",
    "cooking": "recipe dish food meal drink cocktail dessert",
}
_NON_WORD_TOKEN = re.compile(r"[^a-z']")


@dataclass(frozen=True)
class CatalogTextOptions:
    popularity_exponent: float = 0.25  # entry weight ~ (1 + popularity) ** exponent
    qualifier_share: float = 0.3  # weight of "name qualifier" forms ("portland oregon") relative to the name
    alias_share: float = 0.2
    media_by_share: float = 0.3  # "X by Y" for media entries whose title is "X, Y"


def template_group(category: str) -> str:
    words = set(normalize_text(category).split())
    for group, names in _GROUP_WORDS.items():
        if words & set(names.split()):
            return group
    return "generic"


def spoken_words(text: str) -> tuple[str, ...]:
    """Normalized words as they are said: digits spelled out, other non-letter tokens dropped."""
    words: list[str] = []
    for token in normalize_text(text).split():
        if token.isdigit():
            words.extend(spell_number_string(token).split())
        elif not _NON_WORD_TOKEN.search(token):
            words.append(token)
    return tuple(words)


def catalog_sentences(entries: Iterable[CatalogEntry], options: CatalogTextOptions = CatalogTextOptions()
                      ) -> Iterator[tuple[tuple[str, ...], float]]:
    """(words, weight) for every way of saying every entry; weights average about 1 per entry."""
    entries = list(entries)
    raw = [(1.0 + max(e.popularity, 0.0)) ** options.popularity_exponent for e in entries]
    mean = sum(raw) / len(raw) if raw else 1.0
    for entry, weight in zip(entries, raw, strict=True):
        yield from _entry_sentences(entry, weight / mean, options)


def _entry_sentences(entry: CatalogEntry, weight: float, options: CatalogTextOptions
                     ) -> Iterator[tuple[tuple[str, ...], float]]:
    parts = [p for p in (spoken_words(x) for x in entry.title.split(",")) if p]
    if not parts:
        return
    group = template_group(entry.category)
    names = [(parts[0], 1.0)]
    names += [((*parts[0], *q), options.qualifier_share / len(parts[1:])) for q in parts[1:]]
    templates = TEMPLATES[group]
    total = sum(w for _, w in templates)
    for name, share in names:
        for template, t_weight in templates:
            before, _, after = template.partition("{}")
            yield (*before.split(), *name, *after.split()), weight * share * t_weight / total
    if options.alias_share > 0:  # aliases are alternate spellings, rarely said: bare only
        aliases = [a for a in (spoken_words(x) for x in entry.aliases) if a and a != parts[0]]
        for alias in aliases:
            yield alias, weight * options.alias_share / len(aliases)
    if group == "media" and len(parts) >= 2:
        yield (*parts[0], "by", *parts[1]), weight * options.media_by_share
