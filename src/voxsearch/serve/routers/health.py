"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from voxsearch.serve.dependencies import get_state
from voxsearch.serve.state import ServerState
from voxsearch.wire import HealthAnswer, ReadyAnswer

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthAnswer)
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", response_model=ReadyAnswer, responses={503: {"model": ReadyAnswer}})
async def readyz(state: ServerState = Depends(get_state)) -> JSONResponse:
    index = state.default_catalog_or_none()
    body = ReadyAnswer(status="ready")
    base = state.models.base
    if base is not None:
        body.engine, body.model_version = base.info.engine, base.info.version
    if index is not None:
        body.catalog, body.catalog_entries = index.name, index.size
        body.model_version = state.models.served().get(index.name) or body.model_version
    problems = []
    if base is None:
        problems.append(state.models.load_error or "model loading")
    if index is None:
        problems.append(
            f"catalog '{state.settings.catalog}' not found; import it with "
            f"voxsearch catalog import FILE --name {state.settings.catalog}"
        )
    if problems:
        body.status, body.detail = "not_ready", "; ".join(problems)
        return JSONResponse(body.model_dump(), status_code=503, headers={"Retry-After": "1"})
    return JSONResponse(body.model_dump())


@router.get("/metrics", include_in_schema=False)
async def metrics(state: ServerState = Depends(get_state)) -> Response:
    state.metrics.in_flight.set(state.models.in_flight())
    return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
