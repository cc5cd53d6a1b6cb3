"""Every bad input gets a 4xx JSON error naming the problem, and the server keeps serving."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.badaudio import bad_inputs, tone, wav_bytes
from tests.serve.live_server import live_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server(demo_home: Path) -> str:
    with live_server(demo_home, "pocketsphinx") as url:
        yield url


@pytest.mark.parametrize("name", sorted(bad_inputs()))
def test_bad_audio_is_refused_with_json_error(server: str, name: str) -> None:
    payload, status = bad_inputs()[name]
    answer = httpx.post(f"{server}/v1/recognize", files={"audio": ("q.wav", payload, "audio/wav")}, timeout=60)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] and len(error["message"]) > 20
    raw = httpx.post(f"{server}/v1/recognize", content=payload, headers={"content-type": "audio/wav"}, timeout=60)
    assert raw.status_code == status, raw.text


def test_wrong_content_type_is_415(server: str) -> None:
    answer = httpx.post(f"{server}/v1/recognize", json={"audio": "not audio"}, timeout=30)
    assert answer.status_code == 415
    assert "multipart" in answer.json()["error"]["message"]


def test_multipart_without_audio_field_is_422(server: str) -> None:
    answer = httpx.post(f"{server}/v1/recognize", files={"sound": ("q.wav", wav_bytes(tone(0.5), 16000))}, timeout=30)
    assert answer.status_code == 422
    assert "'audio'" in answer.json()["error"]["message"]


@pytest.mark.parametrize("query", ["top_k=0", "top_k=abc", "top_k=500"])
def test_bad_query_parameters_are_422(server: str, query: str) -> None:
    answer = httpx.post(f"{server}/v1/recognize?{query}", content=wav_bytes(tone(0.5), 16000), timeout=30)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_request"


def test_unknown_catalog_is_404(server: str) -> None:
    answer = httpx.get(f"{server}/v1/search", params={"q": "paris", "catalog": "nope"}, timeout=30)
    assert answer.status_code == 404
    assert "voxsearch catalog import" in answer.json()["error"]["message"]


def test_unknown_route_is_json_404(server: str) -> None:
    answer = httpx.get(f"{server}/v2/nothing", timeout=30)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_server_keeps_serving_after_bad_inputs(server: str) -> None:
    for payload, _ in bad_inputs().values():
        httpx.post(f"{server}/v1/recognize", content=payload, headers={"content-type": "audio/wav"}, timeout=60)
    assert httpx.get(f"{server}/healthz", timeout=10).json() == {"status": "ok"}
    ok = httpx.post(f"{server}/v1/recognize", content=wav_bytes(tone(1.0), 16000), timeout=60)
    assert ok.status_code == 200, ok.text
    metrics = httpx.get(f"{server}/metrics", timeout=10).text
    assert 'voxsearch_errors_total{code="bad_audio"}' in metrics


def test_docs_are_served_without_a_cdn(server: str) -> None:
    page = httpx.get(f"{server}/docs", timeout=10).text
    assert "cdn" not in page.lower()
    for asset in ("/static/swagger/swagger-ui-bundle.js", "/static/swagger/swagger-ui.css"):
        assert asset in page
        assert httpx.get(f"{server}{asset}", timeout=10).status_code == 200
    spec = httpx.get(f"{server}/openapi.json", timeout=10).json()
    assert {"/v1/recognize", "/v1/search", "/healthz", "/readyz"} <= set(spec["paths"])
    assert "multipart/form-data" in spec["paths"]["/v1/recognize"]["post"]["requestBody"]["content"]
