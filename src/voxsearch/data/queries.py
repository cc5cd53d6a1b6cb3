"""Voice-search queries for the demo catalog: seeded target choice, carrier phrases, splits.

A query is what one user says. In-domain queries name a catalog place inside a carrier phrase
("directions to paris france"); out-of-domain ones are general assistant requests with no expected id.
Spoken text and reference text are the same string: lowercase ASCII words, no punctuation, numbers in words.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from voxsearch.errors import DatasetError
from voxsearch.types import CatalogEntry

logger = logging.getLogger(__name__)

SPLITS = ("train", "dev", "test")
SPLIT_FRACTIONS = (0.6, 0.2, 0.2)

# Latin-script countries whose city names a US-English synthesizer (and listener) reads naturally.
ENGLISH_SPEAKING_COUNTRIES = frozenset("US GB CA AU IE NZ".split())
FAMILIAR_COUNTRIES = frozenset(
    "US GB CA AU IE NZ ZA FR DE IT ES PT NL BE CH AT SE NO DK FI PL MX BR AR CL CO PE VE".split()
)
_CITY_CARRIERS = (
    ("directions", "directions to {}"),
    ("weather", "what is the weather in {}"),
    ("weather_short", "weather in {}"),
    ("take_me", "take me to {}"),
    ("hotels", "hotels in {}"),
    ("flights", "flights to {}"),
    ("how_far", "how far is {}"),
    ("navigate", "navigate to {}"),
    ("restaurants", "restaurants in {}"),
    ("things_to_do", "things to do in {}"),
    ("bare", "{}"),
    ("bare", "{}"),
)
_REGION_CARRIERS = (
    ("flights", "flights to {}"),
    ("hotels", "hotels in {}"),
    ("weather_short", "weather in {}"),
    ("map", "show me a map of {}"),
    ("things_to_do", "things to do in {}"),
    ("bare", "{}"),
)
OUT_OF_DOMAIN_TEXTS = (
    "set a timer for ten minutes",
    "what time is it",
    "call mom",
    "turn off the lights",
    "play some jazz music",
    "remind me to buy milk tomorrow",
    "tell me a joke",
    "what is twenty five times four",
    "wake me up at seven thirty",
    "turn the volume down",
    "send a message to david",
    "how do you spell necessary",
    "add eggs to my shopping list",
    "who won the game last night",
    "pause the music",
    "what is on my calendar today",
    "set an alarm for six in the morning",
    "how many ounces in a cup",
    "read my new emails",
    "open the camera",
    "skip this song",
    "what is the capital of the moon",
    "turn on do not disturb",
    "how tall is a giraffe",
    "call the office",
    "start a workout",
    "what does photosynthesis mean",
    "convert fifty dollars to euros",
    "stop",
    "good morning",
    "cancel my three o clock meeting",
    "how much battery is left",
)


@dataclass(frozen=True)
class QueryOptions:
    seed: int = 1234
    familiar_cities: int = 82
    harder_cities: int = 18
    countries: int = 10
    states: int = 10
    out_of_domain: int = 30
    min_city_population: int = 100_000
    min_harder_city_population: int = 500_000  # hard-to-read names: only cities people have heard of
    population_exponent: float = 1.0  # weight = population ** exponent
    english_speaking_boost: float = 4.0  # the product's users are English speakers: their places weigh more
    dominance_ratio: float = 5.0  # a bare name is enough when the target is this many times the next homonym


@dataclass(frozen=True)
class Query:
    """One spoken query; `text` is both the reference transcript and the synthesizer's input."""

    id: str
    text: str
    expected: tuple[str, ...]
    domain: str  # "in" | "out"
    split: str
    category: str = ""  # city | country | state | "" (out of domain)
    carrier: str = ""
    difficulty: str = ""  # familiar | harder (city names)


