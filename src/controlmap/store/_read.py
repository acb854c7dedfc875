"""Reading a geodata file's bytes and parsing its JSON, recording (not raising) what is wrong with it."""

from __future__ import annotations

import contextlib
import gc
import json
from typing import TYPE_CHECKING, Any

import orjson

from controlmap.errors import Problem

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

DATASET_FILE = "dataset.json"
FACTIONS_FILE = "factions.json"
SOURCES_FILE = "sources.json"
COUNTRIES_FILE = "basemap/countries.geojson"
"""The basemap's countries, when a dataset has them: places are checked against their outlines."""
PLACES_DIR = "places"
PLACES_SUFFIX = ".geojson"
MAX_FILE_BYTES = 50_000_000
"""Larger geodata files are refused unread: hand-edited data is far smaller, and this keeps memory bounded."""


def read_bytes(path: Path, problems: list[Problem]) -> bytes | None:
    """A file's bytes, or None with the reason recorded when it cannot be read."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(name, f"file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB"))
            return None
        return path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(name, "file not found"))
    except IsADirectoryError:
        problems.append(Problem(name, "is a directory, not a file"))
    except OSError as error:
        problems.append(Problem(name, f"cannot read: {error.strerror or error}"))
    return None


def parse_json(raw: bytes, name: str, problems: list[Problem]) -> Any:
    """The JSON value of a file's bytes, or None with the reason recorded.

    orjson parses; when it refuses, the standard library parses again, so that a broken file is explained
    in the usual words (line and column) and a file that only orjson refuses (an integer too large for
    it) still reads.
    """
    with contextlib.suppress(orjson.JSONDecodeError), gc_paused():
        return orjson.loads(raw)
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


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Hold the cycle collector while many containers are made at once, then let it run again.

    Parsing a 20 MB places file makes about a million dicts and lists; the collector, triggered by every
    700 of them, would walk them all again and again (three times the parse itself). Nothing made here
    forms a cycle, so nothing is left for it to find.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
