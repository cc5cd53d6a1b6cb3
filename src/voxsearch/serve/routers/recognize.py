"""POST /v1/recognize: audio in, transcript and search results out."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Request

from voxsearch.pipeline import Pipeline, RecognizeResult
from voxsearch.serve.dependencies import get_state
from voxsearch.serve.state import ServerState
from voxsearch.serve.upload import read_audio_upload
from voxsearch.wire import ErrorAnswer, RecognizeAnswer

router = APIRouter(tags=["recognize"])

_AUDIO_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"audio": {"type": "string", "format": "binary"}},
                    "required": ["audio"],
                }
            },
            "audio/wav": {"schema": {"type": "string", "format": "binary"}},
            "audio/flac": {"schema": {"type": "string", "format": "binary"}},
            "audio/ogg": {"schema": {"type": "string", "format": "binary"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
_ERRORS = {code: {"model": ErrorAnswer} for code in (400, 404, 413, 415, 422, 503)}


@router.post("/v1/recognize", response_model=RecognizeAnswer, responses=_ERRORS, openapi_extra=_AUDIO_BODY)
async def recognize(
    request: Request,
    catalog: str | None = Query(None, description="Catalog to search; the server's default when omitted."),
    top_k: int = Query(5, ge=1, le=50, description="How many search results to return."),
    state: ServerState = Depends(get_state),
) -> dict:
    """Recognize a spoken query (WAV/FLAC/OGG, any rate, mono or stereo) and search the catalog with it."""
    request_id = uuid.uuid4().hex
    index = state.catalog(catalog)
    data = await read_audio_upload(request, state.settings.limits.max_bytes)
    # No await may come between taking the pool and submitting to it: a swap could retire it in between.
    pool = await state.models.pool_for(index.name)

    def job(pipeline: Pipeline) -> RecognizeResult:
        return pipeline.recognize(data, index, top_k)

    result, queue_ms = await pool.run(job)
    _observe(state, result)
    answer = result.to_wire(request_id=request_id)
    answer["timings_ms"]["queue"] = round(queue_ms, 2)
    return answer


def _observe(state: ServerState, result: RecognizeResult) -> None:
    metrics = state.metrics
    metrics.observe_timings(result.timings_ms)
    metrics.audio_seconds.inc(result.audio_duration_s)
    if not result.transcript.text:
        metrics.empty_transcripts.inc()
    if not result.results:
        metrics.no_results.inc()
