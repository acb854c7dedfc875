"""Every error type controlmap raises: one hierarchy under `ControlmapError` (a ValueError)."""

from __future__ import annotations

from dataclasses import dataclass


class ControlmapError(ValueError):
    """Base class for every error controlmap raises on bad input."""


class DateError(ControlmapError):
    """A date that is malformed or outside the range the data covers."""


class _KeyMessageError(KeyError):
    def __str__(self) -> str:
        # KeyError would quote the message; show it as written.
        return str(self.args[0]) if self.args else ""


class PlaceNotFoundError(ControlmapError, _KeyMessageError):
    """A place id that is not in the dataset."""


class UnknownPaletteError(ControlmapError, _KeyMessageError):
    """A palette id that is not in the dataset's factions file."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file, with where it is.

    Parameters
    ----------
    file
        The file the problem is in, as given to the loader.
    message
        What is wrong, naming the value received.
    feature
        The place (feature id or index) or registry entry the problem is in, if any.
    field
        The field within it (``history[2].end``), if any.
    """

    file: str
    message: str
    feature: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.feature is not None:
            where.append(self.feature)
        if self.field is not None:
            where.append(self.field)
        return f"{': '.join(where)}: {self.message}"


class DataError(ControlmapError):
    """The geodata has one or more problems; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the geodata"
        super().__init__("\n".join([head, *(str(p) for p in problems)]))


class OutputExistsError(ControlmapError):
    """An output file exists and overwriting it was not asked for."""


class ArticleError(ControlmapError):
    """An article file that cannot be read as plain text."""


class ReviewError(ControlmapError):
    """A review file that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, name: str, problems: list[str]) -> None:
        self.problems = [f"{name}: {p}" for p in problems]
        super().__init__("\n".join(self.problems))
