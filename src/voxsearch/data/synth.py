"""Spoken test corpus for the demo catalog: queries x voices x acoustic conditions -> clips + manifest.

    plan = plan_corpus(CorpusOptions(seed=1234))         # or plan_subset(...) for the committed fixtures
    result = write_corpus(plan, Path("corpus"))           # audio/<clip>.<ext> + manifest.jsonl

Every random choice comes from a generator seeded with (seed, clip id), so the same seed gives the same
bytes whatever the order or parallelism. Files are written atomically and the manifest last.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import soxr

from voxsearch.data import noise
from voxsearch.data.formats import FORMATS, clip_format, encode_clip
from voxsearch.data.queries import Query, QueryOptions, build_queries
from voxsearch.data.voices import VOICES, Voice, require_voices, synthesize, voice_by_name
from voxsearch.errors import DatasetError
from voxsearch.fileio import write_atomic, write_text_atomic
from voxsearch.types import TARGET_SAMPLE_RATE, CatalogEntry, Utterance

logger = logging.getLogger(__name__)

WORK_RATE = TARGET_SAMPLE_RATE
MANIFEST_NAME = "manifest.jsonl"
AUDIO_DIR = "audio"
NOISES = ("clean", "white", "pink", "babble")
SNRS_DB = (15, 10, 5)
SPEECH_PEAK_DBFS = -3.0
FLOOR_BELOW_PEAK_DB = 55.0
_NOISE_WEIGHTS = (0.3, 0.2, 0.2, 0.3)
_FORMAT_WEIGHTS = {"wav16k": 0.4, "flac44k_stereo": 0.2, "wav8k": 0.2, "ogg": 0.2}
_SILENCE_S = {"short": (0.05, 0.5), "long": (1.0, 2.5)}

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Condition:
    """How a clip sounds and is stored; `tags()` is what the manifest records."""

    noise: str = "clean"
    snr_db: int | None = None
    band: str = "wide"  # wide | narrow (8 kHz telephone)
    format: str = "wav16k"
    silence: str = "short"  # short | long
    lead_s: float = 0.2
    trail_s: float = 0.2
    peak_dbfs: float = -12.0
    label: str = ""  # a name for the whole condition ("white10"), recorded as the `condition` tag when set

    def tags(self) -> dict[str, str]:
        tags = {"noise": self.noise, "band": self.band, "format": self.format, "silence": self.silence,
                "lead_ms": str(round(self.lead_s * 1000)), "trail_ms": str(round(self.trail_s * 1000)),
                "peak_dbfs": f"{self.peak_dbfs:.1f}"}
        if self.snr_db is not None:
            tags["snr_db"] = str(self.snr_db)
        if self.label:
            tags["condition"] = self.label
        return tags


@dataclass(frozen=True)
class ClipSpec:
    id: str
    query: Query
    voice: Voice
    condition: Condition

    @property
    def audio_path(self) -> str:
        return f"{AUDIO_DIR}/{self.id}.{clip_format(self.condition.format).extension}"

    def utterance(self) -> Utterance:
        tags = {"domain": self.query.domain, "split": self.query.split, "query": self.query.id,
                "voice": self.voice.name, **self.condition.tags()}
        for key in ("category", "carrier", "difficulty"):
            if getattr(self.query, key):
                tags[key] = getattr(self.query, key)
        return Utterance(audio=self.audio_path, text=self.query.text, expected=self.query.expected, tags=tags)


@dataclass(frozen=True)
class CorpusOptions:
    seed: int = 1234
    queries: QueryOptions = QueryOptions()  # its seed is replaced by `seed`
    voices: tuple[str, ...] = tuple(v.name for v in VOICES)
    voices_per_in_domain_query: int = 4
    voices_per_out_domain_query: int = 3
    non_humanlike_share: float = 0.25  # chance that one of a query's voices is espeak-ng
    babble_pool_size: int = 12
    babble_talkers: int = 4
    jobs: int = 2


@dataclass(frozen=True)
class CorpusPlan:
    clips: tuple[ClipSpec, ...]
    babble_pool: tuple[ClipSpec, ...]  # clean utterances mixed into babble noise
    options: CorpusOptions


@dataclass(frozen=True)
class CorpusResult:
    manifest: Path
    clips: int
    queries: int
    voices: tuple[str, ...]
    bytes_written: int
    files_unchanged: int
    options: CorpusOptions = field(repr=False)


def plan_corpus(catalog: list[CatalogEntry], options: CorpusOptions = CorpusOptions()) -> CorpusPlan:
    """Every query spoken by several voices, each clip with seeded random conditions (the first one clean).

    Planning needs no synthesizer; `write_corpus` checks that the planned voices are installed.
    """
    voices = _checked_voices(options)
    queries = build_queries(catalog, replace(options.queries, seed=options.seed))
    clips = []
    for query in queries:
        count = options.voices_per_in_domain_query if query.domain == "in" else options.voices_per_out_domain_query
        for i, voice in enumerate(_query_voices(query, voices, count, options)):
            clip_id = f"{query.id}-{voice.name}"
            rng = _rng(options.seed, "condition", clip_id)
            condition = _reference_condition(rng) if i == 0 else _random_condition(rng)
            clips.append(ClipSpec(clip_id, query, voice, condition))
    return CorpusPlan(tuple(clips), _babble_pool(queries, voices, options), options)


def plan_subset(
    catalog: list[CatalogEntry], options: CorpusOptions = CorpusOptions(), clean_queries: int = 20, ood_clips: int = 8
) -> CorpusPlan:
    """The small committed fixture set: clean test-split queries by two voices, a few hard conditions, some OOD."""
    full = plan_corpus(catalog, options)
    by_query: dict[str, list[ClipSpec]] = {}
    for clip in full.clips:
        by_query.setdefault(clip.query.id, []).append(clip)
    in_test = [qid for qid, cs in sorted(by_query.items()) if (cs[0].query.domain, cs[0].query.split) == ("in", "test")]
    if len(in_test) < clean_queries + 1:
        raise DatasetError(
            f"only {len(in_test)} in-domain test queries, {clean_queries + 1} needed; lower clean_queries"
        )
    rng = _rng(options.seed, "subset", "")
    chosen = sorted(rng.choice(in_test, size=clean_queries, replace=False).tolist())
    clips = []
    for qid in chosen:
        humanlike = [c for c in by_query[qid] if c.voice.humanlike][:2]
        if len(humanlike) < 2:
            raise DatasetError(f"query {qid!r} has fewer than two humanlike voices; raise voices_per_in_domain_query")
        for clip in humanlike:
            clips.append(_with_condition(clip, "clean", _reference_condition(_rng(options.seed, "subset", clip.id))))
    spare = [c for qid in in_test for c in by_query[qid][2:] if c.voice.humanlike]
    if len(spare) < len(_SUBSET_CONDITIONS):
        raise DatasetError(f"only {len(spare)} spare test clips for {len(_SUBSET_CONDITIONS)} conditions; add voices")
    for (label, overrides), base in zip(_SUBSET_CONDITIONS, spare):
        condition = replace(_reference_condition(_rng(options.seed, "subset", f"{base.id}-{label}")), **overrides)
        if condition.silence == "long":
            long_rng = _rng(options.seed, "subset-silence", base.id)
            condition = replace(condition, lead_s=_uniform(long_rng, *_SILENCE_S["long"]),
                                trail_s=_uniform(long_rng, *_SILENCE_S["long"]))
        clips.append(_with_condition(base, label, condition))
    ood = [cs[0] for _, cs in sorted(by_query.items()) if cs[0].query.domain == "out" and cs[0].query.split != "train"]
    for clip in ood[:ood_clips]:
        clips.append(_with_condition(clip, "clean", _reference_condition(_rng(options.seed, "subset", clip.id))))
    return CorpusPlan(tuple(clips), full.babble_pool, options)


_SUBSET_CONDITIONS: tuple[tuple[str, dict], ...] = (
    ("white10", {"noise": "white", "snr_db": 10}),
    ("pink5", {"noise": "pink", "snr_db": 5}),
    ("babble10", {"noise": "babble", "snr_db": 10}),
    ("babble5", {"noise": "babble", "snr_db": 5}),
    ("wav8k", {"format": "wav8k", "band": "narrow"}),
    ("narrow", {"band": "narrow", "noise": "white", "snr_db": 15}),
    ("flac44k-stereo", {"format": "flac44k_stereo"}),
    ("ogg", {"format": "ogg"}),
    ("long-silence", {"silence": "long"}),
    ("long-silence-quiet", {"silence": "long", "peak_dbfs": -30.0}),
)


def write_corpus(plan: CorpusPlan, out_dir: Path, progress: ProgressCallback | None = None) -> CorpusResult:
    """Render every clip of `plan` into out_dir/audio/ and write out_dir/manifest.jsonl (atomic, rerun-safe)."""
    out_dir = Path(out_dir)
    options = plan.options
    require_voices(tuple({clip.voice.name: clip.voice for clip in plan.clips + plan.babble_pool}.values()))
    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        babble = list(pool.map(lambda c: _speech(c, options.seed), plan.babble_pool))
        results = []
        for done, result in enumerate(pool.map(lambda c: _write_clip(c, plan, babble, out_dir), plan.clips), 1):
            results.append(result)
            if progress:
                progress(done, len(plan.clips))
    lines = [_manifest_line(clip) for clip in plan.clips]
    manifest = out_dir / MANIFEST_NAME
    write_text_atomic(manifest, "\n".join(lines) + "\n")
    _prune_stale_audio(out_dir, {clip.audio_path for clip in plan.clips})
    logger.info("wrote %d clips and %s", len(plan.clips), manifest)
    return CorpusResult(
        manifest=manifest,
        clips=len(plan.clips),
        queries=len({clip.query.id for clip in plan.clips}),
        voices=tuple(sorted({clip.voice.name for clip in plan.clips})),
        bytes_written=sum(size for size, _ in results),
        files_unchanged=sum(1 for _, unchanged in results if unchanged),
        options=options,
    )


def _manifest_line(clip: ClipSpec) -> str:
    row = clip.utterance().to_dict()
    row["tags"] = dict(sorted(row["tags"].items()))
    return json.dumps(row, ensure_ascii=False)


def render_clip(clip: ClipSpec, seed: int, babble_talkers: list[np.ndarray], talkers_per_clip: int = 4) -> bytes:
    """The encoded bytes of one clip: speech, silence, noise at the SNR, band, gain, noise floor, format."""
    cond = clip.condition
    rng = _rng(seed, "render", clip.id)
    speech = _speech(clip, seed)
    speech_power = noise.power(speech)
    audio = noise.pad_silence(speech, WORK_RATE, cond.lead_s, cond.trail_s)
    if cond.noise != "clean":
        if cond.snr_db is None:
            raise DatasetError(f"clip {clip.id!r} has noise {cond.noise!r} but no snr_db; set one of {SNRS_DB}")
        audio = noise.mix_at_snr(audio, _noise(cond.noise, audio.shape[0], clip, babble_talkers, talkers_per_clip, rng),
                                 cond.snr_db, speech_power)
    if cond.band == "narrow":
        audio = noise.telephone_band(audio, WORK_RATE)
    audio = noise.set_peak(audio, cond.peak_dbfs)
    audio = noise.add_noise_floor(audio, cond.peak_dbfs - FLOOR_BELOW_PEAK_DB, rng)
    return encode_clip(audio, WORK_RATE, clip_format(cond.format))


def _speech(clip: ClipSpec, seed: int) -> np.ndarray:
    spoken = synthesize(clip.voice, clip.query.text, seed=seed)
    samples = spoken.samples
    if spoken.sample_rate != WORK_RATE:
        samples = soxr.resample(samples, spoken.sample_rate, WORK_RATE).astype(np.float32)
    return noise.set_peak(samples, SPEECH_PEAK_DBFS)


def _noise(kind: str, frames: int, clip: ClipSpec, pool: list[np.ndarray], talkers: int,
           rng: np.random.Generator) -> np.ndarray:
    if kind == "white":
        return noise.white_noise(frames, rng)
    if kind == "pink":
        return noise.pink_noise(frames, rng)
    if kind == "babble":
        if not pool:
            raise DatasetError(
                f"clip {clip.id!r} asks for babble noise but the babble pool is empty; raise babble_pool_size"
            )
        picks = rng.choice(len(pool), size=min(talkers, len(pool)), replace=False)
        return noise.babble_noise(frames, [pool[i] for i in sorted(picks)], rng)
    raise DatasetError(f"clip {clip.id!r} has unknown noise {kind!r}; choose from {NOISES}")


def _write_clip(clip: ClipSpec, plan: CorpusPlan, babble: list[np.ndarray], out_dir: Path) -> tuple[int, bool]:
    talkers = [t for t, src in zip(babble, plan.babble_pool) if src.query.text != clip.query.text]
    data = render_clip(clip, plan.options.seed, talkers, plan.options.babble_talkers)
    path = out_dir / clip.audio_path
    if path.is_file() and path.read_bytes() == data:
        return len(data), True
    write_atomic(path, data)
    return len(data), False


def _prune_stale_audio(out_dir: Path, keep: set[str]) -> None:
    """Remove clips of an earlier run that the new manifest no longer lists (only our extensions in audio/)."""
    extensions = {f".{f.extension}" for f in FORMATS.values()}
    audio_dir = out_dir / AUDIO_DIR
    stale = [p for p in audio_dir.glob("*") if p.suffix in extensions and f"{AUDIO_DIR}/{p.name}" not in keep]
    for path in stale:
        path.unlink()
    if stale:
        logger.info("removed %d stale clips from %s", len(stale), audio_dir)


def _checked_voices(options: CorpusOptions) -> tuple[Voice, ...]:
    voices = tuple(voice_by_name(name) for name in options.voices)
    if not any(v.humanlike for v in voices):
        raise DatasetError(
            f"voices {options.voices} has no humanlike voice; add one of the flite/festival/hibari voices"
        )
    return voices


def _query_voices(query: Query, voices: tuple[Voice, ...], count: int, options: CorpusOptions) -> list[Voice]:
    """`count` distinct voices for a query, a humanlike one first; espeak-ng for a minority of queries."""
    rng = _rng(options.seed, "voices", query.id)
    humanlike = [v for v in voices if v.humanlike]
    others = [v for v in voices if not v.humanlike]
    chosen = [humanlike[i] for i in rng.permutation(len(humanlike))]
    if others and rng.random() < options.non_humanlike_share:
        picked = chosen[: max(1, count - 1)] + [others[int(rng.integers(len(others)))]]
    else:
        picked = chosen[:count]
    return picked[:count]


def _babble_pool(queries: list[Query], voices: tuple[Voice, ...], options: CorpusOptions) -> tuple[ClipSpec, ...]:
    """Clean out-of-domain utterances by humanlike voices: the talkers of babble noise."""
    rng = _rng(options.seed, "babble", "")
    texts = [q for q in queries if q.domain == "out"]
    humanlike = [v for v in voices if v.humanlike]
    picks = rng.permutation(len(texts))[: options.babble_pool_size]
    return tuple(
        ClipSpec(f"babble-{texts[i].id}", texts[i], humanlike[int(rng.integers(len(humanlike)))], Condition())
        for i in sorted(picks)
    )


def _reference_condition(rng: np.random.Generator) -> Condition:
    """Clean, wide band, 16 kHz WAV, short silence; only the level varies."""
    lo, hi = _SILENCE_S["short"]
    return Condition(lead_s=_uniform(rng, lo, hi), trail_s=_uniform(rng, lo, hi), peak_dbfs=_peak(rng))


def _random_condition(rng: np.random.Generator) -> Condition:
    kind = NOISES[int(rng.choice(len(NOISES), p=_NOISE_WEIGHTS))]
    snr = None if kind == "clean" else int(SNRS_DB[int(rng.integers(len(SNRS_DB)))])
    names = list(_FORMAT_WEIGHTS)
    fmt = names[int(rng.choice(len(names), p=list(_FORMAT_WEIGHTS.values())))]
    band = "narrow" if fmt == "wav8k" or rng.random() < 0.15 else "wide"
    silence = "long" if rng.random() < 0.3 else "short"
    lo, hi = _SILENCE_S[silence]
    return Condition(noise=kind, snr_db=snr, band=band, format=fmt, silence=silence,
                     lead_s=_uniform(rng, lo, hi), trail_s=_uniform(rng, lo, hi), peak_dbfs=_peak(rng))


def _with_condition(clip: ClipSpec, label: str, condition: Condition) -> ClipSpec:
    return ClipSpec(f"{clip.id}-{label}", clip.query, clip.voice, condition)


def _peak(rng: np.random.Generator) -> float:
    return round(_uniform(rng, -30.0, -6.0), 1)


def _uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return round(float(rng.uniform(low, high)), 3)


def _rng(seed: int, purpose: str, key: str) -> np.random.Generator:
    digest = hashlib.sha256(f"{purpose}:{key}".encode()).digest()
    return np.random.default_rng([seed, int.from_bytes(digest[:8], "little")])
