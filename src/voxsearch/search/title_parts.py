"""Which part of a catalog title is the entry's name, and what qualifies it.

Titles carry their qualifiers after commas: "Portland, Oregon, US" (the name, then where it is) and, for
media, "Jolene, Dolly Parton" (the title, then the artist). A song's title or its artist may hold commas
of its own ("Thank U, Next, Ariana Grande"; "See You Again, Tyler, the Creator"), so for media the title
ends at the comma whose remainder recurs most often as a remainder in the catalog (an artist has several
entries; among equally frequent recurring ones, the longest: "Tyler, the Creator"), else at the last comma.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from voxsearch.search.templates import template_group
from voxsearch.types import CatalogEntry

__all__ = ["TitleParts"]

MEDIA = "media"


class TitleParts:
    """Splits titles into (name, qualifiers...); built from the whole catalog to find its artists."""

    def __init__(self, entries: Iterable[CatalogEntry] = ()) -> None:
        self._remainders = Counter(
            remainder for e in entries if template_group(e.category) == MEDIA
            for remainder in _remainders(_comma_parts(e.title))
        )

    def split(self, title: str, category: str) -> tuple[str, ...]:
        """The name first, then its qualifiers; a media title gives (title, artist) at most."""
        parts = _comma_parts(title)
        if template_group(category) != MEDIA or len(parts) <= 2:
            return parts

        def preference(cut: int) -> tuple[int, int]:
            seen = self._remainders[", ".join(parts[cut:])]
            return seen, -cut if seen > 1 else cut

        cut = max(range(1, len(parts)), key=preference)
        return ", ".join(parts[:cut]), ", ".join(parts[cut:])

    def name(self, entry: CatalogEntry) -> str:
        parts = self.split(entry.title, entry.category)
        return parts[0] if parts else entry.title.strip()


def _comma_parts(title: str) -> tuple[str, ...]:
    return tuple(p for p in (part.strip() for part in title.split(",")) if p)


def _remainders(parts: tuple[str, ...]) -> Iterable[str]:
    return (", ".join(parts[cut:]) for cut in range(1, len(parts)))
