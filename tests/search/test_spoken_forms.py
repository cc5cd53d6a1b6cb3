"""Written forms as they are said (text/spoken), and search over a catalog of products written with codes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.search.conftest import imported
from voxsearch.search import CatalogIndex
from voxsearch.search.rank import RankWeights, word_rarity
from voxsearch.search.templates import template_group
from voxsearch.search.textnorm import spoken_text
from voxsearch.text.spoken import say_number, say_written
from voxsearch.train.catalog_text import spoken_words
from voxsearch.types import CatalogEntry


@pytest.mark.parametrize(
    ("digits", "said"),
    [
        ("7", "seven"), ("65", "sixty five"), ("500", "five hundred"), ("505", "five oh five"),
        ("747", "seven forty seven"), ("1000", "one thousand"), ("1080", "ten eighty"), ("1500", "fifteen hundred"),
        ("1905", "nineteen oh five"), ("1999", "nineteen ninety nine"), ("2005", "two thousand five"),
        ("2024", "twenty twenty four"), ("4090", "forty ninety"), ("10000", "ten thousand"),
        ("75257", "seven five two five seven"), ("007", "zero zero seven"),
    ],
)
def test_numbers_are_said_as_people_say_them(digits: str, said: str) -> None:
    assert say_number(digits) == said


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Samsung Galaxy S24 Ultra", "samsung galaxy s twenty four ultra"),
        ("Sony WH-1000XM5 Wireless Headphones", "sony w h one thousand x m five wireless headphones"),
        ("LG C3 65-inch 4K OLED TV", "l g c three sixty five inch four k oled t v"),
        ("NVIDIA GeForce RTX 4090", "nvidia geforce r t x forty ninety"),
        ("Instant Pot Duo 7-in-1", "instant pot duo seven in one"),
        ("PS5", "p s five"),
        ("Dyson V15 Detect", "dyson v fifteen detect"),
        ("Jenny 867-5309", "jenny eight six seven five three oh nine"),
        ("10,000 Hours", "ten thousand hours"),
        ("21st Century Breakdown", "twenty first century breakdown"),
        ("Back to the 80s", "back to the eighties"),
        ("Simon & Garfunkel", "simon and garfunkel"),
        ("Smooth, Santana feat. Rob Thomas", "smooth santana featuring rob thomas"),
        ("AI Assistant", "a i assistant"),
        ("IT", "it"),  # a capitalized pair that is a word
        ("HUMBLE.", "humble"),  # a title in capitals keeps its words
        ("ABBA", "abba"),  # capitals with vowels: a word
        ("Beyoncé", "beyonce"),
        ("Sony Alpha a7 IV", "sony alpha a seven four"),
        ("Xbox Series X", "xbox series x"),  # a lone V or X is a letter
        ("iRobot Roomba j7+", "irobot roomba j seven plus"),
        ("C++ Primer", "c plus plus primer"),
        ("Olaplex No. 3", "olaplex number three"),
    ],
)
def test_written_forms_are_said(written: str, said: str) -> None:
    assert spoken_text(written) == said


@given(st.text(max_size=40))
def test_saying_is_idempotent_once_normalized(text: str) -> None:
    once = spoken_text(text)
    assert spoken_text(once) == once


@given(st.text(max_size=40))
def test_what_is_said_has_no_digits(text: str) -> None:
    assert not any(c in "0123456789" for c in say_written(text))


def test_the_language_model_says_codes_instead_of_dropping_them() -> None:
    """Before, tokens mixing letters and digits were dropped: "24K Magic" was said "magic"."""
    assert spoken_words("24K Magic") == ("twenty", "four", "k", "magic")
    assert spoken_words("Galaxy S24") == ("galaxy", "s", "twenty", "four")
    assert spoken_words("東京 Tower") == ("tower",)  # words the recognizers cannot say are still dropped


def test_product_categories_get_shopping_phrases() -> None:
    assert template_group("smartphone") == "shopping"
    assert template_group("video game console") == "shopping"
    assert template_group("snack recipe") == "cooking"
    assert template_group("song") == "media"


PRODUCTS = [
    CatalogEntry(id="s24u", title="Samsung Galaxy S24 Ultra", category="smartphone", popularity=90),
    CatalogEntry(id="s23", title="Samsung Galaxy S23", category="smartphone", popularity=80),
    CatalogEntry(id="ip15", title="Apple iPhone 15 Pro Max", category="smartphone", popularity=95),
    CatalogEntry(id="ip14", title="Apple iPhone 14", category="smartphone", popularity=85),
    CatalogEntry(id="xm5", title="Sony WH-1000XM5 Wireless Headphones", category="headphones", popularity=70),
    CatalogEntry(id="xm4", title="Sony WH-1000XM4 Wireless Headphones", category="headphones", popularity=60),
    CatalogEntry(id="ps5", title="PlayStation 5 Console", category="video game console", popularity=88),
    CatalogEntry(id="c3", title="LG C3 65-inch 4K OLED TV", category="television", popularity=50),
    CatalogEntry(id="b9", title="LG B3 55-inch 4K OLED TV", category="television", popularity=40),
    CatalogEntry(id="4090", title="NVIDIA GeForce RTX 4090 Founders Edition", category="graphics card", popularity=60),
    CatalogEntry(id="4060", title="NVIDIA GeForce RTX 4060", category="graphics card", popularity=60),
    CatalogEntry(id="xps", title="Dell XPS 14 9440", category="laptop", popularity=60),
    CatalogEntry(id="zve10", title="Sony ZV-E10", category="camera", popularity=60),
    CatalogEntry(id="mdr", title="Sony MDR-7506 Studio Headphones", category="headphones", popularity=60),
    CatalogEntry(id="divorce", title="D-I-V-O-R-C-E, Tammy Wynette", category="song", popularity=30),
    CatalogEntry(id="freemind", title="Free Mind, Tems", category="song", popularity=60),
]


@pytest.fixture(scope="module")
def products(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogIndex]:
    yield from imported(tmp_path_factory, PRODUCTS, "products")


@pytest.mark.parametrize(
    ("query", "expected_id"),
    [
        # as pocketsphinx says it, in words
        ("buy galaxy s twenty four ultra", "s24u"),
        ("order the sony w h one thousand x m five", "xm5"),
        ("how much is the l g c three", "c3"),
        ("iphone fifteen pro max", "ip15"),
        # as Whisper writes it
        ("Buy a Galaxy S24.", "s24u"),
        ("Order the Sony WH-1000XM4.", "xm4"),
        ("How much is the LG C3?", "c3"),
        ("Add a PlayStation 5 to my cart.", "ps5"),
        # a shortened name: the words left out at either end weigh less ("nvidia" ... "founders edition")
        ("geforce rtx forty ninety", "4090"),
        # different number words never match ("sixty" is spelled like "ninety", 4060 is not 4090)
        ("nvidia r t x forty ninety", "4090"),
        # "forty ninety" in that order: not "fourteen ninety four forty" (XPS 14 9440), which has both
        ("how much is an r t x forty ninety", "4090"),
        # a number word meets another word only by sound: "five" is not "zve" (ZV-E10) nor in "seventy five"
        ("order the sony x m five headphones", "xm5"),
        # spelled letters meet a spelled title, however many
        ("play d i v o r c e", "divorce"),
        ("Play D-I-V-O-R-C-E.", "divorce"),
    ],
)
def test_a_product_is_found_said_or_written(products: CatalogIndex, query: str, expected_id: str) -> None:
    hits = products.search(query, top_k=3)
    assert hits and hits[0].id == expected_id, [(h.id, round(h.score, 3)) for h in hits]


def test_a_word_many_entries_share_weighs_less() -> None:
    rarity = word_rarity({"sony": 1000, "xm5": 1, "wireless": 500}, entries=1000)
    assert rarity("xm5") == rarity("unseen") == 1.0
    assert rarity("sony") == pytest.approx(RankWeights().common_word_factor, abs=0.01)
    assert rarity("sony") < rarity("wireless") < rarity("xm5")
