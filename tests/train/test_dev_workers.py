"""Dev clips decoded in spawned worker processes: same results, same order, one engine built per worker."""

from __future__ import annotations

import os
import uuid

import pytest

from voxsearch.train.dev_workers import decode_in_workers


def _worker_state() -> tuple[int, str]:
    return os.getpid(), uuid.uuid4().hex


def _square(state: tuple[int, str], item: int) -> tuple[int, tuple[int, str]]:
    if item < 0:
        raise ValueError(f"negative item {item}")
    return item * item, state


def test_results_keep_the_order_and_each_worker_builds_once() -> None:
    items = list(range(12))
    ticks: list[int] = []
    results = decode_in_workers(_worker_state, _square, items, jobs=2, advance=lambda: ticks.append(1))
    assert [r for r, _ in results] == [i * i for i in items]
    states = {state for _, state in results}
    workers = {pid for pid, _ in states}
    assert os.getpid() not in workers and 1 <= len(workers) <= 2
    assert len(states) == len(workers)  # one state per worker, not per item
    assert len(ticks) == len(items)


def test_few_items_or_one_job_decode_in_this_process() -> None:
    for items, jobs in (([1, 2, 3], 2), (list(range(12)), 1)):
        states = {state for _, state in decode_in_workers(_worker_state, _square, items, jobs=jobs)}
        assert len(states) == 1 and states.pop()[0] == os.getpid()


def test_an_error_in_a_worker_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="negative item -3"):
        decode_in_workers(_worker_state, _square, [1, 2, 3, 4, -3, 5, 6, 7], jobs=2)
