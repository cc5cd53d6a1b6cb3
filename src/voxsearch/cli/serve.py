"""voxsearch serve: the prediction server on HOST:PORT."""

from __future__ import annotations

import typer

from voxsearch.cli.common import exits_on_bad_input, fail, load_settings
from voxsearch.errors import missing_extra
from voxsearch.search import CatalogStore


@exits_on_bad_input
def serve(
    catalog: str = typer.Option(None, "--catalog", help="Default catalog (default: VOXSEARCH_CATALOG)."),
    host: str = typer.Option(None, "--host", help="Bind address (default 127.0.0.1)."),
    port: int = typer.Option(None, "--port", min=0, max=65535, help="Port (default 8000)."),
    engine: str = typer.Option(None, "--engine", help="whisper or pocketsphinx."),
    workers: int = typer.Option(None, "--workers", min=1, help="Engine instances decoding in parallel."),
) -> None:
    """Start the prediction server (models load before it accepts requests)."""
    import importlib.util

    if importlib.util.find_spec("uvicorn") is None:
        raise missing_extra("uvicorn", "server", "voxsearch serve")
    import uvicorn

    from voxsearch.serve import create_app

    settings = load_settings(engine=engine, host=host, port=port, workers=workers)
    if catalog:
        settings = settings.model_copy(update={"catalog": catalog})
    store = CatalogStore(settings.home)
    if not store.exists(settings.catalog):
        fail(
            f"catalog '{settings.catalog}' not found in {settings.home}; import it with "
            f"voxsearch catalog import FILE --name {settings.catalog} (or voxsearch catalog demo)"
        )
    uvicorn.run(
        create_app(settings), host=settings.server.host, port=settings.server.port, log_level="info",
        timeout_graceful_shutdown=10,
    )
