"""Saving reviewed claims into a geodata directory: a pure plan, then one atomic write of every file.

The plan (`plan_ingest`) merges, validates and gives each file's new text, touching nothing. Nothing is written
unless the whole result validates; each file is replaced atomically with the previous version kept as
``<name>.bak``, and if a write fails the files already replaced are put back
(`controlmap._fs.write_files_atomic`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely.geometry

from controlmap._fs import write_files_atomic
from controlmap.articles.merge import ClaimChange, Outcome, merge_changes
from controlmap.codec import (
    dataset_from_documents,
    document_to_text,
    place_from_feature,
    places_to_document,
)
from controlmap.errors import DataError, Problem, ReviewError
from controlmap.io import PLACES_DIR, PLACES_SUFFIX, valid_documents
from controlmap.model import Place, Source
from controlmap.records import source_to_entry
from controlmap.validate import DatasetDocuments, Document, validate_documents

if TYPE_CHECKING:
    from controlmap.articles.review import Review, ReviewClaim
    from controlmap.model import Dataset, PlaceKind

SOURCE_NOTE = "Claims read from this article and accepted in review (controlmap ingest)."


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did (or, for a dry run, would do)."""

    outcomes: tuple[Outcome, ...]
    written: tuple[Path, ...] = ()
    source_added: bool = False
    not_accepted: tuple[str, ...] = ()
    new_places: tuple[str, ...] = field(default=())

    @property
    def conflicts(self) -> tuple[Outcome, ...]:
        """The claims that contradict the data and were not applied."""
        return tuple(o for o in self.outcomes if o.action == "conflict")

    @property
    def changed(self) -> bool:
        """Whether anything in the data changed."""
        return any(o.action in ("applied", "forced", "agrees") for o in self.outcomes)


def _changes(
    review: Review, dataset: Dataset, *, apply_conflicts: bool
) -> tuple[list[tuple[str, ClaimChange]], dict[str, Place], list[str]]:
    """The (place id, change) pairs of the accepted claims, the new places they need, and every problem."""
    problems: list[str] = []
    known = {p.id: p for p in dataset.places}
    groups: dict[str, list[str]] = {}
    for place in dataset.places:
        if place.group:
            groups.setdefault(place.group, []).append(place.id)
    factions = {f.id for f in dataset.factions}
    new_places: dict[str, Place] = {}
    pairs: list[tuple[str, ClaimChange]] = []
    for claim in review.accepted:
        where = f"claim {claim.id}"
        ids = _place_ids(claim, known=known, groups=groups, new_places=new_places, problems=problems, where=where)
        for field_name, faction in (("controller", claim.controller), *(("opponents", o) for o in claim.opponents)):
            if faction not in factions:
                problems.append(
                    f"{where}: {field_name}: unknown faction {faction!r}; known: {', '.join(sorted(factions))}"
                )
        problems.extend(f"{where}: {p}" for p in _dates_outside(claim, dataset))
        change = _change(claim, review, apply_conflicts=apply_conflicts)
        pairs.extend((place_id, change) for place_id in ids)
    return pairs, new_places, problems


def _place_ids(
    claim: ReviewClaim,
    *,
    known: dict[str, Place],
    groups: dict[str, list[str]],
    new_places: dict[str, Place],
    problems: list[str],
    where: str,
) -> list[str]:
    if claim.place_id is not None:
        if claim.place_id in known:
            return [claim.place_id]
        if claim.place_id in groups:
            return sorted(groups[claim.place_id])
        problems.append(f"{where}: place.id: no place or group with id {claim.place_id!r}")
        return []
    new = claim.new_place
    if new is None:
        problems.append(f"{where}: place: no place chosen")
        return []
    if new.id in known or new.id in groups:
        problems.append(f"{where}: place.new_place.id: {new.id!r} is already taken; set place.id to use that place")
        return []
    if new.id not in new_places:
        new_places[new.id] = Place(
            id=new.id,
            name=new.name,
            kind=_point_kind(new.kind),
            country=new.country,
            geometry=shapely.geometry.Point(round(new.lon, 4), round(new.lat, 4)),
            history=(),
            aliases=new.aliases,
            note=new.note,
        )
    return [new.id]


