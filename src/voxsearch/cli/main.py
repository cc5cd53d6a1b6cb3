"""The voxsearch command: thin typer wrappers over the library."""

from __future__ import annotations

import typer

from voxsearch import __version__
from voxsearch.cli import catalog, models, runs
from voxsearch.cli import data
from voxsearch.cli.common import configure_logging
from voxsearch.cli.eval import eval_
from voxsearch.cli.recognize import recognize, search
from voxsearch.cli.serve import serve
from voxsearch.cli.train import train

app = typer.Typer(
    help="voxsearch: voice search for your catalog.", no_args_is_help=True, pretty_exceptions_enable=False
)
app.add_typer(catalog.app, name="catalog")
app.add_typer(runs.app, name="runs")
app.add_typer(models.app, name="models")
app.command()(train)
app.command("eval")(eval_)
app.add_typer(data.app, name="data")
app.command()(recognize)
app.command()(search)
app.command()(serve)


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging."),
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        print(__version__)
        raise typer.Exit()
    configure_logging(verbose)


def main() -> None:
    app()
