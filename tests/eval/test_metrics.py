"""WER/SER/CER, hit rate and latency percentiles on hand-computed examples, and WER against jiwer."""

from __future__ import annotations

import math

import jiwer
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voxsearch.eval import count_edits, hit_rate, percentiles_ms, score_wer, slice_by_tag


def test_wer_counts_by_hand() -> None:
    # ref: the cat sat on the mat  (6 words)
    # hyp: oh the cat sit on mat   -> "oh" inserted (I), sat->sit (S), second "the" deleted (D)
    result = score_wer(["the cat sat on the mat"], ["oh the cat sit on mat"])
    assert (result.hits, result.substitutions, result.deletions, result.insertions) == (4, 1, 1, 1)
    assert result.ref_words == 6
    assert result.wer == pytest.approx(3 / 6)
    assert (result.sentences, result.sentence_errors, result.ser) == (1, 1, 1.0)


def test_wer_sums_counts_over_sentences_and_ser_counts_sentences() -> None:
    result = score_wer(["flights to lima", "pause the music"], ["flights to lima", "pause music"])
    assert (result.hits, result.deletions, result.ref_words) == (5, 1, 6)
    assert result.wer == pytest.approx(1 / 6)
    assert result.ser == pytest.approx(1 / 2)


def test_wer_is_scored_after_normalization() -> None:
    result = score_wer(["what is the weather at six thirty"], ["What's the weather at 6:30?"])
    assert result.wer == 0.0
    assert result.cer == 0.0
    assert result.normalization == "voxsearch-scoring-v2"
    raw = score_wer(["what is the weather at six thirty"], ["What's the weather at 6:30?"], normalize=None)
    assert raw.wer > 0
    assert raw.normalization == "whitespace"


def test_cer_by_hand() -> None:
    # "abc d" -> "abd d": one substitution over 5 characters (the space counts)
    result = score_wer(["abc d"], ["abd d"], normalize=None)
    assert (result.char_errors, result.ref_chars) == (1, 5)
    assert result.cer == pytest.approx(0.2)


def test_empty_reference_and_hypothesis() -> None:
    assert score_wer([""], [""]).wer == 0.0
    assert score_wer([""], ["hello"]).wer == math.inf
    deleted = score_wer(["hello world"], [""])
    assert (deleted.deletions, deleted.wer) == (2, 1.0)


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="2 references and 1 hypotheses"):
        score_wer(["a", "b"], ["a"])


_WORDS = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_WORDS.filter(bool), _WORDS), min_size=1, max_size=4))
def test_counts_match_jiwer(pairs: list[tuple[str, str]]) -> None:
    refs, hyps = [r for r, _ in pairs], [h for _, h in pairs]
    ours = score_wer(refs, hyps, normalize=None)
    theirs = jiwer.process_words(refs, hyps)
    assert (ours.hits, ours.substitutions, ours.deletions, ours.insertions) == (
        theirs.hits, theirs.substitutions, theirs.deletions, theirs.insertions
    )
    assert ours.wer == pytest.approx(theirs.wer)
    assert ours.cer == pytest.approx(jiwer.cer(refs, hyps))


def test_count_edits_on_characters() -> None:
    counts = count_edits("kitten", "sitting")
    assert (counts.substitutions, counts.insertions, counts.deletions, counts.hits) == (2, 1, 0, 4)


def test_hit_rate_by_hand() -> None:
    expected = [["city:1"], ["city:2", "state:US-MI"], ["country:FR"]]
    results = [["city:1", "city:9"], ["city:7", "state:US-MI"], ["city:3"]]
    top1 = hit_rate(expected, results, k=1)
    assert (top1.hits, top1.queries, top1.rate) == (1, 3, pytest.approx(1 / 3))
    top5 = hit_rate(expected, results, k=5)
    assert (top5.hits, top5.rate) == (2, pytest.approx(2 / 3))


def test_hit_rate_refuses_queries_without_expected_ids() -> None:
    with pytest.raises(ValueError, match="query 1"):
        hit_rate([["a"], []], [["a"], ["b"]], k=1)
    with pytest.raises(ValueError, match="k is 0"):
        hit_rate([["a"]], [["a"]], k=0)


def test_percentiles_by_hand() -> None:
    summary = percentiles_ms([10.0, 20.0, 30.0, 40.0, 50.0])
    assert summary.p50 == 30.0
    assert summary.p95 == pytest.approx(48.0)  # linear: 40 + 0.8 * (50 - 40)
    assert (summary.mean, summary.n) == (30.0, 5)


def test_percentiles_refuse_empty_or_negative() -> None:
    with pytest.raises(ValueError, match="no latencies"):
        percentiles_ms([])
    with pytest.raises(ValueError, match=">= 0"):
        percentiles_ms([1.0, -2.0])


def test_slice_by_tag() -> None:
    tags = [{"noise": "clean"}, {"noise": "white"}, {}, {"noise": "clean"}]
    assert slice_by_tag(tags, "noise") == {"clean": [0, 3], "white": [1]}
    assert slice_by_tag(tags, "band") == {}
