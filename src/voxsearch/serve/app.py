"""create_app(settings): wires routers, error handlers, docs and the model lifespan. No logic lives here."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from voxsearch import __version__
from voxsearch.config import Settings
from voxsearch.errors import VoxsearchError
from voxsearch.pipeline import Pipeline
from voxsearch.serve.errors import install_error_handlers
from voxsearch.serve.pool import PipelinePool
from voxsearch.serve.routers import health, recognize, search
from voxsearch.serve.state import ServerState

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    state = ServerState(settings=settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await _load_models(state)
        state.default_catalog_or_none()
        try:
            yield
        finally:
            if state.pool is not None:
                await asyncio.to_thread(state.pool.close)

    offline_docs = importlib.util.find_spec("swagger_ui_bundle") is not None
    app = FastAPI(
        title="voxsearch",
        version=__version__,
        summary="Spoken query in, transcript and catalog search results out.",
        lifespan=lifespan,
        docs_url=None if offline_docs else "/docs",
    )
    app.state.voxsearch = state
    install_error_handlers(app)
    for module in (recognize, search, health):
        app.include_router(module.router)
    if offline_docs:
        _mount_offline_docs(app)
    _count_requests(app, state)
    return app


async def _load_models(state: ServerState) -> None:
    settings = state.settings
    started = time.perf_counter()
    try:
        pipelines = await asyncio.to_thread(
            lambda: [Pipeline.from_settings(settings) for _ in range(settings.server.workers)]
        )
    except VoxsearchError as exc:
        state.load_error = exc.message
        log.error("model failed to load: %s", exc.message)
        return
    state.pool = PipelinePool(pipelines, settings.server.queue_size, settings.server.retry_after_s)
    log.info(
        "loaded %d x %s %s in %.1f s",
        len(pipelines),
        state.pool.info.engine,
        state.pool.info.version,
        time.perf_counter() - started,
    )


def _mount_offline_docs(app: FastAPI) -> None:
    """Serve Swagger UI from the swagger-ui-bundle package, so /docs works without a CDN."""
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="voxsearch API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )


def _count_requests(app: FastAPI, state: ServerState) -> None:
    @app.middleware("http")
    async def count(request: Request, call_next) -> Response:  # noqa: ANN001 - Starlette's signature
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        state.metrics.requests.labels(route=path, status=str(response.status_code)).inc()
        return response
