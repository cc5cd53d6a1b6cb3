"""Exception hierarchy. Every message names the offending value and the fix.

VoxsearchError
├── AudioError                 400 bad_audio
│   ├── BadAudio               400 bad_audio
│   ├── UnsupportedFormat      415 unsupported_format
│   ├── AudioTooLarge          413 audio_too_large
│   └── AudioTooLong           413 audio_too_long
├── EngineError                500 engine_error
│   └── EngineUnavailable      503 engine_unavailable
├── CatalogError               422 catalog_error
│   └── CatalogNotFound        404 catalog_not_found
├── DatasetError               422 dataset_error
├── ModelError                 422 model_error
├── InvalidRequest             422 invalid_request
├── Unauthorized               401 unauthorized
└── Overloaded                 503 overloaded
"""

from __future__ import annotations


class VoxsearchError(Exception):
    code = "error"
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AudioError(VoxsearchError):
    code = "bad_audio"
    http_status = 400


class BadAudio(AudioError):
    pass


class UnsupportedFormat(AudioError):
    code = "unsupported_format"
    http_status = 415


class AudioTooLarge(AudioError):
    code = "audio_too_large"
    http_status = 413


class AudioTooLong(AudioError):
    code = "audio_too_long"
    http_status = 413


class EngineError(VoxsearchError):
    code = "engine_error"
    http_status = 500


class EngineUnavailable(EngineError):
    code = "engine_unavailable"
    http_status = 503


class CatalogError(VoxsearchError):
    code = "catalog_error"
    http_status = 422


class CatalogNotFound(CatalogError):
    code = "catalog_not_found"
    http_status = 404


class DatasetError(VoxsearchError):
    code = "dataset_error"
    http_status = 422


class ModelError(VoxsearchError):
    code = "model_error"
    http_status = 422


class InvalidRequest(VoxsearchError):
    code = "invalid_request"
    http_status = 422


class Unauthorized(VoxsearchError):
    code = "unauthorized"
    http_status = 401


class Overloaded(VoxsearchError):
    code = "overloaded"
    http_status = 503


def missing_extra(package: str, extra: str, feature: str) -> EngineUnavailable:
    """The error for an optional dependency that is not installed."""
    return EngineUnavailable(
        f"{feature} requires the '{package}' package, which is not installed; "
        f"install it with: pip install 'voxsearch[{extra}]'"
    )
