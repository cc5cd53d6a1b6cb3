"""Convention detection and inter-annotator agreement on labels whose truth is known by construction."""

from __future__ import annotations

import random

from voxsearch.text.agreement import measure_agreement
from voxsearch.text.conventions import default_convention
from voxsearch.text.detect import LabelRecord, detect_conventions

DEFAULT = default_convention()


def _labels(seed: int = 7, clips: int = 60) -> tuple[list[LabelRecord], dict[str, float]]:
    """Three annotators label `clips` filler-bearing utterances with known, random conventions."""
    rng = random.Random(seed)
    records, kept, evidenced, ellipsis, digits = [], 0, 0, 0, 0
    for index in range(clips):
        keeps = [rng.random() < 0.4 for _ in range(3)]
        evidenced += 3 * any(keeps)  # a dropped filler is visible only next to a kept one
        for annotator, keep in zip(("ann", "bob", "cy"), keeps):
            number = rng.random() < 0.5
            body = f"play {'21' if number else 'twenty one'} songs number {index}"
            text = (("Um... " if rng.random() < 0.5 else "um, ") if keep else "") + body
            kept += keep
            ellipsis += "..." in text
            digits += number
            records.append(LabelRecord(f"clip{index}.wav", annotator, text))
    total = len(records)
    return records, {"kept": kept / evidenced, "evidenced": evidenced, "ellipsis": ellipsis / total, "digits": digits / total}


def test_detect_reports_each_mix_as_constructed() -> None:
    records, truth = _labels()
    result = detect_conventions(records, DEFAULT)
    fillers = result.dimension("fillers")
    assert fillers.applicable == truth["evidenced"] < len(records)
    assert abs(fillers.share("kept") - truth["kept"]) < 1e-9
    assert abs(result.dimension("pause_marks").share("ellipsis ...") - truth["ellipsis"]) < 1e-9
    # every label also has the digits of its clip number, so "digits" means 21 and "both" means twenty one
    numbers = result.dimension("numbers")
    assert abs(numbers.share("digits") - truth["digits"]) < 1e-9
    assert set(result.by_annotator) == {"ann", "bob", "cy"}
    per_annotator = sum(result.dimension("fillers", a).counts.get("kept", 0) for a in result.by_annotator)
    assert per_annotator == fillers.counts["kept"]
    assert "kept" in fillers.describe() and "%" in fillers.describe()


def test_labels_that_differ_by_convention_are_grouped() -> None:
    records = [LabelRecord("a.wav", "x", "Um, today's weather"), LabelRecord("a.wav", "y", "Um... today's weather"),
               LabelRecord("a.wav", "z", "Today's weather"), LabelRecord("b.wav", "x", "weather in Rome")]
    result = detect_conventions(records, DEFAULT)
    assert len(result.groups) == 1
    assert result.groups[0].canonical == "today's weather"
    assert sorted(result.groups[0].variants) == sorted(r.text for r in records[:3])
    assert result.follows == 0


def test_a_dropped_filler_counts_only_when_another_label_shows_one() -> None:
    records = [LabelRecord("a.wav", "x", "um weather"), LabelRecord("a.wav", "y", "weather"),
               LabelRecord("b.wav", "x", "news")]
    fillers = detect_conventions(records, DEFAULT).dimension("fillers")
    assert fillers.counts == {"dropped": 1, "kept": 1}


def test_agreement_matches_a_jiwer_computation_over_all_pairs() -> None:
    import itertools

    import jiwer

    records, _ = _labels(seed=3, clips=20)
    records.append(LabelRecord("clip0.wav", "dee", "play twenty two songs number 0"))  # a content error
    result = measure_agreement(records, DEFAULT)
    refs, hyps, refs_after, hyps_after = [], [], [], []
    from voxsearch.text.conventions import apply_convention
    for clip in sorted({r.clip for r in records}):
        labels = sorted((r for r in records if r.clip == clip), key=lambda r: r.annotator)
        for a, b in itertools.combinations(labels, 2):
            refs.append(a.text), hyps.append(b.text)
            refs_after.append(apply_convention(a.text, DEFAULT)), hyps_after.append(apply_convention(b.text, DEFAULT))
    assert result.pairs == len(refs) == 20 * 3 + 3
    assert abs(result.wer_before - jiwer.wer(refs, hyps)) < 1e-12
    assert abs(result.wer_after - jiwer.wer(refs_after, hyps_after)) < 1e-12
    assert result.wer_after < result.wer_before
    assert [d.annotators for d in result.content] == [("ann", "dee"), ("bob", "dee"), ("cy", "dee")]
    assert all(d.kind == "convention" for d in result.convention_only)
    assert len(result.disagreements) == result.pairs - result.identical_before
