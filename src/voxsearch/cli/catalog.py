"""voxsearch catalog import | list | demo."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from voxsearch.cli.common import exits_on_bad_input, load_settings, stderr
from voxsearch.search import CatalogStore
from voxsearch.search.demo import DEMO_CATALOG_NAME, build_demo_catalog

app = typer.Typer(help="Import and list catalogs.", no_args_is_help=True)


@app.command("import")
@exits_on_bad_input
def import_(
    file: Path = typer.Argument(..., help="JSONL or CSV with id, title and optional text, aliases, category, popularity."),
    name: str = typer.Option(..., "--name", help="Catalog name (lowercase letters, digits, - and _)."),
) -> None:
    """Import (or replace) a catalog; a bad line aborts the import and the old index keeps serving."""
    result = CatalogStore(load_settings().home).import_catalog(file, name)
    stderr.print(f"imported {result.entries} entries into catalog '{result.name}' in {result.elapsed_s:.1f} s")


@app.command("list")
@exits_on_bad_input
def list_() -> None:
    """List the catalogs in VOXSEARCH_HOME."""
    store = CatalogStore(load_settings().home)
    for name in store.names():
        index = store.open(name)
        print(json.dumps({"name": name, "entries": index.size, "content_hash": index.content_hash}))


@app.command("demo")
@exits_on_bad_input
def demo(
    name: str = typer.Option(DEMO_CATALOG_NAME, "--name", help="Catalog name for the demo places."),
    force: bool = typer.Option(False, "--force", help="Rebuild even if it exists."),
) -> None:
    """Build the demo catalog (34k world places from GeoNames) unless it already exists."""
    store = CatalogStore(load_settings().home)
    if store.exists(name) and not force:
        stderr.print(f"catalog '{name}' already exists ({store.open(name).size} entries); --force rebuilds it")
        return
    with stderr.status("building the demo catalog index…"):
        result = store.import_entries(build_demo_catalog(), name)
    stderr.print(f"built demo catalog '{name}': {result.entries} entries in {result.elapsed_s:.1f} s")
