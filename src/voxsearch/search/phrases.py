"""Query phrase tables (data, not code): carrier phrases, stop words, optional name words.

All phrases are written in normalized form (see `textnorm.normalize_text`): lower case, no accents,
no punctuation, apostrophes dropped ("what's" -> "whats").
"""

from __future__ import annotations

# Said before the thing searched for; stripped from the start of a query, repeatedly, longest first.
CARRIER_PREFIXES: tuple[str, ...] = (
    # politeness and fillers
    "please", "um", "uh", "hey", "ok", "okay", "so", "hi", "hello",
    "can you", "could you", "would you", "will you", "can i", "could i",
    "i want to", "i wanna", "i would like to", "id like to", "i need to", "lets", "let us",
    "i want to go to", "i need to go to", "i want to get to", "i need to get to",
    # media
    "play", "play me", "play the song", "play the album", "play some", "play songs by", "play music by",
    "put on", "listen to", "i want to listen to", "start playing", "play the video",
    # navigation and travel
    "directions to", "get directions to", "give me directions to", "show me directions to",
    "directions", "navigate to", "navigate", "drive to", "take me to", "go to", "get me to",
    "route to", "how do i get to", "how to get to", "how far is", "how far is it to",
    "distance to", "the way to", "bring me to", "travel to", "trip to", "a trip to",
    "flights to", "flight to", "cheap flights to", "book a flight to", "fly to", "tickets to", "trains to",
    "hotels in", "hotel in", "a hotel in", "book a hotel in", "hotels near", "restaurants in",
    "things to do in", "places to visit in", "where is", "wheres", "where is the",
    "show me a map of", "show me the map of", "a map of", "map of", "show me on the map", "show on the map",
    # weather and time
    "whats the weather in", "what is the weather in", "whats the weather like in",
    "what is the weather like in", "how is the weather in", "hows the weather in",
    "weather in", "weather for", "the weather in", "forecast for", "the forecast for", "weather forecast for",
    "temperature in", "whats the temperature in", "is it raining in",
    "what time is it in", "whats the time in", "what is the time in", "time in", "the time in",
    # cooking
    "how do i make", "how do you make", "how to make", "how to cook", "how do i cook", "recipe for",
    "a recipe for", "recipes for", "the recipe for", "give me a recipe for", "i want to make", "cook",
    # shopping
    "buy", "buy a", "buy an", "buy the", "buy me", "buy me a", "order", "order a", "order an", "order the",
    "order me", "order me a", "how much is a", "how much is an", "how much is the", "show me the", "i want to buy", "i want to order", "id like to buy", "id like to order",
    "i need to buy", "add", "how much is", "how much are", "how much does", "how much for", "price of",
    "the price of", "whats the price of", "what is the price of", "shop for", "shopping for", "where can i buy",
    "get me",
    # generic search
    "show me", "show", "find", "find me", "search for", "search", "look up", "lookup", "look for",
    "tell me about", "what is", "whats", "who is", "open", "go", "info on", "information about",
)

# Said after it; stripped from the end of a query, repeatedly, longest first.
CARRIER_SUFFIXES: tuple[str, ...] = (
    "please", "thanks", "thank you", "now", "right now", "today", "tonight", "tomorrow", "this weekend",
    "near me", "nearby", "for me", "from here", "from my location", "recipe", "the recipe",
    "weather", "forecast", "weather forecast", "on spotify", "on youtube", "song", "the song",
    "to my cart", "to the cart", "to cart", "to my basket", "to my shopping cart", "to my order", "on amazon",
    "online", "cost",
)

# Function words: kept in the query, but they weigh little when scoring.
STOP_WORDS: frozenset[str] = frozenset(
    "a an the of to in on at for by and or from with me my is are be it its this that".split()
)

# Designators people leave out when naming a place ("new york" for "New York City"):
# a missing one does not count against a match; a present one still counts for it.
OPTIONAL_NAME_WORDS: frozenset[str] = frozenset("city town village municipality county district".split())
