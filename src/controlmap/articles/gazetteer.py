"""An offline gazetteer: the project's places, their groups, GeoNames towns and basemap rivers (pure).

`geocode` ranks every entry whose name matches, exactly or nearly, and returns them all with scores:
an ambiguous name is ranked by the country asked for and by the places around it, never silently
resolved to one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import shapely
import shapely.geometry
from rapidfuzz import fuzz, process

from controlmap.articles.names import compact_key, name_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from controlmap.model import Dataset, Place

Origin = Literal["project", "group", "geonames", "basemap"]
FUZZY_CUTOFF = 86.0
"""Lowest rapidfuzz ratio (0-100) of two name keys that still counts as a spelling of the same name."""
NEAR_KM = 150.0
"""Places this close to the others an article names get the full proximity bonus."""
DUPLICATE_KM = 15.0
"""A GeoNames town this close to a project place of the same name is that place, not another candidate."""
_ORIGIN_RANK = {"group": 0, "project": 1, "basemap": 2, "geonames": 3}
# "the Khabur" is the Khabur River; but "Manbij" is the town, not the Manbij pocket, so regions keep their names.
_GENERIC_SUFFIXES = {"river": ("river",)}


@dataclass(frozen=True)
class GazetteerEntry:
    """Something a name can refer to.

    Parameters
    ----------
    id
        The project's place id or group id, ``geonames:<id>`` or ``basemap:<slug>``.
    name
        The usual name.
    kind
        The project's kinds (``city``, ``river``, ...), ``populated place`` for GeoNames towns.
    country
        ISO 3166-1 alpha-2 code, or None when the entry crosses borders.
    lon, lat
        A representative point (WGS84).
    origin
        Where the entry comes from.
    names
        Every name and spelling it is known by.
    population
        GeoNames' population, 0 when unknown.
    members
        The place ids of a group.
    """

    id: str
    name: str
    kind: str
    country: str | None
    lon: float
    lat: float
    origin: Origin
    names: tuple[str, ...]
    population: int = 0
    members: tuple[str, ...] = ()

    @property
    def is_project(self) -> bool:
        """Whether the entry is one of the project's places or groups (it has a control history)."""
        return self.origin in ("project", "group")


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a name may refer to, with its score (0-1) and why."""

    entry: GazetteerEntry
    score: float
    matched: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class GeoContext:
    """What an article says about where it is: countries it names and places it has resolved.

    Parameters
    ----------
    countries
        Country code to weight (the share of country mentions, 0-1).
    anchors
        (lon, lat) of places already resolved without ambiguity.
    """

    countries: dict[str, float] = field(default_factory=dict)
    anchors: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    """Entries indexed by normalised name."""

    entries: tuple[GazetteerEntry, ...]

    @cached_property
    def _index(self) -> dict[str, list[tuple[int, str]]]:
        index: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for position, entry in enumerate(self.entries):
            for name in entry.names:
                for key in {name_key(name), compact_key(name)}:
                    if key and (position, name) not in index[key]:
                        index[key].append((position, name))
        return dict(index)

    @cached_property
    def _keys(self) -> list[str]:
        return sorted(self._index)

    @cached_property
    def _by_id(self) -> dict[str, GazetteerEntry]:
        return {entry.id: entry for entry in self.entries}

    def entry(self, entry_id: str) -> GazetteerEntry | None:
        """The entry with this id, or None."""
        return self._by_id.get(entry_id)

    def exact(self, name: str) -> list[tuple[GazetteerEntry, str]]:
        """Entries with a name whose key is the key of ``name``, with the name that matched."""
        hits = self._index.get(name_key(name), []) or self._index.get(compact_key(name), [])
        return [(self.entries[position], matched) for position, matched in hits]

    def fuzzy(self, name: str, *, cutoff: float = FUZZY_CUTOFF) -> list[tuple[GazetteerEntry, str, float]]:
        """Entries with a name whose key is close to the key of ``name``: (entry, name matched, ratio 0-100)."""
        key = name_key(name)
        if len(key) < 4:
            return []
        found: dict[int, tuple[str, float]] = {}
        for matched_key, ratio, _ in process.extract(key, self._keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=25):
            for position, matched in self._index[matched_key]:
                if ratio > found.get(position, ("", -1.0))[1]:
                    found[position] = (matched, float(ratio))
        return [(self.entries[p], matched, ratio) for p, (matched, ratio) in found.items()]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def geocode(
    gazetteer: Gazetteer,
    name: str,
    *,
    country: str | None = None,
    context: GeoContext | None = None,
    fuzzy: bool = True,
    limit: int = 10,
) -> list[Candidate]:
    """Every entry a name may refer to, best first, with scores.

    Parameters
    ----------
    gazetteer
        Where to look.
    name
        The name as written (any transliteration, or Arabic script).
    country
        ``IQ`` or ``SY`` (any ISO code): prefer entries in that country.
    context
        The countries and resolved places of the article the name comes from.
    fuzzy
        Also consider near spellings (rapidfuzz ratio of the keys >= `FUZZY_CUTOFF`).
    limit
        At most this many candidates.

    Returns
    -------
    The candidates, best first; empty when nothing matches.
    """
    context = context or GeoContext()
    quality: dict[str, tuple[GazetteerEntry, str, float, str]] = {}
    for entry, matched in gazetteer.exact(name):
        how = "exact name" if name_key(matched) == name_key(name) else "same name without spaces"
        value = 1.0 if how == "exact name" else 0.97
        held = quality.get(entry.id)
        # Of an entry's spellings with this key, report the one closest to what was asked.
        if held is None or (held[2], _likeness(name, matched)) > (held[2], _likeness(name, held[1])):
            quality[entry.id] = (entry, matched, value, how)
    if fuzzy:
        for entry, matched, ratio in gazetteer.fuzzy(name):
            value = 0.9 * ratio / 100.0
            if value > quality.get(entry.id, (entry, "", 0.0, ""))[2]:
                quality[entry.id] = (entry, matched, value, f"similar spelling ({ratio:.0f}%)")
    candidates = [
        _scored(entry, matched, value, how, country=country, context=context)
        for entry, matched, value, how in quality.values()
    ]
    # On a tie a group comes before its parts: "the Khabur" is the whole river.
    candidates.sort(key=lambda c: (-c.score, _ORIGIN_RANK[c.entry.origin], -c.entry.population, c.entry.id))
    return candidates[:limit]


def _likeness(asked: str, written: str) -> float:
    return float(fuzz.ratio(asked.casefold(), written.casefold()))


def _scored(
    entry: GazetteerEntry, matched: str, match: float, how: str, *, country: str | None, context: GeoContext
) -> Candidate:
    reasons = [f"{how}: {matched!r}"]
    if entry.is_project:
        prior = 1.0
        reasons.append("a place of the project")
    elif entry.origin == "basemap":
        prior = 0.7
    else:
        prior = min(1.0, math.log10(entry.population + 10) / 6.5)
        reasons.append(f"GeoNames, population {entry.population:,}")
    if country is not None:
        in_country = 1.0 if entry.country == country.upper() else 0.0
        if in_country:
            reasons.append(f"in {country.upper()}")
    elif context.countries and entry.country is not None:
        in_country = 0.3 + 0.7 * context.countries.get(entry.country, 0.0)
    else:
        in_country = 0.5
    proximity = 0.5
    if context.anchors:
        nearest = min(distance_km((entry.lon, entry.lat), anchor) for anchor in context.anchors)
        proximity = 1.0 if nearest <= NEAR_KM else max(0.0, 1.0 - (nearest - NEAR_KM) / 600.0)
        if nearest <= NEAR_KM:
            reasons.append(f"{nearest:.0f} km from another place in the text")
    score = 0.6 * match + 0.15 * prior + 0.15 * in_country + 0.1 * proximity
    return Candidate(entry=entry, score=round(score, 4), matched=matched, reasons=tuple(reasons))


def _with_generic_names(names: Iterable[str], kind: str) -> tuple[str, ...]:
    out = [n for n in names if n]
    for suffix in _GENERIC_SUFFIXES.get(kind, ()):
        for name in list(out):
            words = name.split()
            if words and words[-1].casefold() == suffix and len(words) > 1:
                out.append(" ".join(words[:-1]))
            elif not name_key(name).endswith(suffix):
                out.append(f"{name} {suffix.title() if suffix == 'river' else suffix}")
    if kind == "river":
        out.extend(f"River {n}" for n in list(out) if not n.casefold().endswith("river"))
    return tuple(dict.fromkeys(out))


def entries_from_dataset(dataset: Dataset) -> list[GazetteerEntry]:
    """The project's places, and one entry for each group of places."""
    entries = []
    groups: dict[str, list[Place]] = defaultdict(list)
    for place in dataset.places:
        point = place.geometry.representative_point()
        entries.append(
            GazetteerEntry(
                id=place.id,
                name=place.name,
                kind=place.kind,
                country=place.country,
                lon=round(point.x, 4),
                lat=round(point.y, 4),
                origin="project",
                # A part of a group (a reach of a river) leaves "Khabur River" to its group.
                names=place.all_names if place.group else _with_generic_names(place.all_names, place.kind),
            )
        )
        if place.group:
            groups[place.group].append(place)
    for group, members in sorted(groups.items()):
        entries.append(_group_entry(group, members))
    return entries


