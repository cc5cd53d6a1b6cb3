"""Progress of a bench run: rich bars when a Progress is given, nothing otherwise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.progress import Progress


@dataclass
class Steps:
    progress: Progress | None = None

    def task(self, description: str, total: int) -> Callable[[], None]:
        """Start a bar of `total` steps; returns the function that advances it by one."""
        if self.progress is None:
            return lambda: None
        task_id = self.progress.add_task(description, total=total)
        return lambda: self.progress.advance(task_id)  # type: ignore[union-attr]

    def note(self, message: str) -> None:
        if self.progress is not None:
            self.progress.console.log(message)
