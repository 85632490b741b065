"""The exceptions the package raises on purpose.

Every message is written for the person running the tool: one line that says what and where.
The CLI prints ``str(error)`` and exits 1; anything that is not a ``SynthesisError`` is a bug and propagates.
"""

from __future__ import annotations

from pathlib import Path


class SynthesisError(Exception):
    """Base class of every error the tool reports to its user."""


class InputError(SynthesisError):
    """A bad input file or row: names the file, the row when there is one, and the reason."""

    def __init__(self, path: str | Path, reason: str, *, row: int | None = None):
        self.path = str(path)
        self.row = row
        self.reason = reason
        where = self.path if row is None else f"{self.path} row {row}"
        super().__init__(f"{where}: {reason}")


class ConfigError(SynthesisError):
    """An invalid configuration value or file."""


class ModelError(SynthesisError):
    """A missing, incompatible or unusable model."""


class StoreError(SynthesisError):
    """The project store cannot be opened, migrated or written."""


class ReportError(SynthesisError):
    """A report cannot be rendered or written."""