def _group_entry(group: str, members: Sequence[Place]) -> GazetteerEntry:
    point = shapely.union_all([m.geometry for m in members]).representative_point()
    kinds = {m.kind for m in members}
    kind = kinds.pop() if len(kinds) == 1 else "region"
    countries = {m.country for m in members}
    words = group.replace("-", " ").replace("_", " ")
    prefix = _common_prefix([m.name for m in members])
    shared = set.intersection(*(set(m.aliases) for m in members)) if len(members) > 1 else set()
    names = [words, *([prefix] if len(prefix) >= 4 else []), *sorted(shared)]
    return GazetteerEntry(
        id=group,
        name=prefix if len(prefix) >= 4 else words.title(),
        kind=kind,
        country=countries.pop() if len(countries) == 1 else None,
        lon=round(point.x, 4),
        lat=round(point.y, 4),
        origin="group",
        names=_with_generic_names(names, kind),
        members=tuple(m.id for m in members),
    )


def _common_prefix(names: Sequence[str]) -> str:
    if len(names) < 2:
        return ""
    words = [n.split() for n in names]
    common = []
    for column in zip(*words, strict=False):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    return " ".join(common).strip(" ,(-\u2013\u2014:")


def entries_from_geonames(
    rows: Iterable[Sequence[Any]], *, project: Sequence[GazetteerEntry] = ()
) -> list[GazetteerEntry]:
    """GeoNames populated places, less those that are one of the project's places.

    Parameters
    ----------
    rows
        ``[geonameid, name, country, lon, lat, population, [alternate names]]``.
    project
        The project's entries; a town within `DUPLICATE_KM` of one with the same name is left out.
    """
    by_key: dict[str, list[GazetteerEntry]] = defaultdict(list)
    for entry in project:
        for name in entry.names:
            by_key[name_key(name)].append(entry)
    entries = []
    for geonameid, name, country, lon, lat, population, alternates in rows:
        names = (name, *alternates)
        same = {e.id: e for n in names for e in by_key.get(name_key(n), [])}
        if any(distance_km((lon, lat), (e.lon, e.lat)) <= DUPLICATE_KM for e in same.values()):
            continue
        entries.append(
            GazetteerEntry(
                id=f"geonames:{geonameid}",
                name=name,
                kind="populated place",
                country=country,
                lon=float(lon),
                lat=float(lat),
                origin="geonames",
                names=tuple(names),
                population=int(population),
            )
        )
    return entries


