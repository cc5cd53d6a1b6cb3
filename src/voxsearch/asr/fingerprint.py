"""Short content hashes of model files, so a model version names exactly the weights used."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_CHUNK_BYTES = 1 << 20


def fingerprint_files(paths: list[Path], length: int = 8) -> str:
    """Hex digest (first `length` chars) over the names and contents of `paths`; folders are walked."""
    files = sorted(f for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file())
    digest = hashlib.blake2b(digest_size=16)
    for f in files:
        stat = f.stat()
        digest.update(f.name.encode())
        digest.update(_file_digest(str(f.resolve()), stat.st_size, stat.st_mtime_ns))
    return digest.hexdigest()[:length]


@lru_cache(maxsize=64)
def _file_digest(path: str, size: int, mtime_ns: int) -> bytes:
    """Cached per (path, size, mtime): engine pools build several instances of the same model."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.digest()
