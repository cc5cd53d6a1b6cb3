"""Every error leaves as JSON {"error": {"code", "message"}}; client mistakes are 4xx, never a bare 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from voxsearch.errors import Overloaded, VoxsearchError

log = logging.getLogger(__name__)

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 400: "bad_request", 413: "too_large"}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(VoxsearchError)
    async def _voxsearch_error(request: Request, exc: VoxsearchError) -> JSONResponse:
        headers = None
        if isinstance(exc, Overloaded) or exc.http_status == 503:
            headers = {"Retry-After": str(request.app.state.voxsearch.settings.server.retry_after_s)}
        _count(request, exc.code)
        return error_response(exc.http_status, exc.code, exc.message, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body"))
            parts.append(f"{where}: {err.get('msg', 'invalid')}")
        _count(request, "invalid_request")
        return error_response(422, "invalid_request", "; ".join(parts) or "invalid request")

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        _count(request, code)
        return error_response(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        _count(request, "internal")
        return error_response(500, "internal", f"internal error ({type(exc).__name__}); see the server log")


def _count(request: Request, code: str) -> None:
    state = getattr(request.app.state, "voxsearch", None)
    if state is not None:
        state.metrics.errors.labels(code=code).inc()
