"""create_app(settings): wires routers, error handlers, docs and the model lifespan. No logic lives here."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from voxsearch import __version__
from voxsearch.config import Settings
from voxsearch.errors import VoxsearchError
from voxsearch.serve.errors import install_error_handlers
from voxsearch.serve.routers import admin, health, recognize, search
from voxsearch.serve.state import ServerState

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    state = ServerState.create(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await state.models.load_base()
        if state.default_catalog_or_none() is not None and state.models.base is not None:
            await state.models.pool_for(settings.catalog)
        watcher = asyncio.create_task(_follow_promotions(state))
        try:
            yield
        finally:
            watcher.cancel()
            await state.models.close()

    offline_docs = importlib.util.find_spec("fastapi_offline") is not None
    app = FastAPI(
        title="voxsearch",
        version=__version__,
        summary="Spoken query in, transcript and catalog search results out.",
        lifespan=lifespan,
        docs_url=None if offline_docs else "/docs",
    )
    app.state.voxsearch = state
    install_error_handlers(app)
    for module in (recognize, search, health, admin):
        app.include_router(module.router)
    if offline_docs:
        _mount_offline_docs(app)
    _count_requests(app, state)
    return app


async def _follow_promotions(state: ServerState) -> None:
    """Swap in newly promoted model versions and re-imported catalogs while serving."""
    while True:
        await asyncio.sleep(state.settings.server.model_poll_s)
        try:
            await state.models.refresh()
            await asyncio.to_thread(state.reopen_changed_catalogs)
        except VoxsearchError as exc:
            log.error("could not follow the registry: %s", exc.message)


def _mount_offline_docs(app: FastAPI) -> None:
    """Serve Swagger UI 5 (OpenAPI 3.1) from the fastapi-offline package's files, so /docs works without a CDN."""
    from importlib.resources import files

    from fastapi.staticfiles import StaticFiles

    static = files("fastapi_offline") / "static"
    app.mount("/static/swagger", StaticFiles(directory=str(static)), name="swagger")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="voxsearch API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon.png",
        )


def _count_requests(app: FastAPI, state: ServerState) -> None:
    @app.middleware("http")
    async def count(request: Request, call_next) -> Response:  # noqa: ANN001 - Starlette's signature
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        state.metrics.requests.labels(route=path, status=str(response.status_code)).inc()
        return response
