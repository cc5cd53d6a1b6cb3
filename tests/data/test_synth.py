"""The spoken corpus: query choice, conditions, determinism, and the committed subset in tests/data/corpus."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from voxsearch.data import noise
from voxsearch.data.formats import FORMATS, encode_clip, set_ogg_serial
from voxsearch.data.queries import QueryOptions, build_queries, fold_ascii, spoken_name
from voxsearch.data.synth import CorpusOptions, plan_corpus, plan_subset, render_clip, write_corpus
from voxsearch.errors import DatasetError
from voxsearch.search.demo import build_demo_catalog
from voxsearch.types import Utterance

SUBSET = Path(__file__).parent / "corpus"
SUBSET_MANIFEST = SUBSET / "manifest.jsonl"
REQUIRED_TAGS = {"domain", "split", "voice", "noise", "band", "format", "silence", "peak_dbfs", "query"}
needs_flite = pytest.mark.skipif(shutil.which("flite") is None, reason="needs the flite binary: apt-get install flite")


@pytest.fixture(scope="module")
def catalog():
    return build_demo_catalog()


@pytest.fixture(scope="module")
def subset_rows() -> list[Utterance]:
    return [Utterance.from_dict(json.loads(line)) for line in SUBSET_MANIFEST.read_text().splitlines()]


def test_fold_ascii_reads_names_as_plain_words():
    assert fold_ascii("Zürich") == "zurich"
    assert fold_ascii("Saint-Étienne") == "saint etienne"
    assert fold_ascii("Łódź") == "lodz"
    assert spoken_name("St. John's") is None
    assert spoken_name("Xi’an") is None


def test_queries_are_normalized_distinct_and_split_disjoint(catalog):
    queries = build_queries(catalog)
    ids = {e.id for e in catalog}
    in_domain = [q for q in queries if q.domain == "in"]
    assert len(in_domain) >= 60 and len([q for q in queries if q.domain == "out"]) >= 25
    assert len({q.text for q in queries}) == len(queries)
    for q in queries:
        words = q.text.split()
        assert q.text == " ".join(words) and all(w.isascii() and w.isalpha() and w.islower() for w in words)
        assert all(i in ids for i in q.expected) and bool(q.expected) == (q.domain == "in")
    counts = {s: sum(q.split == s for q in in_domain) for s in ("train", "dev", "test")}
    assert counts["train"] == pytest.approx(0.6 * len(in_domain), abs=2)
    assert counts["test"] == pytest.approx(0.2 * len(in_domain), abs=2)


def test_ambiguous_city_names_get_their_region(catalog):
    by_id = {e.id: e for e in catalog}
    best_by_name: dict[str, float] = {}
    for e in catalog:
        name = spoken_name(e.title.split(",")[0]) or ""
        best_by_name[name] = max(best_by_name.get(name, 0.0), e.popularity)
    qualified = 0
    for q in build_queries(catalog):
        target = by_id[q.expected[0]] if q.category == "city" else None
        if target is None or best_by_name[spoken_name(target.title.split(",")[0])] <= target.popularity:
            continue
        # a more populous place shares the name: the query must say which one
        region = fold_ascii(target.title.split(",")[-2 if target.title.endswith("United States") else -1])
        assert q.text.endswith(region.removeprefix("the ")), (q.text, target.title)
        qualified += 1
    assert qualified >= 3


def test_queries_depend_on_the_seed(catalog):
    first = build_queries(catalog, QueryOptions(seed=1))
    assert first == build_queries(catalog, QueryOptions(seed=1))
    assert {q.text for q in first} != {q.text for q in build_queries(catalog, QueryOptions(seed=2))}


def test_mix_at_snr_reaches_the_asked_ratio():
    rng = np.random.default_rng(0)
    speech = np.sin(np.linspace(0, 2000, 16000)).astype(np.float32)
    for kind in (noise.white_noise(16000, rng), noise.pink_noise(16000, rng)):
        mixed = noise.mix_at_snr(speech, kind, 5.0, noise.power(speech))
        snr = 10 * np.log10(noise.power(speech) / noise.power(mixed - speech))
        assert snr == pytest.approx(5.0, abs=0.01)


def test_telephone_band_removes_high_frequencies():
    t = np.arange(16000) / 16000
    tones = (0.4 * np.sin(2 * np.pi * 1000 * t) + 0.4 * np.sin(2 * np.pi * 6000 * t)).astype(np.float32)
    spectrum = np.abs(np.fft.rfft(noise.telephone_band(tones, 16000)))
    assert spectrum[6000] < 0.01 * spectrum[1000]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_encoding_is_reproducible_and_decodes_at_the_format(name):
    fmt = FORMATS[name]
    samples = (0.3 * np.random.default_rng(1).standard_normal(8000)).astype(np.float32)
    data = encode_clip(samples, 16000, fmt)
    assert data == encode_clip(samples, 16000, fmt)
    decoded, rate = sf.read(io.BytesIO(data), always_2d=True)
    assert (rate, decoded.shape[1]) == (fmt.sample_rate, fmt.channels)


def test_set_ogg_serial_rejects_other_bytes():
    with pytest.raises(DatasetError, match="not an Ogg page"):
        set_ogg_serial(b"RIFF....WAVE", 1)


def test_plan_is_deterministic_and_covers_the_conditions(catalog):
    plan = plan_corpus(catalog, CorpusOptions(seed=7))
    assert plan == plan_corpus(catalog, CorpusOptions(seed=7))
    tags = [clip.utterance().tags for clip in plan.clips]
    assert len({t["voice"] for t in tags}) >= 3
    for key, values in (("noise", {"clean", "white", "pink", "babble"}), ("band", {"wide", "narrow"}),
                        ("format", set(FORMATS)), ("silence", {"short", "long"})):
        assert {t[key] for t in tags} == values
    assert all(-30.0 <= float(t["peak_dbfs"]) <= -6.0 for t in tags)
    splits_by_text: dict[str, set[str]] = {}
    for clip in plan.clips:
        splits_by_text.setdefault(clip.query.text, set()).add(clip.query.split)
    assert all(len(s) == 1 for s in splits_by_text.values())


def test_unknown_voice_is_a_dataset_error(catalog):
    with pytest.raises(DatasetError, match="unknown voice 'nobody'"):
        plan_corpus(catalog, CorpusOptions(voices=("nobody",)))


@needs_flite
def test_same_seed_same_bytes(catalog, tmp_path):
    options = CorpusOptions(seed=3, voices=("flite-slt", "flite-awb", "flite-rms", "flite-kal16"), babble_pool_size=3)
    plan = plan_subset(catalog, options, clean_queries=1, ood_clips=1)
    clips = [c for c in plan.clips if c.condition.noise == "babble"][:1] + [
        c for c in plan.clips if c.condition.format in ("ogg", "flac44k_stereo")
    ]
    small = replace(plan, clips=tuple(clips))
    first = write_corpus(small, tmp_path / "a")
    second = write_corpus(small, tmp_path / "b")
    assert second.clips == first.clips
    assert first.clips == len(clips) == 3
    for clip in clips:
        assert (tmp_path / "a" / clip.audio_path).read_bytes() == (tmp_path / "b" / clip.audio_path).read_bytes()
    assert (tmp_path / "a/manifest.jsonl").read_bytes() == (tmp_path / "b/manifest.jsonl").read_bytes()
    assert write_corpus(small, tmp_path / "a").files_unchanged == len(clips)  # rerun: same files, nothing rewritten


@needs_flite
def test_other_seed_other_noise(catalog):
    options = CorpusOptions(voices=("flite-slt", "flite-awb", "flite-rms", "flite-kal16"))
    clip = next(c for c in plan_corpus(catalog, options).clips if c.condition.noise == "white")
    assert render_clip(clip, seed=1, babble_talkers=[]) != render_clip(clip, seed=2, babble_talkers=[])


def test_subset_audio_decodes_as_its_tags_say(subset_rows):
    for row in subset_rows:
        path = SUBSET / row.audio
        assert path.is_file(), f"{row.audio} listed in the manifest but missing; rerun make_corpus.py --subset"
        info = sf.info(str(path))
        fmt = FORMATS[row.tags["format"]]
        assert (info.samplerate, info.channels) == (fmt.sample_rate, fmt.channels), row.audio
        lead_s, trail_s = int(row.tags["lead_ms"]) / 1000, int(row.tags["trail_ms"]) / 1000
        assert info.duration > lead_s + trail_s + 0.3, row.audio


def test_subset_manifest_schema(subset_rows, catalog):
    ids = {e.id for e in catalog}
    assert 40 <= len(subset_rows) <= 80
    for row in subset_rows:
        assert REQUIRED_TAGS <= row.tags.keys(), row.audio
        assert row.text and row.text == row.text.lower()
        assert all(i in ids for i in row.expected)
        assert bool(row.expected) == (row.tags["domain"] == "in")
        assert ("snr_db" in row.tags) == (row.tags["noise"] != "clean")
    in_test = [r for r in subset_rows if r.tags["domain"] == "in"]
    assert all(r.tags["split"] == "test" for r in in_test)
    clean = [r for r in in_test if r.tags["noise"] == "clean" and r.tags["format"] == "wav16k"]
    voices_by_text: dict[str, set[str]] = {}
    for r in clean:
        voices_by_text.setdefault(r.text, set()).add(r.tags["voice"])
    assert sum(len(v) >= 2 for v in voices_by_text.values()) >= 15
    assert not any(r.tags["voice"].startswith("espeak") for r in clean)
    assert {r.tags["format"] for r in subset_rows} == set(FORMATS)
    assert {"white", "pink", "babble"} <= {r.tags["noise"] for r in subset_rows}
    assert any(r.tags["silence"] == "long" for r in subset_rows)
    assert sum(r.tags["domain"] == "out" for r in subset_rows) >= 5


def test_subset_is_small():
    total = sum(p.stat().st_size for p in SUBSET.rglob("*") if p.is_file())
    assert total <= 8_000_000


def test_missing_synthesizer_names_the_install_command(catalog, tmp_path, monkeypatch):
    plan = plan_corpus(catalog, CorpusOptions(voices=("flite-slt", "flite-awb")))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DatasetError, match="apt-get install flite"):
        write_corpus(replace(plan, clips=plan.clips[:1]), tmp_path / "out")
    assert not (tmp_path / "out").exists()
