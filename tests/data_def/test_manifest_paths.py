"""Manifest paths never escape the manifest's folder, whatever the manifest says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voxsearch.data.manifest import read_manifest, resolve_audio_path
from voxsearch.errors import DatasetError

_PARTS = st.sampled_from(["..", ".", "a", "b.wav", "", "~", "c:", "\\", "%2e%2e", "link", "\x00", "é"])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(_PARTS, min_size=1, max_size=6), absolute=st.booleans())
def test_a_resolved_path_is_always_inside_the_root(tmp_path_factory: pytest.TempPathFactory, parts: list[str],
                                                   absolute: bool) -> None:
    root = tmp_path_factory.getbasetemp() / "paths-root"
    (root / "a").mkdir(parents=True, exist_ok=True)
    if not (root / "link").is_symlink():
        os.symlink("/", root / "link")
    audio = ("/" if absolute else "") + "/".join(parts)
    try:
        resolved = resolve_audio_path(root, audio)
    except DatasetError as exc:
        assert repr(audio)[1:-1][:10] in exc.message or audio[:10] in exc.message
        return
    assert resolved.is_relative_to(root.resolve())


def test_each_hostile_path_is_refused_with_the_fix(tmp_path: Path) -> None:
    os.symlink("/etc", tmp_path / "etc")
    for audio, fix in (("../x.wav", "climbs out"), ("/etc/passwd", "relative to the manifest"),
                       ("etc/passwd", "symbolic link"), ("a\\..\\..\\x.wav", "forward slashes")):
        with pytest.raises(DatasetError, match=fix):
            resolve_audio_path(tmp_path, audio)
    assert resolve_audio_path(tmp_path, "./a/../b.wav".replace("/../", "/")) == (tmp_path / "a/b.wav").resolve()


def test_bad_lines_become_problems_not_exceptions(tmp_path: Path) -> None:
    manifest = tmp_path / "m.jsonl"
    manifest.write_bytes(b'{"audio": "a.wav", "text": "ok"}\nnot json\n[1]\n{"audio": 3}\n'
                         b'{"audio": "b.wav", "labels": [{"annotator": "x", "text": "caf\xe9"}]}\n')
    parsed = read_manifest(manifest)
    assert [e.audio for e in parsed.entries] == ["a.wav", "b.wav"]
    assert [p.line for p in parsed.problems] == [2, 3, 4]
    assert parsed.entries[1].labels[0].annotator == "x"
    with pytest.raises(DatasetError, match="does not exist"):
        read_manifest(tmp_path / "missing.jsonl")
