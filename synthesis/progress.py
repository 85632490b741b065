"""Progress reporting without printing: stages open tasks on a ``Progress``; the CLI passes one that draws bars."""

from __future__ import annotations


class Task:
    """A unit of work being counted. The base class counts silently."""

    def __init__(self) -> None:
        self.completed = 0.0

    def advance(self, amount: float = 1) -> None:
        self.completed += amount

    def close(self) -> None:
        pass

    def __enter__(self) -> "Task":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Progress:
    """The silent default; the CLI subclasses it to draw rich progress bars."""

    def task(self, label: str, total: float | None = None) -> Task:
        return Task()


SILENT = Progress()
