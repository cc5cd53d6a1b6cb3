"""Which model serves which catalog, and an immediate re-read of the registry's promotions."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from voxsearch.errors import Unauthorized
from voxsearch.serve.dependencies import get_state
from voxsearch.serve.state import ServerState
from voxsearch.wire import ErrorAnswer, ModelsAnswer


def require_admin(request: Request, state: ServerState = Depends(get_state)) -> ServerState:
    token = state.settings.server.admin_token
    if token:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not secrets.compare_digest(given, token):
            raise Unauthorized("admin endpoints need 'Authorization: Bearer <VOXSEARCH_SERVER__ADMIN_TOKEN>'")
    return state


router = APIRouter(prefix="/v1/admin", tags=["admin"], responses={401: {"model": ErrorAnswer}})


@router.get("/models", response_model=ModelsAnswer)
async def models(state: ServerState = Depends(require_admin)) -> dict:
    """The model version serving each catalog (null: the unadapted engine)."""
    return {"catalogs": state.models.served()}


@router.post("/reload", response_model=ModelsAnswer)
async def reload(state: ServerState = Depends(require_admin)) -> dict:
    """Follow the registry's promotions now instead of at the next poll; a version that fails to load is refused."""
    catalogs = await state.models.refresh()
    await run_in_threadpool(state.reopen_changed_catalogs)
    return {"catalogs": catalogs}
