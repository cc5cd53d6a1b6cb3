"""Carrier-phrase templates: how people say a catalog entry, by the kind of catalog (data, not code).

Used to write the catalog language model (train/catalog_text) and to propose catalog readings of a
transcript for rescoring (voxsearch.catalog_rescoring). Templates are in normalized form; "{}" is the name.
"""

from __future__ import annotations

from voxsearch.search.textnorm import normalize_text

__all__ = ["ARTIST_TEMPLATES", "TEMPLATES", "template_group"]

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
    "shopping": (
        ("{}", 3.0), ("buy {}", 1.0), ("buy a {}", 0.3), ("buy the {}", 0.3), ("order {}", 1.0),
        ("order the {}", 0.3), ("add {} to my cart", 1.0), ("how much is {}", 0.5), ("how much is the {}", 0.5),
        ("i want to buy {}", 0.5), ("show me {}", 0.5), ("find {}", 0.5), ("search for {}", 0.5),
        ("price of {}", 0.3),
    ),
    "generic": (
        ("{}", 3.0), ("show me {}", 1.0), ("find {}", 1.0), ("search for {}", 1.0), ("look up {}", 0.5),
        ("open {}", 0.5), ("tell me about {}", 0.5), ("what is {}", 0.5), ("play {}", 0.5),
        ("directions to {}", 0.5), ("how do i make {}", 0.5), ("buy {}", 0.5), ("order {}", 0.3),
        ("add {} to my cart", 0.3), ("how much is {}", 0.3),
    ),
}
# Media entries with an artist ("Jolene, Dolly Parton"): how people ask for the artist; "{}" is the artist.
ARTIST_TEMPLATES: tuple[tuple[str, float], ...] = (
    ("play some {}", 1.0), ("play music by {}", 1.0), ("play songs by {}", 0.5), ("put on some {}", 0.5),
)
# category words -> template group, the first group that matches ("snack recipe" is cooking, "video game
# console" shopping); categories matching none use "generic"
_GROUP_WORDS = {
    "place": "city town village country state region province place location airport county district",
    "cooking": "recipe recipes dish food meal drink cocktail dessert",
    "shopping": "product products item items electronics smartphone phone laptop computer tablet headphones "
                "earbuds speaker soundbar television monitor camera drone console game games videogame "
                "appliance appliances vacuum furniture mattress bedding clothing apparel shoes shoe sneakers boots "
                "jacket shirt dress jeans socks bag backpack luggage toy toys beauty cosmetics makeup skincare "
                "fragrance perfume tool tools hardware grocery groceries snack snacks beverage coffee book books "
                "watch smartwatch jewelry accessory accessories gadget device printer router keyboard charger "
                "cookware kitchenware equipment gear supplies",
    "media": "song track album artist music band podcast video movie film show episode playlist",
}


def template_group(category: str) -> str:
    words = set(normalize_text(category).split())
    for group, names in _GROUP_WORDS.items():
        if words & set(names.split()):
            return group
    return "generic"
