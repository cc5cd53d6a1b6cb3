"""GET /v1/search: the same results for typed text."""

from __future__ import annotations

import time
import uuid

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from voxsearch.serve.dependencies import get_state
from voxsearch.serve.state import ServerState
from voxsearch.wire import ErrorAnswer, SearchAnswer

router = APIRouter(tags=["search"])


@router.get(
    "/v1/search", response_model=SearchAnswer, responses={c: {"model": ErrorAnswer} for c in (404, 422)}
)
async def search(
    q: str = Query(..., min_length=1, max_length=500, description="The query text."),
    catalog: str | None = Query(None, description="Catalog to search; the server's default when omitted."),
    top_k: int = Query(5, ge=1, le=50),
    state: ServerState = Depends(get_state),
) -> dict:
    index = state.catalog(catalog)
    start = time.perf_counter()
    hits = await run_in_threadpool(index.search, q, top_k)
    elapsed_ms = (time.perf_counter() - start) * 1000.0
    state.metrics.observe_timings({"search": elapsed_ms})
    return {
        "request_id": uuid.uuid4().hex,
        "query": q,
        "results": [hit.to_wire() for hit in hits],
        "timings_ms": {"search": round(elapsed_ms, 2)},
    }
