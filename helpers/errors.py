"""One small error hierarchy, so notebooks and the CLI can show a one-line message instead of a deep traceback."""

from __future__ import annotations


class BotError(Exception):
    """Base class: the message says what is wrong and what to do about it."""


class InputError(BotError):
    """Bad input data; names the file and, where known, the row (1-based data row, header excluded)."""

    def __init__(self, message: str, file: str | None = None, row: int | None = None):
        self.file = None if file is None else str(file)
        self.row = row
        where = ""
        if self.file is not None:
            where = f"{self.file}"
            if row is not None:
                where += f", row {row}"
            where += ": "
        super().__init__(where + message)


class ConfigError(BotError):
    """A parameter or credential is missing or invalid; names the parameter."""


class StageError(BotError):
    """A pipeline stage failed; names the stage, the executed notebook, and how to resume."""
