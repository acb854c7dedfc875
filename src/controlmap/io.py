"""Reading geodata files: the dataset directory, its documents, validated (the I/O edge).

Writing is `controlmap._fs` (atomic, modes kept).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from controlmap.codec import dataset_from_documents
from controlmap.errors import DataError, Problem
from controlmap.validate import DatasetDocuments, Document, validate_documents

if TYPE_CHECKING:
    from controlmap.model import Dataset

DATASET_FILE = "dataset.json"
FACTIONS_FILE = "factions.json"
SOURCES_FILE = "sources.json"
PLACES_DIR = "places"
PLACES_SUFFIX = ".geojson"
MAX_FILE_BYTES = 50_000_000
"""Larger geodata files are refused unread: hand-edited data is far smaller, and this keeps memory bounded."""


def default_data_dir() -> Path:
    """The geodata directory: ``$CONTROLMAP_DATA`` if set, else ``./geodata``, else the project's own.

    The project's own is the ``geodata`` directory beside ``src/`` in a source checkout, so the commands
    work from any working directory.
    """
    configured = os.environ.get("CONTROLMAP_DATA")
    if configured:
        return Path(configured)
    here = Path("geodata")
    if here.is_dir():
        return here
    project = Path(__file__).resolve().parents[2] / "geodata"
    return project if project.is_dir() else here


def read_json(path: Path, problems: list[Problem]) -> Any:  # noqa: PLR0911 - one return per way a file can fail
    """Parse a JSON file, recording (not raising) what is wrong with it; None when it cannot be read."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(name, f"file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB"))
            return None
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(name, "file not found"))
        return None
    except IsADirectoryError:
        problems.append(Problem(name, "is a directory, not a file"))
        return None
    except OSError as error:
        problems.append(Problem(name, f"cannot read: {error.strerror or error}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(name, f"not UTF-8: byte {raw[error.start]:#04x} at line {line}, offset {error.start}"))
        return None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        problems.append(Problem(name, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"))
    except _NonFiniteNumberError as error:
        problems.append(Problem(name, f"invalid JSON: {error} is not a number JSON allows"))
    return None


class _NonFiniteNumberError(ValueError):
    pass


def _reject_constant(token: str) -> Any:
    raise _NonFiniteNumberError(token)


def find_dataset_dir(path: Path) -> Path | None:
    """The dataset directory a path belongs to: itself or the nearest parent holding ``factions.json``."""
    for candidate in [path, *path.parents]:
        if candidate.is_dir() and (candidate / FACTIONS_FILE).is_file():
            return candidate
    return None


def read_documents(data_dir: Path, *, place_files: list[Path] | None = None) -> tuple[DatasetDocuments, list[Problem]]:
    """Read a dataset directory's files, recording every read or parse problem.

    Parameters
    ----------
    data_dir
        The dataset directory.
    place_files
        The places files to read; by default every ``places/*.geojson``.

    Returns
    -------
    The documents (unreadable ones hold None) and the problems met while reading.
    """
    problems: list[Problem] = []
    if not data_dir.is_dir():
        problems.append(Problem(str(data_dir), "not a directory with geodata (dataset.json, factions.json, ...)"))
    if place_files is None:
        place_files = sorted((data_dir / PLACES_DIR).glob(f"*{PLACES_SUFFIX}"))
        if data_dir.is_dir() and not place_files:
            problems.append(Problem(str(data_dir / PLACES_DIR), f"no *{PLACES_SUFFIX} files with places"))
    documents = DatasetDocuments(
        dataset=_document(data_dir / DATASET_FILE, problems),
        factions=_document(data_dir / FACTIONS_FILE, problems),
        sources=_document(data_dir / SOURCES_FILE, problems),
        places=[_document(path, problems) for path in place_files],
    )
    return documents, problems


def _document(path: Path, problems: list[Problem]) -> Document:
    return Document(name=str(path), content=read_json(path, problems))


def check_paths(paths: list[Path]) -> list[Problem]:
    """Every problem in the given datasets or places files.

    Parameters
    ----------
    paths
        Dataset directories, or places files (checked with the factions and sources of the dataset they
        are in).
    """
    problems: list[Problem] = []
    for path in paths:
        if path.is_file():
            data_dir = find_dataset_dir(path.parent)
            if data_dir is None:
                problems.append(Problem(str(path), f"no {FACTIONS_FILE} in this or any parent directory"))
                continue
            documents, read_problems = read_documents(data_dir, place_files=[path])
        elif path.is_dir():
            documents, read_problems = read_documents(path)
        else:
            problems.append(Problem(str(path), "no such file or directory"))
            continue
        problems.extend(read_problems)
        problems.extend(validate_documents(documents))
    return problems


def valid_documents(data_dir: Path | str | None = None) -> DatasetDocuments:
    """Read a dataset directory's documents and check them; the one read-and-validate step.

    Parameters
    ----------
    data_dir
        The directory; by default `default_data_dir`.

    Raises
    ------
    DataError
        Listing every problem found, when there is any.
    """
    directory = default_data_dir() if data_dir is None else Path(data_dir)
    documents, problems = read_documents(directory)
    if not problems:
        problems = validate_documents(documents)
    if problems:
        raise DataError(problems)
    return documents


def dataset_from_dir(data_dir: Path | str | None = None) -> Dataset:
    """Load and validate a dataset directory.

    Parameters
    ----------
    data_dir
        The directory; by default `default_data_dir`.

    Returns
    -------
    The dataset.

    Raises
    ------
    DataError
        Listing every problem found, when there is any.
    """
    return dataset_from_documents(valid_documents(data_dir))
