"""Model registry: immutable versions, promotion per catalog with history, refusal of changed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from voxsearch.errors import ModelError
from voxsearch.train.registry import ModelRegistry, ModelVersion


def make_version(registry: ModelRegistry, tmp_path: Path, catalog: str, content: str) -> ModelVersion:
    lm = tmp_path / f"{content}.lm"
    lm.write_text(content, encoding="utf-8")
    draft = ModelVersion(
        version="draft", engine="pocketsphinx", catalog={"name": catalog, "content_hash": "abc"},
        engine_options={"catalog_bias": 1.5}, files={},
    )
    return registry.create(draft, {"catalog.lm": lm})


def test_same_content_gives_the_same_version(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "home")
    first = make_version(registry, tmp_path, "songs", "one")
    again = make_version(registry, tmp_path, "songs", "one")
    other = make_version(registry, tmp_path, "songs", "two")
    assert first.version == again.version != other.version
    assert {v.version for v in registry.list()} == {first.version, other.version}
    assert registry.verify(first.version).files["catalog.lm"]


def test_promote_and_rollback_keep_a_history(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "home")
    v1 = make_version(registry, tmp_path, "songs", "one").version
    v2 = make_version(registry, tmp_path, "songs", "two").version
    assert registry.promoted("songs") is None
    registry.promote(v1, "songs")
    registry.promote(v2, "songs")
    assert registry.promoted("songs") == v2
    assert registry.rollback("songs") == v1
    assert registry.rollback("songs") is None  # back to the unadapted engine
    with pytest.raises(ModelError, match="no promoted model version"):
        registry.rollback("songs")


def test_a_version_is_promoted_only_for_its_catalog(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "home")
    v1 = make_version(registry, tmp_path, "songs", "one").version
    with pytest.raises(ModelError, match="trained for catalog 'songs'"):
        registry.promote(v1, "places")


def test_changed_file_is_refused_and_the_old_promotion_stays(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "home")
    good = make_version(registry, tmp_path, "songs", "one").version
    bad = make_version(registry, tmp_path, "songs", "two")
    registry.promote(good, "songs")
    lm = bad.path / "catalog.lm"
    data = bytearray(lm.read_bytes())
    data[0] ^= 0xFF
    lm.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="changed or corrupt"):
        registry.promote(bad.version, "songs")
    assert registry.promoted("songs") == good
    (registry.get(good).path / "catalog.lm").unlink()
    with pytest.raises(ModelError, match="missing its file"):
        registry.verify(good)


@pytest.mark.parametrize("version", ["../escape", "", "UPPER", "a/b"])
def test_bad_version_ids_are_refused(tmp_path: Path, version: str) -> None:
    with pytest.raises(ModelError, match="voxsearch models list"):
        ModelRegistry(tmp_path).get(version)


def test_a_version_tuned_on_another_ranking_is_flagged(tmp_path: Path) -> None:
    from voxsearch.search.index_build import INDEX_FORMAT_VERSION
    from voxsearch.search.rank import RANKING_VERSION
    from voxsearch.train.model_engine import ranking_drift

    def version(catalog: dict[str, str]) -> ModelVersion:
        return ModelVersion(version="v1", engine="hybrid", catalog=catalog, engine_options={}, files={})

    current = {"name": "songs", "index_format": str(INDEX_FORMAT_VERSION), "ranking": str(RANKING_VERSION)}
    assert ranking_drift(version(current)) is None
    for old in ({"name": "songs"}, {"name": "songs", "index_format": str(INDEX_FORMAT_VERSION)}):
        warning = ranking_drift(version(old))  # before versions recorded the format, then the ranking
        assert warning is not None and "voxsearch train --catalog songs" in warning


def test_a_versions_denoising_reaches_its_decoder_and_bad_parameters_are_refused(tmp_path: Path) -> None:
    from voxsearch.config import DenoiseSettings
    from voxsearch.train.model_engine import pocketsphinx_options

    def version(denoise: object) -> ModelVersion:
        return ModelVersion(version="v", engine="pocketsphinx", catalog={"name": "c"}, files={},
                            engine_options={"catalog_bias": 0.1, "denoise": denoise}, path=tmp_path)

    assert pocketsphinx_options(version(None)).denoise is None
    stored = {"below_snr_db": 20.0, "over_subtraction": 3.0, "floor": 0.05, "noise_percentile": 20.0}
    assert pocketsphinx_options(version(stored)).denoise == DenoiseSettings(enabled=True, **stored)
    with pytest.raises(ModelError, match="train the version again"):
        pocketsphinx_options(version({"over_subtraction": -1.0}))
