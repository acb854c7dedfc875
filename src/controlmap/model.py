"""The data model: places, their histories of periods, factions and sources (pure)."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import shapely

from controlmap.errors import PlaceNotFoundError

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from shapely.geometry.base import BaseGeometry

    from controlmap.dates import Precision

Status = Literal["controlled", "contested", "besieged"]
STATUSES: tuple[Status, ...] = ("controlled", "contested", "besieged")
UNKNOWN = "unknown"
"""The status of a place at a date that no period covers."""

PlaceKind = Literal["city", "town", "village", "landmark", "infrastructure", "river", "region"]
POINT_KINDS: frozenset[str] = frozenset({"city", "town", "village", "landmark", "infrastructure"})
Bounds = tuple[float, float, float, float]
"""``(west, south, east, north)`` in degrees, the order of shapely's ``bounds`` and GeoJSON's ``bbox``."""
REGION_BOUNDS: Bounds = (34.0, 29.0, 49.5, 38.5)
"""Iraq and Syria with a margin: coordinates outside are errors, and a map with no places shows this box."""
GEOMETRY_TYPES_BY_KIND: dict[str, frozenset[str]] = {
    **{kind: frozenset({"Point"}) for kind in POINT_KINDS},
    "river": frozenset({"LineString", "MultiLineString"}),
    "region": frozenset({"Polygon", "MultiPolygon"}),
}


@dataclass(frozen=True)
class Palette:
    """A named set of faction colours (``default``, ``colorblind``)."""

    id: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class Faction:
    """Someone who can hold a place, with one colour per palette."""

    id: str
    label: str
    short_label: str
    colours: dict[str, str]
    description: str = ""


@dataclass(frozen=True)
class Source:
    """A reference that periods cite."""

    id: str
    title: str
    outlet: str
    published: dt.date | None
    url: str | None
    note: str = ""

    def citation(self) -> str:
        """The source as a one-line citation: title, outlet, date."""
        parts = [self.title, self.outlet]
        if self.published is not None:
            parts.append(self.published.isoformat())
        return ", ".join(parts)


@dataclass(frozen=True)
class Period:
    """Who held a place from ``start`` (included) to ``end`` (excluded; None: past the data's end)."""

    start: dt.date
    start_precision: Precision
    end: dt.date | None
    end_precision: Precision | None
    controller: str
    status: Status
    sources: tuple[str, ...]
    opponents: tuple[str, ...] = ()
    note: str = ""

    def covers(self, day: dt.date) -> bool:
        """Whether the period holds on ``day``."""
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Place:
    """A place on the map: a geometry and a history of periods in date order."""

    id: str
    name: str
    kind: PlaceKind
    country: str
    geometry: BaseGeometry
    history: tuple[Period, ...]
    name_ar: str = ""
    aliases: tuple[str, ...] = ()
    group: str | None = None
    note: str = ""
    geometry_sources: tuple[str, ...] = ()
    province: str = ""
    admin: str = ""
    category: str = ""
    population: int | None = None
    population_source: str = ""

    @classmethod
    def with_history_from(cls, make_history: Callable[[], Iterable[Period]], **fields: Any) -> Place:
        """A place whose history ``make_history`` makes when it is first read (a compiled store's places).

        Parameters
        ----------
        make_history
            Returns the periods in date order.
        fields
            Every other field; those left out take their defaults.
        """
        place = object.__new__(cls)
        values = place.__dict__
        values.update(_PLACE_DEFAULTS)
        values.update(fields)
        values["_make_history"] = make_history
        return place

    @classmethod
    def many_with_history_from(
        cls, make_histories: Iterable[Callable[[], Iterable[Period]]], fields: Mapping[str, Sequence[Any]]
    ) -> list[Place]:
        """Places made as by `with_history_from`, many at once: ``fields`` holds a sequence per field name."""
        names = list(fields)
        new = object.__new__
        places = []
        for make, values in zip(make_histories, zip(*fields.values(), strict=True), strict=True):
            place = new(cls)
            state = place.__dict__
            state.update(_PLACE_DEFAULTS)
            state.update(zip(names, values, strict=True))
            state["_make_history"] = make
            places.append(place)
        return places

    if not TYPE_CHECKING:  # hidden from the type checker, which would otherwise accept any attribute

        def __getattr__(self, name: str) -> Any:
            # Reached only for an attribute that is not set: the history of a place made by
            # `with_history_from`, made on first use and then kept like any field.
            make = self.__dict__.get("_make_history") if name == "history" else None
            if make is None:
                msg = f"{type(self).__name__!r} object has no attribute {name!r}"
                raise AttributeError(msg)
            history = tuple(make())
            object.__setattr__(self, "history", history)
            del self.__dict__["_make_history"]
            return history

    @property
    def all_names(self) -> tuple[str, ...]:
        """The name, the Arabic name and the aliases."""
        names = [self.name, *([self.name_ar] if self.name_ar else []), *self.aliases]
        return tuple(names)


_PLACE_DEFAULTS: dict[str, object] = {f.name: f.default for f in fields(Place) if f.default is not MISSING}


@dataclass(frozen=True)
class Dataset:
    """Everything the map shows: places, factions, palettes, sources and the covered date range."""

    title: str
    coverage_start: dt.date
    coverage_end: dt.date
    places: tuple[Place, ...]
    factions: tuple[Faction, ...]
    palettes: tuple[Palette, ...]
    unknown_colours: dict[str, str]
    sources: dict[str, Source] = field(default_factory=dict)
    description: str = ""
    default_date: dt.date | None = None
    """The date a map of the data opens at, when the data names one (``dataset.json``)."""
    # Derived, read-only tables (period arrays, change events) built once per dataset by the queries.
    cache: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def _place_index(self) -> dict[str, int]:
        return {place.id: i for i, place in enumerate(self.places)}

    @cached_property
    def _faction_index(self) -> dict[str, Faction]:
        return {faction.id: faction for faction in self.factions}

    def place(self, place_id: str) -> Place:
        """The place with this id.

        Raises
        ------
        PlaceNotFoundError
            When no place has this id.
        """
        try:
            return self.places[self._place_index[place_id]]
        except KeyError:
            msg = f"no place with id {place_id!r}; known ids: {', '.join(sorted(self._place_index))}"
            raise PlaceNotFoundError(msg) from None

    def place_position(self, place_id: str) -> int:
        """The index of a place in ``places``."""
        self.place(place_id)
        return self._place_index[place_id]

    def faction(self, faction_id: str) -> Faction:
        """The faction with this id (KeyError when unknown)."""
        return self._faction_index[faction_id]

    def source(self, source_id: str) -> Source:
        """The source with this id (KeyError when unknown)."""
        return self.sources[source_id]


def places_bounds(places: Sequence[Place]) -> Bounds:
    """The box around the places' geometries; `REGION_BOUNDS` when there are none."""
    if not places:
        return REGION_BOUNDS
    west, south, east, north = shapely.total_bounds([place.geometry for place in places])
    return float(west), float(south), float(east), float(north)
