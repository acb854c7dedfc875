"""Merging what several sentences say about one place into the claims a reviewer needs to see (pure).

* Claims that say the same (place, controller, status, opponents, date) are one: the most confident is kept.
* An undated "before" claim is dropped when a dated capture of the same place by the same side implies it
  ("has since overrun Mosul" beside "Mosul, which fell on Tuesday").
* On the day a place changed hands, the states that only describe its fall are dropped: the taker's
  attack on it ("re-entered", "retook the main hospital in"), and another side's hold on it ("the last town
  held by IS" on the day it was taken).
* A hold read from a noun phrase ("the IS-held town") gives way to what a sentence says of the same side's
  status there that day (besieged, contested).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from controlmap.articles.names import name_key

if TYPE_CHECKING:
    import datetime as dt

    from controlmap.articles.claim_types import Claim

PHRASE = "noun phrase"
"""The first reason of a claim read from a noun phrase starts with this."""


def _place_key(claim: Claim) -> str:
    return claim.place.best.entry.id if claim.place.best else f"unknown:{name_key(claim.place.text)}"


def _day(claim: Claim) -> dt.date | None:
    if claim.date is None or claim.date.relation == "before":
        return None
    return claim.date.start


def _deduplicated(claims: list[Claim]) -> list[Claim]:
    best: dict[tuple[object, ...], Claim] = {}
    for claim in claims:
        date = None if claim.date is None else (claim.date.start, claim.date.precision, claim.date.relation)
        key = (_place_key(claim), claim.controller, claim.status, claim.opponents, date)
        if key not in best or claim.confidence > best[key].confidence:
            best[key] = claim
    return list(best.values())


def _implied(claim: Claim, claims: list[Claim]) -> bool:
    """Whether an undated claim is implied by a dated capture of the same place by the same side.

    "has since overrun Mosul" beside "Mosul, which fell on Tuesday"; "forces had re-entered Mayadeen" beside
    "have taken the town of Mayadeen" (an attack by the side that took the place).
    """
    if claim.date is None or claim.date.relation != "before":
        return False
    return any(
        other is not claim
        and _place_key(other) == _place_key(claim)
        and other.kind in ("captured", "retaken")
        and _day(other) is not None
        and (
            (other.controller, other.status) == (claim.controller, claim.status)
            or (claim.status == "contested" and other.controller in (claim.controller, *claim.opponents))
        )
        for other in claims
    )


def _news_of_the_day(claim: Claim) -> bool:
    return claim.date is not None and claim.date.relation == "on" and not claim.date.text


def _dated_in_the_text(claim: Claim, claims: list[Claim]) -> bool:
    """Whether a claim dated only as the report's news is told with its own date elsewhere in the report."""
    day = _day(claim)
    if day is None or not _news_of_the_day(claim):
        return False
    return any(
        other is not claim
        and not _news_of_the_day(other)
        and _place_key(other) == _place_key(claim)
        and (other.controller, other.status) == (claim.controller, claim.status)
        and (other_day := _day(other)) is not None
        and 0 <= (day - other_day).days <= 7
        for other in claims
    )


def _describes_a_fall(claim: Claim, claims: list[Claim]) -> bool:
    """Whether a state claim only describes the fall of a place that changed hands the same day."""
    day = _day(claim)
    if day is None or claim.kind in ("captured", "retaken"):
        return False
    for other in claims:
        if other.kind not in ("captured", "retaken") or _place_key(other) != _place_key(claim) or _day(other) != day:
            continue
        if claim.status != "controlled" and other.controller in claim.opponents:
            return True
        if claim.status == "controlled":
            return True  # another side's hold described its fall; the taker's own is the capture again
    return False


_UNIT = {"day": 0, "month": 1, "year": 2}


def _vaguer(claim: Claim, claims: list[Claim]) -> bool:
    """Whether a claim says what a more precise one says ("in August" beside "on August 3")."""
    day = _day(claim)
    if day is None or claim.date is None or claim.date.precision == "day":
        return False
    width = _UNIT[claim.date.precision]
    for other in claims:
        other_day = _day(other)
        if other is claim or other_day is None or other.date is None or _UNIT[other.date.precision] >= width:
            continue
        same_unit = other_day.year == day.year and (width == 2 or other_day.month == day.month)
        same_state = (other.controller, other.status, other.kind) == (claim.controller, claim.status, claim.kind)
        if same_unit and same_state and _place_key(other) == _place_key(claim):
            return True
    return False


def _outdone(claim: Claim, claims: list[Claim]) -> bool:
    """Whether a hold gives way to a word on the same side's status there that day (besieged, contested)."""
    if claim.kind != "holds" or claim.status != "controlled":
        return False
    return any(
        other is not claim
        and _place_key(other) == _place_key(claim)
        and other.status != "controlled"
        and claim.controller in (other.controller, *other.opponents)
        and _day(other) == _day(claim)
        for other in claims
    )


def filtered(claims: list[Claim]) -> list[Claim]:
    """The claims worth a reviewer's time, in text order (see the module's rules)."""
    unique = _deduplicated(claims)
    kept = [
        c
        for c in unique
        if not any(rule(c, unique) for rule in (_implied, _describes_a_fall, _outdone, _vaguer, _dated_in_the_text))
    ]
    return sorted(kept, key=lambda c: (c.sentence[0], c.place.start, c.trigger[1]))
