"""Every carrier phrase the catalog LM and the synthesized dev set put around a name is one the search strips."""

from __future__ import annotations

import pytest

from voxsearch.search.templates import TEMPLATES
from voxsearch.search.textnorm import parse_query

TEMPLATE_LIST = sorted({template for group in TEMPLATES.values() for template, _ in group})


@pytest.mark.parametrize("template", TEMPLATE_LIST)
def test_the_search_strips_the_carrier_of_every_template(template: str):
    query = parse_query(template.format("zanzibar"))
    assert query.tokens == ("zanzibar",), (template, query)
