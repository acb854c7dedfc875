"""A compiled places file on disk: framed, checksummed, checked again when read, never trusted blindly.

The layout: a line naming the format and its version; the SHA-256 of everything after it; the length of a
JSON header; the header (what wrote the file, the places' fields, the vocabularies, where each array lies);
then the arrays' bytes. Whatever does not add up is refused with the reason, and the part is rebuilt.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import shapely

from controlmap.dates import PRECISIONS
from controlmap.model import STATUSES
from controlmap.packed import NO_CODE, Ragged
from controlmap.store._compile import PlacesPart

if TYPE_CHECKING:
    from numpy.typing import NDArray

FORMAT = 1
"""The layout's version; a file of another version is rebuilt."""
MAGIC = b"controlmap compiled places "
_FIRST_LINE = MAGIC + str(FORMAT).encode("ascii") + b"\n"
_DIGEST = 32
_ARRAYS: dict[str, str] = {
    "history": "<i8",
    "start": "<i8",
    "end": "<i8",
    "start_precision": "i1",
    "end_precision": "i1",
    "controller": "<i8",
    "status": "<i8",
    "opponents_offsets": "<i8",
    "opponents_values": "<i8",
    "sources_offsets": "<i8",
    "sources_values": "<i8",
    "note": "<i8",
    "wkb_offsets": "<i8",
    "wkb": "u1",
}
_PLACE_FIELDS = (
    "id", "name", "name_ar", "aliases", "kind", "country", "group", "note", "geometry_sources", "province",
    "admin", "category", "population", "population_source",
)  # fmt: skip


class PartError(Exception):
    """A part file that cannot be used; ``foreign`` when another version of controlmap wrote it."""

    def __init__(self, reason: str, *, foreign: bool = False) -> None:
        super().__init__(reason)
        self.foreign = foreign


def part_to_bytes(part: PlacesPart, *, code: str, source: str) -> bytes:
    """The file of a compiled places file; ``code`` names the code that compiled it, ``source`` its file's hash."""
    wkb = shapely.to_wkb(part.geometry)
    wkb_offsets = np.zeros(len(wkb) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in wkb], out=wkb_offsets[1:])
    arrays: dict[str, NDArray[Any]] = {
        "history": part.history,
        "start": part.start,
        "end": part.end,
        "start_precision": part.start_precision,
        "end_precision": part.end_precision,
        "controller": part.controller,
        "status": part.status,
        "opponents_offsets": part.opponents.offsets,
        "opponents_values": part.opponents.values,
        "sources_offsets": part.sources.offsets,
        "sources_values": part.sources.values,
        "note": part.note,
        "wkb_offsets": wkb_offsets,
        "wkb": np.frombuffer(b"".join(wkb), dtype=np.uint8),
    }
    layout: dict[str, list[int]] = {}
    chunks: list[bytes] = []
    offset = 0
    for name, dtype in _ARRAYS.items():
        data = np.ascontiguousarray(arrays[name], dtype=dtype).tobytes()
        layout[name] = [len(arrays[name]), offset]
        padding = -len(data) % 8
        chunks.append(data + b"\0" * padding)
        offset += len(data) + padding
    header = orjson.dumps(
        {
            "format": FORMAT,
            "code": code,
            "source": source,
            "places": {name: part.places[name] for name in _PLACE_FIELDS},
            "factions": part.factions,
            "source_ids": part.source_ids,
            "notes": part.notes,
            "arrays": layout,
        }
    )
    body = len(header).to_bytes(8, "little") + header + b"".join(chunks)
    return _FIRST_LINE + hashlib.sha256(body).digest() + body


def part_from_bytes(data: bytes, *, code: str, source: str) -> PlacesPart:
    """Read a part file back, checking everything.

    Raises
    ------
    PartError
        Saying why the file cannot be used.
    """
    if not data.startswith(MAGIC):
        raise PartError("it is not a compiled places file")
    if not data.startswith(_FIRST_LINE):
        raise PartError("it was written in another layout, by another version of controlmap", foreign=True)
    start = len(_FIRST_LINE)
    digest, body = data[start : start + _DIGEST], memoryview(data)[start + _DIGEST :]
    if len(digest) < _DIGEST or hashlib.sha256(body).digest() != digest:
        raise PartError("it is truncated or was changed: its checksum does not match")
    size = int.from_bytes(body[:8], "little")
    try:
        header = orjson.loads(body[8 : 8 + size])
    except orjson.JSONDecodeError as error:
        raise PartError(f"its header is not JSON ({error})") from None
    if header.get("format") != FORMAT or header.get("code") != code:
        raise PartError("it was written by another version of controlmap", foreign=True)
    if header.get("source") != source:
        raise PartError("it was compiled from other content than its name says")
    payload = body[8 + size :]
    try:
        return _part(header, payload)
    except (KeyError, TypeError, ValueError, IndexError, shapely.errors.GEOSException) as error:
        raise PartError(f"its content does not add up ({error})") from None