def _dates_outside(claim: ReviewClaim, dataset: Dataset) -> list[str]:
    """The claim's dates that fall outside the range the data covers, one line each naming the field."""
    first, last = dataset.coverage_start, dataset.coverage_end
    return [
        f"date.{name}: {day.isoformat()} is outside the data's range {first.isoformat()} to {last.isoformat()}"
        for name, day in (("start", claim.start), ("end", claim.end))
        if day is not None and not first <= day <= last
    ]


def _point_kind(kind: str) -> PlaceKind:
    return (
        "city"
        if kind == "city"
        else "landmark"
        if kind == "landmark"
        else "infrastructure"
        if (kind == "infrastructure")
        else "town"
    )


def _change(claim: ReviewClaim, review: Review, *, apply_conflicts: bool) -> ClaimChange:
    if claim.relation == "before" and claim.end is not None:
        # Undated past event: all the article vouches for is the state on its date.
        day, precision, kind = claim.end, "day", "holds"
    else:
        assert claim.start is not None
        day, precision, kind = claim.start, claim.precision, claim.kind
    return ClaimChange(
        claim_id=claim.id,
        controller=claim.controller,
        status=claim.status,
        opponents=claim.opponents,
        kind=kind,  # type: ignore[arg-type]
        day=day,
        precision=precision,  # type: ignore[arg-type]
        source_id=review.source_id,
        published=review.published,
        apply_conflict=claim.apply_conflict or apply_conflicts,
    )


def _source_entries(review: Review, dataset: Dataset, content: Any, problems: list[str]) -> tuple[list[Any], bool]:
    entries = list(content["sources"])
    existing = dataset.sources.get(review.source_id)
    if existing is not None:
        if (existing.title, existing.url) != (review.title, review.url):
            problems.append(
                f"source id {review.source_id!r} is already used by {existing.citation()!r}; "
                "change article.source_id in the review file"
            )
        return entries, False
    source = Source(
        id=review.source_id,
        title=review.title,
        outlet=review.outlet,
        published=review.published,
        url=review.url,
        note=SOURCE_NOTE,
    )
    entries.append(source_to_entry(source))
    entries.sort(key=lambda e: e["id"])
    return entries, True


@dataclass(frozen=True)
class IngestPlan:
    """What an ingest will do: the outcome of each claim and the files to write, in order (nothing written yet)."""

    report: IngestReport
    files: tuple[tuple[Path, str], ...] = ()
    """(path, new text): the source registry first, so a kill between two files never leaves a period citing a
    source the registry does not have yet."""


def plan_ingest(review: Review, documents: DatasetDocuments, *, apply_conflicts: bool = False) -> IngestPlan:
    """Merge a review's accepted claims into a dataset's documents, in memory (pure: reads and writes nothing).

    Parameters
    ----------
    review
        The parsed review file.
    documents
        The dataset's documents, valid (`controlmap.io.valid_documents`); their names are the files' paths.
    apply_conflicts
        Apply claims that contradict the data too (otherwise only those marked ``apply_conflict``).

    Raises
    ------
    DataError
        The result would not be valid.
    ReviewError
        Accepted claims that cannot be saved (unknown place or faction, taken ids).
    """
    directory = Path(documents.dataset.name).parent
    dataset = dataset_from_documents(documents)
    pairs, new_places, review_problems = _changes(review, dataset, apply_conflicts=apply_conflicts)
    not_accepted = tuple(f"{c.id} ({c.decision})" for c in review.claims if c.decision != "accepted")
    places = {p.id: p for p in dataset.places} | new_places
    merged, outcomes = merge_changes(places, pairs)
    source_entries, source_added = _source_entries(review, dataset, documents.sources.content, review_problems)
    if review_problems:
        raise ReviewError("review", review_problems)
    touched = {o.place_id for o in outcomes if o.action in ("applied", "forced", "agrees")}
    if not touched:
        return IngestPlan(IngestReport(tuple(outcomes), (), False, not_accepted, tuple(sorted(new_places))))
    new_documents, paths = _new_documents(directory, documents, merged, touched, new_places)
    if source_added:
        new_documents.sources = Document(
            documents.sources.name, {**documents.sources.content, "sources": source_entries}
        )
        paths.insert(0, Path(documents.sources.name))
    result_problems = validate_documents(new_documents)
    if result_problems:
        head = Problem(str(directory), "the merged data would not be valid, so nothing was written:")
        raise DataError([head, *result_problems])
    contents = {Path(d.name): d.content for d in [new_documents.sources, *new_documents.places]}
    report = IngestReport(tuple(outcomes), tuple(paths), source_added, not_accepted, tuple(sorted(new_places)))
    return IngestPlan(report, tuple((path, document_to_text(contents[path])) for path in paths))


