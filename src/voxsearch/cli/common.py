"""What every command shares: settings with CLI overrides, logging setup, and errors → exit code 2."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from rich.console import Console
from rich.logging import RichHandler

from voxsearch.errors import VoxsearchError

if TYPE_CHECKING:
    from voxsearch.config import Settings

F = TypeVar("F", bound=Callable[..., Any])
stderr = Console(stderr=True)
PIPED_WIDTH = 160  # tables written to a file or a pipe are not cut to rich's default 80 columns


def stdout_console() -> Console:
    """The console for tables on standard output, wide enough when it is not a terminal."""
    console = Console()
    if not console.is_terminal:
        console.width = max(console.width, PIPED_WIDTH)
    return console
EXIT_BAD_INPUT = 2


def configure_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(message)s",
        handlers=[RichHandler(console=stderr, show_path=False)],
    )
    # faster-whisper logs every clip at INFO ("Processing audio with duration ..."): noise in a CLI.
    logging.getLogger("faster_whisper").setLevel(logging.DEBUG if verbose else logging.WARNING)


def load_settings(engine: str | None = None, **server: Any) -> Settings:
    from voxsearch.config import Settings  # pydantic-settings: imported by the commands that read settings

    settings = Settings()
    if engine:
        settings = settings.with_engine(name=engine)
    overrides = {k: v for k, v in server.items() if v is not None}
    if overrides:
        settings = settings.model_copy(update={"server": settings.server.model_copy(update=overrides)})
    return settings


def fail(message: str) -> None:
    print(f"voxsearch: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def exits_on_bad_input(command: F) -> F:
    """Turn the library's errors into one line on stderr and exit code 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except VoxsearchError as exc:
            fail(exc.message)
        except OSError as exc:
            fail(f"{exc.strerror or exc} ({exc.filename})" if exc.filename else str(exc))

    return wrapper  # type: ignore[return-value]
