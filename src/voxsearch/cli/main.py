"""The voxsearch command: thin typer wrappers over the library.

A subcommand's module is imported only when that subcommand runs (or when `voxsearch --help` lists it),
so `voxsearch data standardize` does not pay for the server's, the trainer's or the evaluator's imports.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator, Mapping
from typing import Any

import typer
from typer.core import TyperGroup

from voxsearch import __version__
from voxsearch.cli.common import configure_logging

# name -> (module, attribute), in the order `voxsearch --help` lists them; the attribute is a typer app
# (a group of commands) or a command function
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "train": ("voxsearch.cli.train", "train"),
    "eval": ("voxsearch.cli.eval", "eval_"),
    "recognize": ("voxsearch.cli.recognize", "recognize"),
    "search": ("voxsearch.cli.recognize", "search"),
    "serve": ("voxsearch.cli.serve", "serve"),
    "catalog": ("voxsearch.cli.catalog", "app"),
    "runs": ("voxsearch.cli.runs", "app"),
    "models": ("voxsearch.cli.models", "app"),
    "data": ("voxsearch.cli.data", "app"),
}


def load_subcommand(name: str) -> Any:
    """The click command for `name`, importing its module now."""
    module, attribute = SUBCOMMANDS[name]
    target = getattr(importlib.import_module(module), attribute)
    if isinstance(target, typer.Typer):
        command = typer.main.get_group(target)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


class _Subcommands(Mapping[str, Any]):
    """Every subcommand's name, each command built on first lookup."""

    def __init__(self) -> None:
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            self._loaded[name] = load_subcommand(name)  # KeyError for an unknown name, as a dict
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(SUBCOMMANDS)

    def __len__(self) -> int:
        return len(SUBCOMMANDS)


class LazyGroup(TyperGroup):
    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Subcommands()  # type: ignore[assignment]

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the names alone: no module imported


app = typer.Typer(
    help="voxsearch: voice search for your catalog.", no_args_is_help=True, pretty_exceptions_enable=False,
    cls=LazyGroup,
)


def _print_version(value: bool) -> None:
    if value:
        print(__version__)
        raise typer.Exit()


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging."),
    version: bool = typer.Option(False, "--version", help="Print the version and exit.", is_eager=True,
                                 callback=_print_version),
) -> None:
    configure_logging(verbose)


def main() -> None:
    try:
        app()
    finally:
        # The process ends here: its objects need no more garbage collection. Frozen, they are skipped by
        # the collections of the interpreter's shutdown, which otherwise walk every object (~20 ms of 30).
        gc.freeze()