def fold_ascii(name: str) -> str:
    """'Zürich' -> 'zurich', 'Saint-Étienne' -> 'saint etienne'; lowercase, hyphens become spaces."""
    text = name.translate(_NON_DECOMPOSING).replace("-", " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def spoken_name(name: str) -> str | None:
    """The folded name when it is plain words a synthesizer can read, else None (digits, dots, apostrophes)."""
    folded = fold_ascii(name)
    return folded if _PLAIN_WORDS.match(folded) else None


def build_queries(catalog: list[CatalogEntry], options: QueryOptions = QueryOptions()) -> list[Query]:
    """In-domain queries for seeded, population-weighted targets plus out-of-domain ones, with splits."""
    if options.out_of_domain > len(OUT_OF_DOMAIN_TEXTS):
        raise DatasetError(
            f"out_of_domain={options.out_of_domain} but only {len(OUT_OF_DOMAIN_TEXTS)} out-of-domain texts exist; "
            f"ask for at most {len(OUT_OF_DOMAIN_TEXTS)}"
        )
    rng = np.random.default_rng([options.seed, 1])
    names = _NameIndex(catalog)
    by_text: dict[str, Query] = {}
    for query in _city_queries(names, options, rng) + _region_queries(names, options, rng):
        by_text.setdefault(query.text, query)
    in_domain = list(by_text.values())
    ood_picks = sorted(rng.permutation(len(OUT_OF_DOMAIN_TEXTS))[: options.out_of_domain])
    ood_texts = [OUT_OF_DOMAIN_TEXTS[i] for i in ood_picks]
    out_domain = [Query(id=_slug(t), text=t, expected=(), domain="out", split="") for t in ood_texts]
    queries = _assign_splits(in_domain, options.seed) + _assign_splits(out_domain, options.seed)
    logger.info("built %d in-domain and %d out-of-domain queries", len(in_domain), len(out_domain))
    return queries


class _NameIndex:
    """Catalog entries grouped by spoken name, to detect names shared by several places."""

    def __init__(self, catalog: list[CatalogEntry]) -> None:
        self.by_name: dict[str, list[CatalogEntry]] = defaultdict(list)
        for entry in catalog:
            self.by_name[fold_ascii(entry.title.split(",")[0])].append(entry)
        self.entries = catalog
        self.country_codes = {e.title: e.id.split(":", 1)[1] for e in catalog if e.category == "country"}

    def homonyms(self, name: str, target: CatalogEntry) -> list[CatalogEntry]:
        return [e for e in self.by_name.get(name, ()) if e.id != target.id]


def _qualifier(entry: CatalogEntry) -> str | None:
    """The region a user adds to disambiguate: the US state, else the country ('portland oregon')."""
    parts = [p.strip() for p in entry.title.split(",")]
    region = parts[1] if len(parts) == 3 else parts[-1]
    spoken = spoken_name(region)
    return spoken.removeprefix("the ") if spoken else None


def _city_phrase(names: _NameIndex, city: CatalogEntry, ratio: float) -> str | None:
    """The place as a user would say it so that `city` is the sensible answer, or None when no phrase is."""
    name = spoken_name(city.title.split(",")[0])
    if name is None:
        return None
    others = names.homonyms(name, city)
    if any(e.category != "city" for e in others):
        return None  # "panama", "luxembourg": the country is the sensible answer
    if not others or city.popularity >= ratio * max(e.popularity for e in others):
        return name
    qualifier = _qualifier(city)
    if qualifier is None:
        return None
    same_region = [e for e in others if _qualifier(e) == qualifier]
    if same_region and city.popularity < ratio * max(e.popularity for e in same_region):
        return None
    return f"{name} {qualifier}"


def _weighted_sample(entries: list[CatalogEntry], weights: np.ndarray, rng: np.random.Generator) -> list:
    """Weighted sampling without replacement (Efraimidis-Spirakis keys); order is the draw order."""
    if not entries:
        return []
    keys = np.log(rng.random(len(entries))) / weights
    return [entries[i] for i in np.argsort(-keys)]


def _in_domain(text: str, entry: CatalogEntry, carrier: str, difficulty: str = "") -> Query:
    return Query(id=_slug(text), text=text, expected=(entry.id,), domain="in", split="", category=entry.category,
                 carrier=carrier, difficulty=difficulty)


def _city_queries(names: _NameIndex, options: QueryOptions, rng: np.random.Generator) -> list[Query]:
    cities = [e for e in names.entries if e.category == "city" and e.popularity >= options.min_city_population]
    familiar = [c for c in cities if _country_code(c, names) in FAMILIAR_COUNTRIES and _plain(c)]
    harder = [c for c in cities if not (_country_code(c, names) in FAMILIAR_COUNTRIES and _plain(c))
              and c.popularity >= options.min_harder_city_population]
    drafts = []
    for pool, count, difficulty in ((familiar, options.familiar_cities, "familiar"),
                                    (harder, options.harder_cities, "harder")):
        weights = np.array([
            c.popularity ** options.population_exponent
            * (options.english_speaking_boost if _country_code(c, names) in ENGLISH_SPEAKING_COUNTRIES else 1.0)
            for c in pool
        ])
        taken = 0
        for city in _weighted_sample(pool, weights, rng):
            if taken == count:
                break
            phrase = _city_phrase(names, city, options.dominance_ratio)
            if phrase is None:
                continue
            carrier, template = _CITY_CARRIERS[int(rng.integers(len(_CITY_CARRIERS)))]
            drafts.append(_in_domain(template.format(phrase), city, carrier, difficulty))
            taken += 1
        if taken < count:
            raise DatasetError(f"only {taken} {difficulty} cities qualify, {count} asked; lower the count")
    return drafts


def _region_queries(names: _NameIndex, options: QueryOptions, rng: np.random.Generator) -> list[Query]:
    drafts = []
    for category, count in (("country", options.countries), ("state", options.states)):
        pool = [e for e in names.entries if e.category == category and _region_is_unambiguous(names, e)]
        if category == "state":  # states carry no population: equal weights
            picks = [pool[i] for i in rng.permutation(len(pool))[:count]]
        else:
            weights = np.array([max(e.popularity, 1.0) ** options.population_exponent for e in pool])
            picks = _weighted_sample(pool, weights, rng)[:count]
        for entry in picks:
            carrier, template = _REGION_CARRIERS[int(rng.integers(len(_REGION_CARRIERS)))]
            drafts.append(_in_domain(template.format(spoken_name(entry.title)), entry, carrier))
    return drafts


def _region_is_unambiguous(names: _NameIndex, entry: CatalogEntry) -> bool:
    """A country or state people mean by its name: no other region and no big city shares it."""
    name = spoken_name(entry.title)
    if name is None:
        return False
    return not any(e.category != "city" or e.popularity >= 100_000 for e in names.homonyms(name, entry))


def _country_code(city: CatalogEntry, names: _NameIndex) -> str:
    return names.country_codes.get(city.title.rsplit(",", 1)[-1].strip(), "")


def _plain(city: CatalogEntry) -> bool:
    """Name written in plain ASCII letters (no diacritics to fold away)."""
    name = city.title.split(",")[0]
    return name.isascii() and spoken_name(name) is not None


def _assign_splits(queries: list[Query], seed: int) -> list[Query]:
    """~60/20/20 by query: order by a seeded hash of the text, cut at the fractions."""
    ordered = sorted(queries, key=lambda q: hashlib.sha256(f"{seed}:{q.text}".encode()).hexdigest())
    n = len(ordered)
    cut_train = round(n * SPLIT_FRACTIONS[0])
    cut_dev = cut_train + round(n * SPLIT_FRACTIONS[1])
    out = []
    for i, query in enumerate(ordered):
        split = "train" if i < cut_train else "dev" if i < cut_dev else "test"
        out.append(replace(query, split=split))
    return sorted(out, key=lambda q: q.id)


def _slug(text: str) -> str:
    return "-".join(text.split())[:60]


_PLAIN_WORDS = re.compile(r"^[a-z]+( [a-z]+){0,3}$")
_NON_DECOMPOSING = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i",
     "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th", "ð": "d"}
)
