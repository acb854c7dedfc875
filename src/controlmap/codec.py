"""Conversion between parsed geodata documents and the data model, both ways (pure)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any, cast

import orjson
import shapely.geometry

from controlmap.model import Dataset, Faction, Palette, Period, Place, Source

if TYPE_CHECKING:
    from collections.abc import Sequence

    from controlmap.dates import Precision
    from controlmap.model import PlaceKind, Status
    from controlmap.validate import DatasetDocuments


def dataset_from_documents(documents: DatasetDocuments) -> Dataset:
    """Build the dataset from documents that `validate_documents` found valid."""
    places = [place_from_feature(feature) for document in documents.places for feature in document.content["features"]]
    return dataset_with_places(documents, places)


def dataset_with_places(documents: DatasetDocuments, places: Sequence[Place]) -> Dataset:
    """The dataset of valid documents' title, range, factions and sources, with these places."""
    meta = documents.dataset.content
    factions_doc = documents.factions.content
    return Dataset(
        title=meta.get("title", "controlmap"),
        description=meta.get("description", ""),
        coverage_start=dt.date.fromisoformat(meta["coverage"]["start"]),
        coverage_end=dt.date.fromisoformat(meta["coverage"]["end"]),
        default_date=dt.date.fromisoformat(meta["default_date"]) if meta.get("default_date") else None,
        places=tuple(places),
        factions=tuple(
            Faction(
                id=f["id"],
                label=f["label"],
                short_label=f["short_label"],
                colours=dict(f["colours"]),
                description=f.get("description", ""),
            )
            for f in factions_doc["factions"]
        ),
        palettes=tuple(Palette(id=p["id"], label=p["label"], note=p.get("note", "")) for p in factions_doc["palettes"]),
        unknown_colours=dict(factions_doc["unknown"]),
        sources={s["id"]: source_from_entry(s) for s in documents.sources.content["sources"]},
    )


def source_from_entry(entry: dict[str, Any]) -> Source:
    """A source from its registry entry."""
    published = entry.get("published")
    return Source(
        id=entry["id"],
        title=entry["title"],
        outlet=entry["outlet"],
        published=None if published is None else dt.date.fromisoformat(published),
        url=entry.get("url"),
        note=entry.get("note", ""),
    )


def place_from_feature(feature: dict[str, Any]) -> Place:
    """A place from its GeoJSON feature."""
    props = feature["properties"]
    return Place(
        id=feature["id"],
        name=props["name"],
        name_ar=props.get("name_ar", ""),
        aliases=tuple(props.get("aliases", ())),
        kind=cast("PlaceKind", props["kind"]),
        country=props["country"],
        group=props.get("group"),
        note=props.get("note", ""),
        geometry_sources=tuple(props.get("geometry_sources", ())),
        province=props.get("province", ""),
        admin=props.get("admin", ""),
        category=props.get("category", ""),
        population=props.get("population"),
        population_source=props.get("population_source", ""),
        geometry=shapely.geometry.shape(feature["geometry"]),
        history=tuple(period_from_entry(p) for p in props["history"]),
    )


def period_from_entry(entry: dict[str, Any]) -> Period:
    """A period from its entry in a place's history."""
    return Period(
        start=dt.date.fromisoformat(entry["start"]),
        start_precision=cast("Precision", entry["start_precision"]),
        end=None if entry["end"] is None else dt.date.fromisoformat(entry["end"]),
        end_precision=cast("Precision | None", entry["end_precision"]),
        controller=entry["controller"],
        status=cast("Status", entry["status"]),
        opponents=tuple(entry.get("opponents", ())),
        sources=tuple(entry["sources"]),
        note=entry.get("note", ""),
    )


def period_to_entry(period: Period) -> dict[str, Any]:
    """A period's entry, keys in the file's order."""
    entry: dict[str, Any] = {
        "start": period.start.isoformat(),
        "start_precision": period.start_precision,
        "end": None if period.end is None else period.end.isoformat(),
        "end_precision": period.end_precision,
        "controller": period.controller,
        "status": period.status,
        "opponents": list(period.opponents),
        "sources": list(period.sources),
    }
    if period.note:
        entry["note"] = period.note
    return entry


def place_to_feature(place: Place) -> dict[str, Any]:
    """A place as its GeoJSON feature, keys in the file's order."""
    props: dict[str, Any] = {"name": place.name}
    if place.name_ar:
        props["name_ar"] = place.name_ar
    if place.aliases:
        props["aliases"] = list(place.aliases)
    props["kind"] = place.kind
    props["country"] = place.country
    for key in ("province", "admin", "category"):
        if getattr(place, key):
            props[key] = getattr(place, key)
    if place.population is not None:
        props["population"] = place.population
        props["population_source"] = place.population_source
    if place.group:
        props["group"] = place.group
    if place.note:
        props["note"] = place.note
    if place.geometry_sources:
        props["geometry_sources"] = list(place.geometry_sources)
    props["history"] = [period_to_entry(p) for p in place.history]
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": shapely.geometry.mapping(place.geometry),
        "properties": props,
    }


def places_to_document(places: list[Place] | tuple[Place, ...]) -> dict[str, Any]:
    """A places file: a FeatureCollection of the places sorted by id."""
    return {"type": "FeatureCollection", "features": [place_to_feature(p) for p in sorted(places, key=lambda p: p.id)]}


def document_to_text(document: dict[str, Any]) -> str:
    """JSON text in the house format: two-space indent, UTF-8 kept readable, keys as given, final newline.

    Coordinates are written as plain lists so that a diff shows the one that moved.
    """
    return json.dumps(_plain(document), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def document_to_bytes(document: dict[str, Any]) -> bytes:
    """`document_to_text` as UTF-8 bytes, written by orjson: the same text, made many times faster.

    For exports of many places; the data files themselves are written by `document_to_text`.
    """
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
