"""The server follows the registry's promotions: a version that fails to load is refused, the old one serves on."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.badaudio import tone, wav_bytes
from voxsearch.search import CatalogStore
from voxsearch.serve.process import server_process
from voxsearch.train.registry import ModelRegistry, ModelVersion
from voxsearch.types import CatalogEntry

pytestmark = pytest.mark.integration

SONGS = [CatalogEntry(id="s1", title="Bohemian Rhapsody", text="Queen"), CatalogEntry(id="s2", title="Jolene")]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    CatalogStore(tmp_path).import_entries(SONGS, "songs")
    return tmp_path


def broken_version(home: Path, tmp_path: Path) -> str:
    junk = tmp_path / "junk.lm"
    junk.write_bytes(b"\\data\\\nthis is not an ARPA language model\n")
    draft = ModelVersion(
        version="draft", engine="pocketsphinx", catalog={"name": "songs", "content_hash": "x"},
        engine_options={"catalog_lm": "catalog.lm"}, files={},
    )
    return ModelRegistry(home).create(draft, {"catalog.lm": junk}).version


def test_a_promoted_version_that_fails_to_load_is_refused(home: Path, tmp_path: Path) -> None:
    with server_process(home, "pocketsphinx", catalog="songs") as server:
        url = server.url
        assert httpx.get(f"{url}/v1/admin/models").json() == {"catalogs": {"songs": None}}
        version = broken_version(home, tmp_path)
        ModelRegistry(home).promote(version, "songs")
        reloaded = httpx.post(f"{url}/v1/admin/reload", timeout=60)
        assert reloaded.status_code == 200
        assert reloaded.json() == {"catalogs": {"songs": None}}, "the broken version must not be served"
        answer = httpx.post(f"{url}/v1/recognize", content=wav_bytes(tone(1.0), 16_000), timeout=60)
        assert answer.status_code == 200
        assert answer.json()["model"]["engine"] == "pocketsphinx"
        assert "voxsearch_model_load_failures_total 1.0" in httpx.get(f"{url}/metrics").text
        assert "refused model" in server.log_path.read_text()


def test_admin_token_guards_admin_endpoints(home: Path) -> None:
    env = {"VOXSEARCH_SERVER__ADMIN_TOKEN": "s3cret"}
    with server_process(home, "pocketsphinx", catalog="songs", env=env) as server:
        refused = httpx.post(f"{server.url}/v1/admin/reload")
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
        allowed = httpx.get(f"{server.url}/v1/admin/models", headers={"Authorization": "Bearer s3cret"})
        assert allowed.status_code == 200
        assert json.loads(allowed.text)["catalogs"] == {"songs": None}


@pytest.mark.slow
def test_a_promoted_trained_version_is_swapped_in_and_rolled_back(home: Path) -> None:
    from voxsearch.config import Settings
    from voxsearch.train.train import TrainOptions, train_model

    version = train_model(TrainOptions(catalog="songs", engine="pocketsphinx", synthesize_dev=False), Settings(home=home)).version.version
    registry = ModelRegistry(home)
    clip = wav_bytes(tone(1.0), 16_000)
    with server_process(home, "pocketsphinx", catalog="songs") as server:
        url = server.url
        assert httpx.post(f"{url}/v1/recognize", content=clip, timeout=60).json()["model"]["version"] != version
        registry.promote(version, "songs")
        assert httpx.post(f"{url}/v1/admin/reload", timeout=120).json() == {"catalogs": {"songs": version}}
        answer = httpx.post(f"{url}/v1/recognize", content=clip, timeout=60)
        assert answer.status_code == 200 and answer.json()["model"]["version"] == version
        assert httpx.get(f"{url}/readyz").json()["model_version"] == version
        registry.rollback("songs")
        assert httpx.post(f"{url}/v1/admin/reload", timeout=60).json() == {"catalogs": {"songs": None}}
        assert httpx.post(f"{url}/v1/recognize", content=clip, timeout=60).json()["model"]["version"] != version
