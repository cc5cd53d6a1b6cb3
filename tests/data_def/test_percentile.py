"""speech_bounds.percentile is numpy's linear percentile, to the last bit (standardized output depends on it)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from voxsearch.data.speech_bounds import percentile

levels = st.lists(st.floats(min_value=-200, max_value=10, allow_nan=False), min_size=1, max_size=300)


@settings(max_examples=300, deadline=None)
@given(values=levels, q=st.floats(min_value=0, max_value=100))
def test_percentile_equals_numpy(values: list[float], q: float) -> None:
    array = np.asarray(values)
    assert percentile(array, q) == float(np.percentile(array, q))
    assert array.tolist() == values  # the input is not reordered
