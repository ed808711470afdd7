"""A rich progress bar on stderr for long commands (stdout stays clean for ``--json``)."""

from __future__ import annotations

from types import TracebackType
from typing import Any

__all__ = ["ProgressBar"]


class ProgressBar:
    """Implements :class:`praisonai_persist.transfer.Progress`: a bar over units, a counter of items.

    Disabled (silent) with ``enabled=False`` or when stderr is not a terminal, so logs and tests
    get no control characters.
    """

    def __init__(self, description: str, item_name: str = "messages", enabled: bool = True) -> None:
        from rich.console import Console

        self._console = Console(stderr=True)
        self.enabled = enabled and self._console.is_terminal
        self._description = description
        self._item_name = item_name
        self._progress: Any = None
        self._task: Any = None
        self.items = 0

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[unit]}"), TextColumn("· {task.fields[items]}"),
                TimeElapsedColumn(), TimeRemainingColumn(), console=self._console, transient=False,
            )
            self._progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def start(self, total: int | None, unit: str) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task(self._description, total=total, unit=unit, items="")

    def advance(self, units: int = 0, items: int = 0) -> None:
        self.items += items
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=units, items=f"{self.items:,} {self._item_name}")
