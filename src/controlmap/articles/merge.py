"""Merging reviewed claims into place histories (pure: no files).

Sourced data is never overwritten silently. With D a claim's date and S the state it claims (controller,
status, opponents):

* A claim the data already shows *agrees*: a state S that the period covering D has, or a change to S that
  the data dates within the claim's precision. The article is added to that period's sources; nothing else
  changes.
* A claim on a date no period covers *fills the gap*: a change to S on D runs from D to the next known period
  (or, when there is none, to the article's date); a state S fills one unit of its precision (a day, a month,
  a year).
* Any other claim disagrees with a sourced period at D: with its controller ("IS retook Raqqa" where the data
  has the SDF holding it), or with its status ("IS retook Raqqa" where the data has IS holding a contested
  Raqqa; "under attack" where the data has it held in peace), or with the date of the change (the data has S
  from earlier or later). It is a *conflict*: listed, with the data's sources and the article beside each
  other, and applied only when the reviewer asks for that claim (``apply_conflict``). Applied, a change
  ends the period covering D at D and starts S there, to that period's old end; a state takes one unit.
* A claim that something happened *before* the article (no date of its own) is merged as holding as of the
  article's date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from controlmap.model import Period

if TYPE_CHECKING:
    from collections.abc import Sequence

    from controlmap.articles.rules import ClaimKind
    from controlmap.dates import Precision
    from controlmap.model import Place, Status

Action = Literal["applied", "agrees", "conflict", "forced"]


@dataclass(frozen=True)
class ClaimChange:
    """A decided claim about one place, ready to merge.

    Parameters
    ----------
    claim_id
        The claim's id in the review file.
    controller, status, opponents
        The claimed state.
    kind
        ``captured``, ``retaken`` (a change at ``day``) or ``holds``, ``under attack``, ``besieged``
        (a state at ``day``).
    day, precision
        When: the first day of the date as precise as it is known.
    source_id
        The article's source id.
    published
        The article's date: how far a capture in a gap is vouched for.
    apply_conflict
        Apply even if it contradicts the data.
    """

    claim_id: str
    controller: str
    status: Status
    opponents: tuple[str, ...]
    kind: ClaimKind
    day: dt.date
    precision: Precision
    source_id: str
    published: dt.date | None = None
    apply_conflict: bool = False

    @property
    def is_change(self) -> bool:
        """Whether the claim is a change of hands (captured, retaken) rather than a state."""
        return self.kind in ("captured", "retaken")

    def state(self) -> tuple[str, str, tuple[str, ...]]:
        """(controller, status, opponents)."""
        return self.controller, self.status, tuple(sorted(self.opponents))


@dataclass(frozen=True)
class Outcome:
    """What merging one claim into one place did.

    Parameters
    ----------
    claim_id, place_id
        The claim, and the place it was merged into.
    action
        ``applied`` (filled a gap), ``agrees`` (cited), ``conflict`` (not applied) or ``forced`` (a conflict
        applied as the reviewer asked).
    message
        What was done or found, in plain words.
    data_sources
        The sources of the period the claim agrees or disagrees with (none for a gap).
    claim_source
        The article's source id.
    """

    claim_id: str
    place_id: str
    action: Action
    message: str
    data_sources: tuple[str, ...] = ()
    claim_source: str = ""


def unit_end(day: dt.date, precision: Precision) -> dt.date:
    """The day after the unit (day, month or year) that starts at ``day``."""
    if precision == "year":
        return dt.date(day.year + 1, 1, 1)
    if precision == "month":
        return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return day + dt.timedelta(days=1)


def _state(period: Period) -> tuple[str, str, tuple[str, ...]]:
    return period.controller, period.status, tuple(sorted(period.opponents))


def _cited(period: Period, source_id: str) -> Period:
    if source_id in period.sources:
        return period
    return replace(period, sources=(*period.sources, source_id))


def _new_period(change: ClaimChange, start: dt.date, end: dt.date | None, end_precision: Precision | None) -> Period:
    return Period(
        start=start,
        start_precision=change.precision,
        end=end,
        end_precision=end_precision if end is not None else None,
        controller=change.controller,
        status=change.status,
        opponents=tuple(change.opponents) if change.status != "controlled" else (),
        sources=(change.source_id,),
    )


def _covering(history: Sequence[Period], day: dt.date) -> int | None:
    for index, period in enumerate(history):
        if period.covers(day):
            return index
    return None


def _cut(history: list[Period], index: int, change: ClaimChange) -> list[Period]:
    """End the period at ``index`` at the claim's date and start the claimed state there."""
    old = history[index]
    new = _new_period(change, change.day, old.end, old.end_precision)
    if old.start >= change.day:
        return [*history[:index], new, *history[index + 1 :]]
    head = replace(old, end=change.day, end_precision=change.precision)
    return [*history[:index], head, new, *history[index + 1 :]]


