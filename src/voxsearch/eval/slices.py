"""Slices of an evaluation set: the items grouped by the value of one tag."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def slice_by_tag(tags: Sequence[Mapping[str, str]], tag: str) -> dict[str, list[int]]:
    """Tag value -> indices of the items carrying it, values sorted; items without the tag are left out."""
    groups: dict[str, list[int]] = {}
    for i, item_tags in enumerate(tags):
        if tag in item_tags:
            groups.setdefault(item_tags[tag], []).append(i)
    return dict(sorted(groups.items()))