def _part(header: dict[str, Any], payload: memoryview) -> PlacesPart:
    arrays: dict[str, NDArray[Any]] = {}
    for name, dtype in _ARRAYS.items():
        length, offset = header["arrays"][name]
        width = np.dtype(dtype).itemsize
        if offset < 0 or length < 0 or offset + length * width > len(payload):
            raise ValueError(f"array {name} lies outside the file")
        arrays[name] = np.frombuffer(payload, dtype=dtype, count=length, offset=offset)
    places = {name: list(header["places"][name]) for name in _PLACE_FIELDS}
    count = len(places["id"])
    if any(len(values) != count for values in places.values()):
        raise ValueError("the places' fields differ in length")
    factions, source_ids, notes = list(header["factions"]), list(header["source_ids"]), list(header["notes"])
    history = _offsets(arrays["history"], count, None)
    rows = int(history[-1])
    for name in ("start", "end", "start_precision", "end_precision", "controller", "status", "note"):
        if len(arrays[name]) != rows:
            raise ValueError(f"{name} has {len(arrays[name])} rows, not {rows}")
    opponents = Ragged(
        _offsets(arrays["opponents_offsets"], rows, arrays["opponents_values"]), arrays["opponents_values"]
    )
    sources = Ragged(_offsets(arrays["sources_offsets"], rows, arrays["sources_values"]), arrays["sources_values"])
    _codes_within(arrays["controller"], len(factions), "controller")
    _codes_within(opponents.values, len(factions), "opponents")
    _codes_within(sources.values, len(source_ids), "sources")
    _codes_within(arrays["note"], len(notes), "note")
    _codes_within(arrays["status"], len(STATUSES), "status")
    _codes_within(arrays["start_precision"], len(PRECISIONS), "start_precision")
    _codes_within(arrays["end_precision"] + 1, len(PRECISIONS) + 1, "end_precision")
    if np.any((arrays["end_precision"] == NO_CODE) & (arrays["end"] != np.iinfo(np.int64).max)):
        raise ValueError("a closed period has no end precision")
    wkb_offsets = _offsets(arrays["wkb_offsets"], count, arrays["wkb"])
    blob = arrays["wkb"].tobytes()
    wkb = [blob[a:b] for a, b in zip(wkb_offsets[:-1].tolist(), wkb_offsets[1:].tolist(), strict=True)]
    geometry = shapely.from_wkb(np.array(wkb, dtype=object)) if wkb else np.empty(0, dtype=object)
    if count and (shapely.is_missing(geometry).any() or shapely.is_empty(geometry).any()):
        raise ValueError("a place has no geometry")
    return PlacesPart(
        places=places,
        geometry=geometry,
        history=history,
        start=arrays["start"],
        end=arrays["end"],
        start_precision=arrays["start_precision"],
        end_precision=arrays["end_precision"],
        controller=arrays["controller"],
        status=arrays["status"],
        opponents=opponents,
        sources=sources,
        note=arrays["note"],
        factions=factions,
        source_ids=source_ids,
        notes=notes,
    )


def _offsets(offsets: NDArray[np.int64], rows: int, values: NDArray[Any] | None) -> NDArray[np.int64]:
    """Offsets checked: ``rows + 1`` of them, from 0, never decreasing, ending at the values' length."""
    if len(offsets) != rows + 1 or offsets[0] != 0 or np.any(np.diff(offsets) < 0):
        raise ValueError("offsets out of order")
    if values is not None and offsets[-1] != len(values):
        raise ValueError("offsets past their values")
    return offsets


def _codes_within(codes: NDArray[Any], size: int, name: str) -> None:
    if len(codes) and (codes.min() < 0 or codes.max() >= size):
        raise ValueError(f"a {name} code is out of range")
