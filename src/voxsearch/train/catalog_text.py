"""What users say about a catalog, as weighted sentences for a language model.

Each entry's spoken name (the name part of its title, as search/title_parts and the search index split it)
goes bare and into carrier-phrase templates chosen by its category (places, media, cooking, anything
else); a qualifier ("portland oregon") and aliases are added with less weight, and for media the title
"by" its artist and the artist in carrier phrases of its own ("play some dolly parton"). Long names outside
media also go shortened, as people say them (`shortened_names`: "kindle paperwhite" for "Amazon Kindle
Paperwhite", "ninja creami deluxe" for "Ninja Creami Deluxe NC501"). An entry's weight
grows with its popularity (`popularity ** exponent`), so the LM leans toward what people ask about without
making rare names unreachable.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from voxsearch.search.templates import ARTIST_TEMPLATES, TEMPLATES, template_group
from voxsearch.search.title_parts import TitleParts
from voxsearch.search.textnorm import spoken_text
from voxsearch.types import CatalogEntry

__all__ = ["TEMPLATES", "CatalogTextOptions", "brand_words", "catalog_sentences", "shortened_names", "spoken_words",
           "template_group"]



@dataclass(frozen=True)
class CatalogTextOptions:
    popularity_exponent: float = 0.25  # entry weight ~ (1 + popularity) ** exponent
    qualifier_share: float = 0.3  # weight of "name qualifier" forms ("portland oregon") relative to the name
    alias_share: float = 0.2
    media_by_share: float = 0.3  # "X by Y" for media entries whose title is "X, Y"
    artist_share: float = 0.2  # "play some Y" for them (an artist's entries add up)
    short_share: float = 0.3  # shortened names (all of an entry's together), in the same carrier phrases
    brand_entries: int = 3  # a first word that starts this many names or more is a brand people may leave out


def spoken_words(text: str) -> tuple[str, ...]:
    """Normalized words as they are said (search's `spoken_text`: numbers, codes and acronyms in words,
    "&" and "feat." read out); words outside a-z, which the recognizers' dictionaries lack, dropped."""
    return tuple(w for w in spoken_text(text).split() if w.isascii() and w.isalpha())


def shortened_names(name: str, brands: frozenset[str] = frozenset()) -> list[tuple[str, ...]]:
    """Shorter ways to say a written name, in spoken words, each of 2 words or more and none the whole name:
    without what is in parentheses ("(2nd generation)"), without a last word that holds a digit (a model
    number, size or year: "NC501", "15-inch"), without a leading brand (`brands`: first words that start
    several names), and both cuts together."""
    full = spoken_words(name)
    unbracketed = re.sub(r"\([^)]*\)", " ", name).split()
    # one word only: "Galaxy Book3 360" is not "galaxy"
    cut = unbracketed[:-1] if unbracketed and any(c.isdigit() for c in unbracketed[-1]) else unbracketed
    variants = [spoken_words(" ".join(unbracketed)), spoken_words(" ".join(cut))]
    variants += [v[1:] for v in (full, *variants) if v and v[0] in brands]
    seen: set[tuple[str, ...]] = {full}
    short = []
    for words in variants:
        if len(words) >= 2 and words not in seen:
            seen.add(words)
            short.append(words)
    return short


def brand_words(entries: Sequence[CatalogEntry], title_parts: TitleParts, min_entries: int = 3) -> frozenset[str]:
    """Spoken first words that start `min_entries` names or more: brands, which people may leave out."""
    firsts = Counter(words[0] for words in (spoken_words(title_parts.name(e)) for e in entries) if words)
    return frozenset(word for word, count in firsts.items() if count >= min_entries)


def catalog_sentences(entries: Iterable[CatalogEntry], options: CatalogTextOptions = CatalogTextOptions(),
                      title_parts: TitleParts | None = None) -> Iterator[tuple[tuple[str, ...], float]]:
    """(words, weight) for every way of saying every entry; weights average about 1 per entry.
    `title_parts`: built from the whole catalog when `entries` are only part of it."""
    entries = list(entries)
    title_parts = title_parts or TitleParts(entries)
    brands = brand_words(entries, title_parts, options.brand_entries)
    raw = [(1.0 + max(e.popularity, 0.0)) ** options.popularity_exponent for e in entries]
    mean = sum(raw) / len(raw) if raw else 1.0
    for entry, weight in zip(entries, raw, strict=True):
        yield from _entry_sentences(entry, weight / mean, options, title_parts, brands)


def _entry_sentences(entry: CatalogEntry, weight: float, options: CatalogTextOptions, title_parts: TitleParts,
                     brands: frozenset[str]) -> Iterator[tuple[tuple[str, ...], float]]:
    written = title_parts.split(entry.title, entry.category)
    parts = [p for p in (spoken_words(x) for x in written) if p]
    if not parts:
        return
    group = template_group(entry.category)
    names = [(parts[0], 1.0)]
    names += [((*parts[0], *q), options.qualifier_share / len(parts[1:])) for q in parts[1:]]
    if group != "media" and options.short_share > 0:  # song and film titles are said whole
        short = shortened_names(written[0], brands)
        names += [(words, options.short_share / len(short)) for words in short]
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
        total = sum(w for _, w in ARTIST_TEMPLATES)
        for template, t_weight in ARTIST_TEMPLATES:
            before, _, after = template.partition("{}")
            yield (*before.split(), *parts[1], *after.split()), weight * options.artist_share * t_weight / total