def ingest_review(
    review: Review, *, data_dir: Path | str | None = None, apply_conflicts: bool = False, dry_run: bool = False
) -> IngestReport:
    """Merge a review's accepted claims into a geodata directory: read, `plan_ingest`, write atomically.

    Parameters
    ----------
    review
        The parsed review file.
    data_dir
        The geodata directory (default: `default_data_dir`).
    apply_conflicts
        Apply claims that contradict the data too (otherwise only those marked ``apply_conflict``).
    dry_run
        Check and merge, but write nothing (``written`` is then empty).

    Returns
    -------
    What was done, claim by claim.

    Raises
    ------
    DataError
        The geodata has problems already, or the result would have some (nothing is written).
    ReviewError
        Accepted claims that cannot be saved (unknown place or faction, taken ids).
    ControlmapError
        A file could not be written (the files written before it are put back).
    """
    plan = plan_ingest(review, valid_documents(data_dir), apply_conflicts=apply_conflicts)
    if dry_run:
        return replace(plan.report, written=())
    write_files_atomic([(path, text.encode("utf-8")) for path, text in plan.files], backup=True)
    return plan.report


def _new_documents(
    directory: Path,
    documents: DatasetDocuments,
    merged: dict[str, Place],
    touched: set[str],
    new_places: dict[str, Place],
) -> tuple[DatasetDocuments, list[Path]]:
    file_of: dict[str, int] = {}
    for index, document in enumerate(documents.places):
        for feature in document.content["features"]:
            file_of[feature["id"]] = index
    places_docs = list(documents.places)
    extra: dict[str, list[Place]] = {}
    for place_id, place in sorted(new_places.items()):
        home = _file_for_country(documents, place.country)
        if home is None:
            name = str(directory / PLACES_DIR / f"new-places-{place.country.lower()}{PLACES_SUFFIX}")
            extra.setdefault(name, []).append(merged[place_id])
        else:
            file_of[place_id] = home
    changed_files = {file_of[p] for p in touched if p in file_of}
    paths = []
    for index in sorted(changed_files):
        document = documents.places[index]
        ids = [f["id"] for f in document.content["features"]] + [
            p for p, i in file_of.items() if i == index and p in new_places
        ]
        places = [merged[i] if i in merged else place_from_feature(_feature(document, i)) for i in ids]
        places_docs[index] = Document(document.name, _plain(places_to_document(places)))
        paths.append(Path(document.name))
    for name, places in extra.items():
        places_docs.append(Document(name, _plain(places_to_document(places))))
        paths.append(Path(name))
    return DatasetDocuments(documents.dataset, documents.factions, documents.sources, places_docs), paths


def _plain(document: dict[str, Any]) -> Any:
    """The document as it will be read back (tuples become lists), so that it is validated as written."""
    return json.loads(document_to_text(document))


def _feature(document: Document, place_id: str) -> dict[str, Any]:
    feature: dict[str, Any] = next(f for f in document.content["features"] if f["id"] == place_id)
    return feature


def _file_for_country(documents: DatasetDocuments, country: str) -> int | None:
    """The places file with the most point places of a country (new towns go beside them)."""
    counts = []
    for index, document in enumerate(documents.places):
        points = sum(
            1
            for f in document.content["features"]
            if f["properties"].get("country") == country and f["geometry"]["type"] == "Point"
        )
        counts.append((points, -index))
    best = max(counts, default=(0, 0))
    return -best[1] if best[0] > 0 else None