def _split(history: list[Period], index: int, change: ClaimChange) -> list[Period]:
    """Put the claimed state into the period at ``index`` for one unit of the claim's precision only."""
    old = history[index]
    end = unit_end(change.day, change.precision)
    if old.end is not None and old.end <= end:
        return _cut(history, index, change)
    parts = []
    if old.start < change.day:
        parts.append(replace(old, end=change.day, end_precision=change.precision))
    parts.append(_new_period(change, change.day, end, change.precision))
    parts.append(replace(old, start=end, start_precision=change.precision))
    return [*history[:index], *parts, *history[index + 1 :]]


def _apply(history: list[Period], index: int | None, change: ClaimChange) -> list[Period]:
    if index is None:
        return _gap(history, change)
    return _cut(history, index, change) if change.is_change else _split(history, index, change)


def _gap(history: list[Period], change: ClaimChange) -> list[Period]:
    """Insert the claimed state into the gap that holds the claim's date."""
    following = [p for p in history if p.start > change.day]
    nxt = min(following, key=lambda p: p.start) if following else None
    if change.is_change:
        if nxt is not None:
            end, precision = nxt.start, nxt.start_precision
        elif change.published is not None and change.published > change.day:
            end, precision = change.published, "day"
        else:
            end, precision = unit_end(change.day, change.precision), change.precision
    else:
        end, precision = unit_end(change.day, change.precision), change.precision
        if nxt is not None and nxt.start < end:
            end, precision = nxt.start, nxt.start_precision
    new = _new_period(change, change.day, end, precision)
    return sorted([*history, new], key=lambda p: p.start)


def merge_change(place: Place, change: ClaimChange) -> tuple[Place, Outcome]:
    """Merge one claim into one place's history.

    Parameters
    ----------
    place
        The place as it is.
    change
        The claim.

    Returns
    -------
    The place as it becomes (unchanged for a conflict not applied) and what was done.
    """
    history = list(place.history)
    action, message, target = _judge(history, change)
    sources = () if target is None else history[target].sources
    if action == "agrees":
        assert target is not None
        history[target] = _cited(history[target], change.source_id)
    elif action == "conflict" and change.apply_conflict:
        action = "forced"
        message = f"applied as asked, though {message}"
        history = _apply(history, target, change)
    elif action == "applied":
        history = _apply(history, target, change)
    outcome = Outcome(change.claim_id, place.id, action, message, sources, change.source_id)
    return replace(place, history=tuple(history)), outcome


def _says(controller: str, status: str, opponents: Sequence[str]) -> str:
    if status == "controlled":
        return f"{controller} holding it"
    against = " and ".join(opponents) or "another side"
    return f"{controller} holding it, {status} by {against}"


def _judge(history: list[Period], change: ClaimChange) -> tuple[Action, str, int | None]:
    """What the claim is to the data: (action, why, index of the period concerned or None for a gap)."""
    claimed = change.state()
    window_end = unit_end(change.day, change.precision)
    if change.is_change:
        for i, period in enumerate(history):
            started_here = i == 0 or history[i - 1].end != period.start or _state(history[i - 1]) != claimed
            if _state(period) == claimed and change.day <= period.start < window_end and started_here:
                return "agrees", f"the data has this change on {period.start}", i
    index = _covering(history, change.day)
    if index is None:
        return "applied", f"fills the unknown gap at {change.day}", None
    covering = history[index]
    data = _says(covering.controller, covering.status, covering.opponents)
    span = f"from {covering.start} to {covering.end or 'the end of the data'}"
    if not covering.sources:
        return "applied", f"replaces an unsourced period ({data}) at {change.day}", index
    if _state(covering) == claimed:
        if not change.is_change:
            return "agrees", f"the data has {data} then", index
        return "conflict", f"the data has {data} already, {span}: it dates this change otherwise", index
    other_status = "" if covering.controller != change.controller else f", not {change.status}"
    return "conflict", f"the data has {data} on {change.day} ({span}){other_status}", index


def merge_changes(
    places: dict[str, Place], changes: Sequence[tuple[str, ClaimChange]]
) -> tuple[dict[str, Place], list[Outcome]]:
    """Merge claims into places, in order.

    Parameters
    ----------
    places
        The places by id (new places included, with an empty history).
    changes
        (place id, claim) pairs; a claim about a group comes once per member.

    Returns
    -------
    The places (a new dict; untouched places are the same objects) and one outcome per pair.
    """
    merged = dict(places)
    outcomes = []
    for place_id, change in changes:
        merged[place_id], outcome = merge_change(merged[place_id], change)
        outcomes.append(outcome)
    return merged, outcomes
