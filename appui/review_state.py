"""The article page's session state: every key in one typed place, and the reviewer's edits read from it.

Page-wide keys are the fields of `PAGE`; each proposed claim's widgets have the keys of its `ClaimKeys`. A
claim's widgets are set to the proposal when it is proposed (`reset_claim`); `claim_edit` reads them back as a
`controlmap.articles.review_edit.ClaimEdit`, and `reviewed_document` applies every edit and decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import streamlit as st

from controlmap.articles import view as article_view
from controlmap.articles.review_edit import ClaimEdit, edited_claim

if TYPE_CHECKING:
    from controlmap.articles.gazetteer import Gazetteer

ss = st.session_state
UNLOCATED = ""
"""The place option of a claim whose place is not located yet."""


@dataclass(frozen=True)
class PageKeys:
    """The page-wide keys: the article's fields, the proposal and what saving reported."""

    article_text: str = "article_text"
    published: str = "published"
    title: str = "title"
    outlet: str = "outlet"
    url: str = "url"
    review: str = "review"
    text: str = "text"
    problem: str = "problem"
    outcomes: str = "outcomes"
    saved: str = "saved"


PAGE = PageKeys()


@dataclass(frozen=True)
class ClaimKeys:
    """The keys of one claim's widgets."""

    claim_id: str

    def _key(self, name: str) -> str:
        return f"{name}_{self.claim_id}"

    @property
    def decision(self) -> str:
        """Accept, reject or leave undecided."""
        return self._key("decision")

    @property
    def conflict(self) -> str:
        """Apply even if it contradicts the data."""
        return self._key("conflict")

    @property
    def place(self) -> str:
        """The gazetteer id of the place chosen."""
        return self._key("place")

    @property
    def search(self) -> str:
        """A name to look places up by."""
        return self._key("search")

    @property
    def controller(self) -> str:
        """The faction holding (or taking) the place."""
        return self._key("controller")

    @property
    def status(self) -> str:
        """Controlled, contested or besieged."""
        return self._key("status")

    @property
    def opponents(self) -> str:
        """Who attacks or besieges it."""
        return self._key("opponents")

    @property
    def before(self) -> str:
        """Whether the claim is undated, before the article."""
        return self._key("before")

    @property
    def date(self) -> str:
        """The claim's date."""
        return self._key("date")

    @property
    def precision(self) -> str:
        """How precise the date is."""
        return self._key("precision")


def proposed_place_id(claim: dict[str, Any]) -> str:
    """The gazetteer id of the place proposed for a claim (``UNLOCATED`` when it has none)."""
    place = claim["place"]
    if place.get("id"):
        return str(place["id"])
    candidates = place.get("candidates") or []
    return str(candidates[0]) if candidates else UNLOCATED


def reset_claim(claim: dict[str, Any], published: dt.date | None) -> None:
    """Set a proposed claim's widgets to the proposal."""
    keys = ClaimKeys(claim["id"])
    date = claim.get("date") or {}
    start = date.get("start")
    ss[keys.decision] = "pending"
    ss[keys.conflict] = False
    ss[keys.place] = proposed_place_id(claim)
    ss[keys.search] = ""
    ss[keys.controller] = claim["controller"]
    ss[keys.status] = claim["status"]
    ss[keys.opponents] = list(claim["opponents"])
    ss[keys.before] = date.get("relation") == "before"
    ss[keys.date] = dt.date.fromisoformat(start) if start else published
    ss[keys.precision] = date.get("precision", "day")


def claim_edit(claim: dict[str, Any], found: Gazetteer) -> ClaimEdit:
    """The reviewer's corrections to a claim, as its widgets hold them."""
    keys = ClaimKeys(claim["id"])
    chosen = ss.get(keys.place, UNLOCATED)
    entry = None if chosen in (UNLOCATED, claim["place"].get("id")) else found.entry(chosen)
    before = bool(ss.get(keys.before, False))
    return ClaimEdit(
        entry=entry,
        controller=ss.get(keys.controller),
        status=ss.get(keys.status),
        opponents=tuple(ss.get(keys.opponents, ())),
        start=None if before else ss.get(keys.date),
        precision=None if before else ss.get(keys.precision),
        before_article=before,
    )


def edited(claim: dict[str, Any], found: Gazetteer, published: dt.date | None) -> dict[str, Any]:
    """A claim with the reviewer's corrections applied."""
    return edited_claim(claim, claim_edit(claim, found), published=published)


def reviewed_document(review: dict[str, Any], found: Gazetteer) -> dict[str, Any]:
    """The review document with every correction, decision and conflict choice of the session."""
    published = review["article"]["published"]
    day = None if published is None else dt.date.fromisoformat(published)
    document = dict(review) | {"claims": [edited(c, found, day) for c in review["claims"]]}
    decisions = {c["id"]: ss[ClaimKeys(c["id"]).decision] for c in review["claims"]}
    conflicts = {c["id"]: bool(ss[ClaimKeys(c["id"]).conflict]) for c in review["claims"]}
    return article_view.with_decisions(document, decisions, conflicts)
