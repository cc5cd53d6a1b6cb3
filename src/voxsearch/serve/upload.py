"""Reading the audio out of a request: multipart field `audio` or the raw body, never more than the cap."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from voxsearch.errors import AudioTooLarge, BadAudio, InvalidRequest, UnsupportedFormat

_MULTIPART_OVERHEAD_BYTES = 64 * 1024
_RAW_TYPES = {"", "application/octet-stream"}


async def read_audio_upload(request: Request, max_bytes: int) -> bytes:
    mime = request.headers.get("content-type", "").split(";")[0].strip().lower()
    multipart = mime == "multipart/form-data"
    if not multipart and mime not in _RAW_TYPES and not mime.startswith("audio/"):
        raise UnsupportedFormat(
            f"content type '{mime}' is not audio; send the audio as the multipart field 'audio' "
            "(curl -F audio=@query.wav) or as the raw body with Content-Type audio/wav, audio/flac or audio/ogg"
        )
    cap = max_bytes + (_MULTIPART_OVERHEAD_BYTES if multipart else 0)
    body = await _read_capped(request, cap, max_bytes)
    if not multipart:
        return body
    return await _audio_field(request, body, max_bytes)


async def _read_capped(request: Request, cap: int, max_bytes: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(int(declared), max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise _too_large(size, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


async def _audio_field(request: Request, body: bytes, max_bytes: int) -> bytes:
    # The body was already read under the cap; let Starlette's parser work from that copy.
    request._body = body  # noqa: SLF001 - Starlette's documented cache for a consumed body
    try:
        form = await request.form(max_files=4, max_fields=16, max_part_size=max_bytes + 1)
    except (HTTPException, MultiPartException) as exc:
        detail = getattr(exc, "detail", None) or getattr(exc, "message", str(exc))
        raise BadAudio(f"the multipart body could not be parsed ({detail}); send the file as field 'audio'") from exc
    field = form.get("audio")
    if field is None:
        names = ", ".join(sorted(form.keys())) or "none"
        raise InvalidRequest(f"multipart body has no field 'audio' (fields: {names}); use curl -F audio=@query.wav")
    data = await field.read() if isinstance(field, UploadFile) else field.encode("utf-8")
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return data


def _too_large(size: int, max_bytes: int) -> AudioTooLarge:
    return AudioTooLarge(
        f"upload is {size} bytes, over the {max_bytes}-byte limit; send a shorter clip "
        "or raise VOXSEARCH_LIMITS__MAX_BYTES"
    )
