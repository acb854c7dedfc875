"""The compiled store: a dataset read, checked and packed once, then read back while its files are unchanged.

Each places file is compiled on its own into a part (its places, geometry and periods as arrays), kept in
the store under the SHA-256 of the file's content. Loading hashes every file; a file whose part is in the
store is neither parsed nor checked again, only checked against the other files (the ids it cites, the
data's range, ids used twice), which takes milliseconds. Any edit gives a new hash, so that file alone is
compiled again. ``dataset.json``, ``factions.json`` and ``sources.json`` are small and checked every time.

A part is never trusted blindly: one that is damaged, truncated, edited, or written by another version of
controlmap is named in a notice (the ``controlmap.store`` logger) and rebuilt. Parts are written atomically
under their content's name, so a killed writer leaves the old part or none, and two processes building at
once write the same bytes. Problems are reported exactly as without the store: a part is only kept for a
file with no problem of its own, and a file with any is checked by `controlmap.validate` as before.

Where the store lives: `cache_dir` (``.controlmap-cache/`` in the dataset directory by default;
``$CONTROLMAP_CACHE`` to move it, or ``off``).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from controlmap._fs import write_bytes_atomic
from controlmap.codec import dataset_with_places, place_from_feature
from controlmap.errors import DataError, Problem
from controlmap.locations import Located, location_problems
from controlmap.model import Place
from controlmap.packed import PeriodTable, PlaceHistory, Ragged
from controlmap.store._compile import Compiled, PlacesPart, compile_places, part_from_places
from controlmap.store._location import CACHE_DIR_NAME, CACHE_ENV, cache_dir, clear_unused, code_key, part_path, prepare
from controlmap.store._parts import PartError, part_from_bytes, part_to_bytes
from controlmap.store._read import (
    COUNTRIES_FILE,
    DATASET_FILE,
    FACTIONS_FILE,
    MAX_FILE_BYTES,
    PLACES_DIR,
    PLACES_SUFFIX,
    SOURCES_FILE,
    gc_paused,
    parse_json,
    read_bytes,
)
from controlmap.validate import (
    Context,
    DatasetDocuments,
    Document,
    check_places,
    check_registries,
    countries_of,
    duplicate_id_problem,
    feature_problems,
    places_schema_valid,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from controlmap.model import Dataset

__all__ = [
    "CACHE_DIR_NAME",
    "CACHE_ENV",
    "DATASET_FILE",
    "FACTIONS_FILE",
    "MAX_FILE_BYTES",
    "PLACES_DIR",
    "PLACES_SUFFIX",
    "SOURCES_FILE",
    "Checked",
    "cache_dir",
    "check_dir",
    "dataset_from_checked",
    "gc_paused",
]

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class Checked:
    """A dataset directory read and checked: its problems, and its parts when it has none."""

    read_problems: list[Problem]
    """Files that could not be read or parsed (then nothing else is reported by `dataset_from_checked`)."""
    problems: list[Problem]
    """What the checks found in the files that could be read, in file order."""
    registries: DatasetDocuments
    parts: list[PlacesPart] = field(default_factory=list)
    part_files: list[str] = field(default_factory=list)
    """The places file each part was read from."""

    def all_problems(self) -> list[Problem]:
        """Every problem, the files that could not be read first."""
        return [*self.read_problems, *self.problems]


class _Store:
    """The parts of one dataset's store: read with every check, written atomically, each failure said once."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.code = code_key()
        self.writable = directory is not None
        self.used: set[Path] = set()
        self.foreign = 0

    def read(self, digest: str) -> PlacesPart | None:
        if self.directory is None:
            return None
        path = part_path(self.directory, digest)
        self.used.add(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            logger.warning("cannot read the compiled store file %s (%s); compiling its places again", path, error)
            return None
        try:
            return part_from_bytes(data, code=self.code, source=digest)
        except PartError as error:
            if error.foreign:
                self.foreign += 1  # said once for the whole store, in `finish`
            else:
                logger.warning("the compiled store file %s is not usable: %s; rebuilding it", path, error)
            return None

    def finish(self) -> None:
        if self.foreign:
            logger.warning(
                "the compiled store in %s was written by another version of controlmap; rebuilding it (%d file%s)",
                self.directory,
                self.foreign,
                "s" if self.foreign != 1 else "",
            )

    def write(self, digest: str, part: PlacesPart) -> None:
        if self.directory is None or not self.writable:
            return
        try:
            prepare(self.directory)
            write_bytes_atomic(part_path(self.directory, digest), part_to_bytes(part, code=self.code, source=digest))
        except OSError as error:
            self.writable = False
            logger.warning(
                "cannot write the compiled store in %s (%s); the data is read in full each time "
                "(set %s to a writable directory)",
                self.directory,
                error.strerror or error,
                CACHE_ENV,
            )


def check_dir(data_dir: Path, *, place_files: list[Path] | None = None) -> Checked:
    """Read and check a dataset directory through its compiled store, compiling what changed.

    Parameters
    ----------
    data_dir
        The dataset directory.
    place_files
        Only these places files (checked with the directory's factions and sources); by default every
        ``places/*.geojson``, and then the store's unused parts are cleared away.
    """
    with gc_paused():
        return _check_dir(data_dir, place_files)


def _check_dir(data_dir: Path, place_files: list[Path] | None) -> Checked:
    read_problems: list[Problem] = []
    if not data_dir.is_dir():
        read_problems.append(Problem(str(data_dir), "not a directory with geodata (dataset.json, factions.json, ...)"))
    every_file = place_files is None
    if place_files is None:
        place_files = sorted((data_dir / PLACES_DIR).glob(f"*{PLACES_SUFFIX}"))
        if data_dir.is_dir() and not place_files:
            read_problems.append(Problem(str(data_dir / PLACES_DIR), f"no *{PLACES_SUFFIX} files with places"))
    countries = data_dir / COUNTRIES_FILE
    registries = DatasetDocuments(
        dataset=_document(data_dir / DATASET_FILE, read_problems),
        factions=_document(data_dir / FACTIONS_FILE, read_problems),
        sources=_document(data_dir / SOURCES_FILE, read_problems),
        countries=_document(countries, read_problems) if countries.is_file() else None,
    )
    problems, context = check_registries(registries)
    checked = Checked(read_problems=read_problems, problems=problems, registries=registries)
    store = _Store(cache_dir(data_dir) if data_dir.is_dir() else None)
    seen: dict[str, str] = {}
    for path in place_files:
        _check_places_file(path, checked, store, context, seen)
    store.finish()
    if not checked.all_problems():
        checked.problems.extend(_location_problems(data_dir, checked))
    if every_file and store.directory is not None and store.directory.is_dir():
        clear_unused(store.directory, store.used)
    return checked


def _keep(checked: Checked, name: str, part: PlacesPart) -> None:
    checked.parts.append(part)
    checked.part_files.append(name)


def _location_problems(data_dir: Path, checked: Checked) -> list[Problem]:
    """Places outside their country (when the dataset has a basemap of countries), or entered twice."""
    located = (
        Located(file=name, id=place_id, name=place_name, country=country, geometry=geometry)
        for name, part in zip(checked.part_files, checked.parts, strict=True)
        for place_id, place_name, country, geometry in zip(
            part.places["id"], part.places["name"], part.places["country"], part.geometry, strict=True
        )
    )
    return location_problems(located, countries_of(checked.registries.countries))


def _document(path: Path, problems: list[Problem]) -> Document:
    raw = read_bytes(path, problems)
    return Document(name=str(path), content=None if raw is None else parse_json(raw, str(path), problems))


def _check_places_file(path: Path, checked: Checked, store: _Store, context: Context, seen: dict[str, str]) -> None:
    name = str(path)
    raw = read_bytes(path, checked.read_problems)
    if raw is None:
        return
    digest = hashlib.sha256(raw).hexdigest()
    part = store.read(digest)
    if part is not None and part.fits(context):
        checked.problems.extend(_duplicates(name, part.places["id"], seen))
        _keep(checked, name, part)
        return
    content = parse_json(raw, name, checked.read_problems)
    if content is None:
        return
    document = Document(name=name, content=content)
    if not places_schema_valid(content):
        found = check_places(document, context, seen=seen)
        checked.problems.extend(found)
        if not found:  # the compiled schema check refused what the full one accepts: read it the plain way
            _keep(checked, name, part_from_places([place_from_feature(f) for f in content["features"]]))
        return
    compiled = compile_places(content["features"], context)
    found = _explained(document, compiled, context, seen)
    checked.problems.extend(found)
    if not compiled.intrinsic:
        store.write(digest, compiled.part)
        _keep(checked, name, compiled.part)
    elif not found:
        # The marks over-approximate: nothing was wrong after all, but some feature is unusual (a population
        # of 5.0, say). Build this file the plain way, keeping every value as written; it is not stored.
        _keep(checked, name, part_from_places([place_from_feature(f) for f in content["features"]]))


def _explained(document: Document, compiled: Compiled, context: Context, seen: dict[str, str]) -> list[Problem]:
    """The problems of the marked features in the plain checks' words, and ids used twice, in feature order."""
    suspect = set(np.flatnonzero(compiled.suspect).tolist())
    problems: list[Problem] = []
    for index, place_id in enumerate(compiled.part.places["id"]):
        if index in suspect:
            problems.extend(feature_problems(document, index, context))
        if place_id in seen:
            problems.append(duplicate_id_problem(document.name, _where(place_id, index), place_id, seen[place_id]))
        else:
            seen[place_id] = document.name
    return problems


def _duplicates(name: str, ids: list[str], seen: dict[str, str]) -> list[Problem]:
    problems = []
    for index, place_id in enumerate(ids):
        if place_id in seen:
            problems.append(duplicate_id_problem(name, _where(place_id, index), place_id, seen[place_id]))
        else:
            seen[place_id] = name
    return problems


def _where(place_id: str, index: int) -> str:
    return f"feature {place_id!r} (#{index})"


def dataset_from_checked(checked: Checked) -> Dataset:
    """The dataset of a checked directory.

    Raises
    ------
    DataError
        The files that could not be read, if any; else every problem found, if any.
    """
    with gc_paused():
        return _dataset_from_checked(checked)


def _dataset_from_checked(checked: Checked) -> Dataset:
    if checked.read_problems:
        raise DataError(checked.read_problems)
    if checked.problems:
        raise DataError(checked.problems)
    registries = checked.registries
    empty = dataset_with_places(registries, ())
    table = _joined_table(checked.parts, [f.id for f in empty.factions], list(empty.sources))
    history = np.zeros(1, dtype=np.int64)
    if checked.parts:
        lengths = np.concatenate([np.diff(part.history) for part in checked.parts])
        history = np.concatenate([history, np.cumsum(lengths)])
    columns: dict[str, list[Any]] = {name: [] for name in checked.parts[0].places} if checked.parts else {}
    for part in checked.parts:
        for name, values in part.places.items():
            columns[name].extend(values)
    if columns:
        columns["aliases"] = [tuple(a) for a in columns["aliases"]]
        columns["geometry_sources"] = [tuple(g) for g in columns["geometry_sources"]]
        columns["geometry"] = list(np.concatenate([part.geometry for part in checked.parts]))
    bounds = history.tolist()
    makers = (PlaceHistory(table, first, stop) for first, stop in itertools.pairwise(bounds))
    places = Place.many_with_history_from(makers, columns) if columns else []
    dataset = dataset_with_places(registries, places)
    dataset.cache["period_table"] = table
    return dataset


def _joined_table(parts: list[PlacesPart], faction_ids: list[str], source_ids: list[str]) -> PeriodTable:
    """One table of the parts' periods, their codes mapped to the dataset's factions and sources."""
    faction_codes = {faction: code for code, faction in enumerate(faction_ids)}
    source_codes = {source: code for code, source in enumerate(source_ids)}
    names = ("place", "start", "end", "start_precision", "end_precision", "controller", "status", "note")
    columns: dict[str, list[np.ndarray]] = {name: [] for name in names}
    opponents: list[Ragged] = []
    sources: list[Ragged] = []
    notes: list[str] = []
    places = 0
    for part in parts:
        factions = np.array([faction_codes[f] for f in part.factions] or [0], dtype=np.int64)
        cited = np.array([source_codes[s] for s in part.source_ids] or [0], dtype=np.int64)
        columns["place"].append(np.repeat(np.arange(places, places + part.place_count), np.diff(part.history)))
        for name in ("start", "end", "start_precision", "end_precision", "status"):
            columns[name].append(getattr(part, name))
        columns["controller"].append(factions[part.controller])
        columns["note"].append(part.note + len(notes))
        opponents.append(Ragged(part.opponents.offsets, factions[part.opponents.values]))
        sources.append(Ragged(part.sources.offsets, cited[part.sources.values]))
        notes.extend(part.notes)
        places += part.place_count
    joined = {name: _concatenated(arrays, name) for name, arrays in columns.items()}
    return PeriodTable.from_columns(
        **joined,
        opponents=_joined_ragged(opponents),
        sources=_joined_ragged(sources),
        faction_ids=_objects([*faction_ids, None]),
        source_ids=_objects(source_ids),
        notes=_objects(notes or [""]),
    )


def _concatenated(arrays: list[np.ndarray], name: str) -> np.ndarray:
    dtype = np.int8 if name.endswith("precision") else np.int64
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype=dtype)


def _joined_ragged(parts: list[Ragged]) -> Ragged:
    if not parts:
        return Ragged(np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64))
    shifts = np.cumsum([0] + [len(p.values) for p in parts[:-1]])
    offsets = np.concatenate(
        [np.zeros(1, dtype=np.int64)] + [p.offsets[1:] + s for p, s in zip(parts, shifts, strict=True)]
    )
    return Ragged(offsets, np.concatenate([p.values for p in parts]))


def _objects(values: Sequence[object]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array