def entries_from_basemap(
    layer: dict[str, Any], *, project: Sequence[GazetteerEntry] = (), kind: str = "river"
) -> list[GazetteerEntry]:
    """The basemap's named rivers (or lakes) that the project has no place for (the Tigris, Lake Assad)."""
    known = {name_key(n) for e in project for n in e.names}
    entries = []
    for feature in layer.get("features", []):
        name = (feature.get("properties") or {}).get("name")
        if not name or name_key(name) in known:
            continue
        point = shapely.geometry.shape(feature["geometry"]).representative_point()
        entries.append(
            GazetteerEntry(
                id=f"basemap:{name_key(name).replace(' ', '-')}",
                name=name,
                kind=kind,
                country=None,
                lon=round(point.x, 4),
                lat=round(point.y, 4),
                origin="basemap",
                names=_with_generic_names([name], kind),
            )
        )
    return entries


def gazetteer_from_sources(
    dataset: Dataset | None,
    *,
    geonames: Iterable[Sequence[Any]] = (),
    rivers: dict[str, Any] | None = None,
    lakes: dict[str, Any] | None = None,
) -> Gazetteer:
    """The gazetteer of a dataset, GeoNames rows and basemap rivers and lakes.

    Parameters
    ----------
    dataset
        The project's places (None: none).
    geonames
        GeoNames rows (see `entries_from_geonames`).
    rivers
        The basemap's rivers FeatureCollection.
    """
    project = entries_from_dataset(dataset) if dataset is not None else []
    return Gazetteer(
        entries=(
            *project,
            *entries_from_basemap(rivers or {}, project=project),
            *entries_from_basemap(lakes or {}, project=project, kind="lake"),
            *entries_from_geonames(geonames, project=project),
        )
    )
