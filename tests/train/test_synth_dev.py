"""The synthesized dev set for tuning without user data: real voices, labels that match what is said."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from voxsearch.asr import create_engine
from voxsearch.audio import load_audio, prepare_for_asr
from voxsearch.config import AudioLimits, EngineSettings
from voxsearch.errors import DatasetError
from voxsearch.eval.dataset import EvalSet, load_eval_set
from voxsearch.eval.metrics import score_wer
from voxsearch.train import synth_dev
from voxsearch.train.catalog_text import TEMPLATES, spoken_words, template_group
from voxsearch.train.synth_dev import SynthDevOptions, available_voices, synthesize_dev_set
from voxsearch.types import CatalogEntry

needs_voice = pytest.mark.skipif(
    not available_voices(), reason="no humanlike synthetic voice installed: apt-get install flite"
)
OPTIONS = SynthDevOptions(in_domain_queries=16, out_domain_queries=8, seed=3)


def _entry(id_: str, title: str, category: str, popularity: float = 0.0) -> CatalogEntry:
    return CatalogEntry(id=id_, title=title, category=category, popularity=popularity)


PLACES = [
    _entry("city:paris", "Paris, France", "city", 2_100_000),
    _entry("city:london", "London, United Kingdom", "city", 8_900_000),
    _entry("city:boston", "Boston, Massachusetts, United States", "city", 650_000),
    _entry("city:portland-or", "Portland, Oregon, United States", "city", 650_000),
    _entry("city:portland-me", "Portland, Maine, United States", "city", 68_000),  # namesake: "portland maine"
    _entry("city:springfield-il", "Springfield, Illinois, United States", "city", 114_000),
    _entry("city:springfield-ma", "Springfield, Massachusetts, United States", "city", 155_000),
    _entry("city:denver", "Denver, Colorado, United States", "city", 715_000),
    _entry("city:seattle", "Seattle, Washington, United States", "city", 737_000),
    _entry("country:japan", "Japan", "country", 125_000_000),
    _entry("city:tokyo-jp", "東京", "city", 14_000_000),  # nothing a synthesizer can say
    _entry("city:st-louis", "St. Louis, Missouri, United States", "city", 300_000),  # "st": expanded when spoken
]
UNSAYABLE = {"city:tokyo-jp", "city:st-louis"}
NAMESAKES = {"city:portland-me": "portland maine", "city:springfield-il": "springfield illinois",
             "city:springfield-ma": "springfield massachusetts"}


@pytest.fixture(scope="module")
def dev_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not available_voices():
        pytest.skip("no humanlike synthetic voice installed: apt-get install flite")
    out = tmp_path_factory.mktemp("dev")
    calls: list[tuple[int, int]] = []
    manifest = synthesize_dev_set(PLACES, out, OPTIONS, progress=lambda done, total: calls.append((done, total)))
    assert manifest == out / "manifest.jsonl"
    assert calls[-1] == (24, 24) and [d for d, _ in calls] == list(range(1, 25))
    return out


@pytest.fixture(scope="module")
def dev_set(dev_dir: Path) -> EvalSet:
    return load_eval_set(dev_dir / "manifest.jsonl")


def _said_forms(entry: CatalogEntry) -> set[str]:
    """Every text a query for `entry` may be: a template of its category around its name (maybe qualified)."""
    parts = [p for p in (spoken_words(x) for x in entry.title.split(",")) if p]
    by = ("by",) if template_group(entry.category) == "media" else ()
    names = [" ".join(parts[0])] + ([" ".join((*parts[0], *by, *parts[1]))] if len(parts) > 1 else [])
    return {t.format(name) for t, _ in TEMPLATES[template_group(entry.category)] for name in names}


@needs_voice
def test_manifest_loads_with_domains_splits_and_conditions(dev_set: EvalSet):
    items = dev_set.items
    assert Counter(i.in_domain for i in items) == {True: 16, False: 8}
    assert all(i.tags["split"] == "dev" and i.tags["domain"] == ("in" if i.in_domain else "out") for i in items)
    assert all(i.path.suffix == ".wav" and i.path.stat().st_size > 10_000 for i in items)
    conditions = Counter((i.tags["domain"], i.tags["condition"]) for i in items)
    assert conditions == {(d, c): n for d, n in (("in", 4), ("out", 2)) for c in OPTIONS.conditions}
    for item in items:
        noise = {"clean": "clean", "narrow": "clean", "white10": "white", "babble10": "babble"}[item.tags["condition"]]
        assert item.tags["noise"] == noise
        assert item.tags["band"] == ("narrow" if item.tags["condition"] == "narrow" else "wide")
        assert 200 <= int(item.tags["lead_ms"]) <= 500 and 200 <= int(item.tags["trail_ms"]) <= 500
    voices = Counter(i.tags["voice"] for i in items)
    installed = [v.name for v in available_voices()]
    assert set(voices) == set(installed[:16])  # rotated: each domain shares its clips out evenly
    assert max(voices.values()) - min(voices.values()) <= 2


@needs_voice
def test_in_domain_texts_are_spoken_names_in_their_templates(dev_set: EvalSet):
    by_id = {e.id: e for e in PLACES}
    in_domain = [i for i in dev_set.items if i.in_domain]
    # 16 queries over 10 sayable entries: every one is asked for, the unsayable ones never
    assert {i.expected[0] for i in in_domain} == set(by_id) - UNSAYABLE
    for item in in_domain:
        entry = by_id[item.expected[0]]
        assert item.reference in _said_forms(entry), (item.reference, entry.title)
        assert item.tags["category"] == entry.category
        assert item.tags["carrier"] in {t for t, _ in TEMPLATES[template_group(entry.category)]}
        if entry.id in NAMESAKES:  # a name shared with a place about as popular: the user says which one
            assert NAMESAKES[entry.id] in item.reference
    for item in dev_set.items:
        if not item.in_domain:
            assert item.expected == () and item.reference in synth_dev.OUT_OF_DOMAIN_TEXTS


@needs_voice
def test_same_seed_same_manifest_and_audio(dev_dir: Path, tmp_path: Path):
    again = synthesize_dev_set(PLACES, tmp_path, OPTIONS)
    assert again.read_text() == (dev_dir / "manifest.jsonl").read_text()
    for path in sorted((dev_dir / "audio").iterdir()):
        assert (tmp_path / "audio" / path.name).read_bytes() == path.read_bytes(), path.name
    other = synthesize_dev_set(PLACES, tmp_path / "other", SynthDevOptions(in_domain_queries=4, out_domain_queries=0,
                                                                            seed=4, conditions=("clean",)))
    assert other.read_text() != again.read_text()


@needs_voice
@pytest.mark.parametrize("category, titles, group", [
    ("recipe", ["Banana Bread", "Chicken Curry", "Lemon Tart, French"], "cooking"),
    ("song", ["Yellow Submarine, The Beatles", "Hotel California, Eagles", "Take Five"], "media"),
])
def test_other_domains_get_their_templates(tmp_path: Path, category: str, titles: list[str], group: str):
    entries = [_entry(f"{category}:{i}", t, category) for i, t in enumerate(titles)]
    options = SynthDevOptions(in_domain_queries=6, out_domain_queries=0, seed=5, conditions=("clean",))
    items = load_eval_set(synthesize_dev_set(entries, tmp_path, options)).items
    assert len(items) == 6  # more queries than entries: each entry is asked for again
    assert {i.expected[0] for i in items} == {e.id for e in entries}
    templates = {t for t, _ in TEMPLATES[group]}
    by_id = {e.id: e for e in entries}
    for item in items:
        assert item.tags["carrier"] in templates
        assert item.reference in _said_forms(by_id[item.expected[0]])


def test_namesake_songs_are_asked_for_by_their_artist():
    entries = [_entry("s:adele", "Hello, Adele", "song"), _entry("s:lionel", "Hello, Lionel Richie", "song"),
               _entry("s:next", "Thank U, Next, Ariana Grande", "song"),
               _entry("s:rings", "7 Rings, Ariana Grande", "song")]
    names = synth_dev._spoken_names(entries)
    assert names["s:adele"] == ("hello", "by", "adele")
    assert names["s:lionel"] == ("hello", "by", "lionel", "richie")
    assert names["s:next"] == ("thank", "u", "next")


@needs_voice
@pytest.mark.integration
def test_clean_clips_are_speech_that_matches_the_text(dev_set: EvalSet):
    """The bundled Whisper understands the clean clips: the audio says the text. (Whisper, not pocketsphinx:
    pocketsphinx's generic model misses many common words from flite's voices alone, which CI has.)"""
    engine = create_engine(EngineSettings(name="whisper"))
    clean = [i for i in dev_set.items if i.tags["condition"] == "clean"]
    assert any(not i.in_domain for i in clean) and any(i.in_domain for i in clean)
    hypotheses = [engine.transcribe(prepare_for_asr(load_audio(i.path, AudioLimits()))).text for i in clean]
    wer = score_wer([i.reference for i in clean], hypotheses)  # measured 3.7% with flite's voices
    assert wer.wer < 0.25, list(zip([i.reference for i in clean], hypotheses, strict=True))


def test_no_humanlike_voice_names_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(synth_dev, "missing_reason", lambda voice: "not installed")
    assert available_voices() == ()
    with pytest.raises(DatasetError) as info:
        synthesize_dev_set(PLACES, tmp_path)
    message = str(info.value)
    assert "flite" in message and "corpus" in message and "--data MANIFEST" in message
    assert not (tmp_path / "manifest.jsonl").exists()


def test_bad_options_and_unsayable_catalogs_fail_before_synthesis(tmp_path: Path):
    with pytest.raises(DatasetError, match="unknown dev-set condition 'loud'"):
        synthesize_dev_set(PLACES, tmp_path, SynthDevOptions(conditions=("clean", "loud")))
    with pytest.raises(DatasetError, match="0 queries"):
        synthesize_dev_set(PLACES, tmp_path, SynthDevOptions(in_domain_queries=0, out_domain_queries=0))
    if available_voices():
        with pytest.raises(DatasetError, match="none of the 2 catalog entries"):
            synthesize_dev_set([e for e in PLACES if e.id in UNSAYABLE], tmp_path)
    assert not (tmp_path / "manifest.jsonl").exists()


def test_shop_entries_are_also_asked_for_shortened_when_that_names_only_them():
    entries = [_entry("p:kindle", "Amazon Kindle Paperwhite", "electronics"),
               _entry("p:echo", "Amazon Echo Dot", "electronics"),
               _entry("p:stick", "Amazon Fire TV Stick 4K", "electronics"),
               _entry("p:fire", "Fire TV Stick", "electronics")]  # another entry's own name
    names = synth_dev._spoken_names(entries)
    short = synth_dev._shortened(entries, names)
    assert short["p:kindle"] == [("kindle", "paperwhite")] and short["p:echo"] == [("echo", "dot")]
    assert ("fire", "t", "v", "stick") not in short.get("p:stick", [])  # would name p:fire as well
    options = SynthDevOptions(in_domain_queries=40, out_domain_queries=0, seed=5, conditions=("clean",))
    texts = {q.text for q in synth_dev._in_domain_queries(entries, options)}
    assert any("kindle paperwhite" in t and "amazon" not in t for t in texts)
    assert any("amazon kindle paperwhite" in t for t in texts)  # the full name is still asked for most
