"""Slices of an evaluation set: the items grouped by the value of one tag (or of two tags crossed)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence

UNTAGGED = "(untagged)"
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def slice_by_tag(tags: Sequence[Mapping[str, str]], tag: str, missing: str | None = None) -> dict[str, list[int]]:
    """Tag value -> indices of the items carrying it, values sorted.

    Items without the tag are left out, or grouped under `missing` when given (then the slices of one
    tag cover every item exactly once, so their counts sum to the total).
    """
    groups: dict[str, list[int]] = {}
    for i, item_tags in enumerate(tags):
        if tag in item_tags:
            groups.setdefault(item_tags[tag], []).append(i)
        elif missing is not None:
            groups.setdefault(missing, []).append(i)
    return dict(sorted(groups.items()))


def sliceable_tags(tags: Sequence[Mapping[str, str]], max_values: int = 12) -> list[str]:
    """Tag keys worth slicing by, sorted: a few distinct values, not free-form.

    Left out: keys with more than `max_values` distinct values, keys whose values are nearly all distinct
    (ids), and numeric keys with more values than half of `max_values` (measurements such as lead_ms).
    A numeric key with a handful of levels (snr_db: 5, 10, 15) is kept.
    """
    values: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for item_tags in tags:
        for key, value in item_tags.items():
            values.setdefault(key, set()).add(value)
            counts[key] = counts.get(key, 0) + 1
    keep = []
    for key, distinct in values.items():
        numeric = all(_NUMBER.match(v) for v in distinct)
        if len(distinct) > max_values or (numeric and len(distinct) > max_values // 2):
            continue
        if len(distinct) > 2 and len(distinct) > counts[key] / 2:  # mostly unique: an id, not a condition
            continue
        keep.append(key)
    return sorted(keep)


def cross_slices(
    tags: Sequence[Mapping[str, str]], keys: Sequence[str], min_items: int = 1
) -> dict[tuple[tuple[str, str], ...], list[int]]:
    """Every single-tag slice and every two-tag intersection of `keys` with at least `min_items` items.

    Keys are ((tag, value),) or ((tag_a, value_a), (tag_b, value_b)) with tag_a < tag_b; untagged items
    are not part of any cross (they only form the single-tag UNTAGGED slice when sliced alone).
    """
    result: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for key in sorted(keys):
        for value, members in slice_by_tag(tags, key).items():
            if len(members) >= min_items:
                result[((key, value),)] = members
    for first, second in itertools.combinations(sorted(keys), 2):
        groups: dict[tuple[str, str], list[int]] = {}
        for i, item_tags in enumerate(tags):
            if first in item_tags and second in item_tags:
                groups.setdefault((item_tags[first], item_tags[second]), []).append(i)
        for (value_a, value_b), members in sorted(groups.items()):
            if len(members) >= min_items:
                result[((first, value_a), (second, value_b))] = members
    return result
