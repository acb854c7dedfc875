"""Reading geodata files: the dataset directory, its documents, validated (the I/O edge).

Datasets are loaded through their compiled store (`controlmap.store`); writing is `controlmap._fs` (atomic,
modes kept).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from controlmap.errors import DataError, Problem
from controlmap.store import (
    DATASET_FILE,
    FACTIONS_FILE,
    MAX_FILE_BYTES,
    PLACES_DIR,
    PLACES_SUFFIX,
    SOURCES_FILE,
    check_dir,
    dataset_from_checked,
)
from controlmap.store._read import COUNTRIES_FILE, parse_json, read_bytes
from controlmap.validate import DatasetDocuments, Document, validate_documents

__all__ = [
    "DATASET_FILE",
    "FACTIONS_FILE",
    "MAX_FILE_BYTES",
    "PLACES_DIR",
    "PLACES_SUFFIX",
    "SOURCES_FILE",
    "check_paths",
    "dataset_from_dir",
    "default_data_dir",
    "find_dataset_dir",
    "read_documents",
    "read_json",
    "valid_documents",
]

if TYPE_CHECKING:
    from controlmap.model import Dataset


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


def read_json(path: Path, problems: list[Problem]) -> Any:
    """Parse a JSON file, recording (not raising) what is wrong with it; None when it cannot be read."""
    raw = read_bytes(path, problems)
    return None if raw is None else parse_json(raw, str(path), problems)


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
        countries=_document(countries, problems) if (countries := data_dir / COUNTRIES_FILE).is_file() else None,
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

    Files already compiled into the dataset's store (`controlmap.store`) are not checked again unless
    they changed; the problems are the same either way.
    """
    problems: list[Problem] = []
    for path in paths:
        if path.is_file():
            data_dir = find_dataset_dir(path.parent)
            if data_dir is None:
                problems.append(Problem(str(path), f"no {FACTIONS_FILE} in this or any parent directory"))
                continue
            problems.extend(check_dir(data_dir, place_files=[path]).all_problems())
        elif path.is_dir():
            problems.extend(check_dir(path).all_problems())
        else:
            problems.append(Problem(str(path), "no such file or directory"))
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
    """Load and validate a dataset directory, through its compiled store.

    The first load compiles every places file into the store (`controlmap.store`); later loads read what
    has not changed from there, and check and compile again only the files that did.

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
    directory = default_data_dir() if data_dir is None else Path(data_dir)
    return dataset_from_checked(check_dir(directory))
