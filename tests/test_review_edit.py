"""Correcting a proposed claim, and what accepting it would do to the place's history (pure)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from controlmap.articles.extraction import extraction_from_text
from controlmap.articles.files import gazetteer_from_dataset
from controlmap.articles.review import review_from_document, review_from_extraction
from controlmap.articles.review_edit import ClaimEdit, claim_preview, edited_claim, sentence_html

if TYPE_CHECKING:
    import controlmap

TEXT = "Islamic State fighters captured Alfa on Sunday. <b>Bold</b>"
PUBLISHED = dt.date(2015, 5, 18)


def _document(mini: controlmap.Dataset, text: str = TEXT) -> dict[str, Any]:
    extraction = extraction_from_text(text, gazetteer_from_dataset(mini), published=PUBLISHED)
    return review_from_extraction(extraction, title="t", outlet="Test Wire")


def test_the_sentence_is_shown_with_the_trigger_and_the_place_marked(mini: controlmap.Dataset) -> None:
    document = _document(mini, "<i>x</i> Islamic State fighters captured Alfa on Sunday.")
    html = sentence_html("<i>x</i> Islamic State fighters captured Alfa on Sunday.", document["claims"][0])
    assert '<mark class="cm-trigger">captured</mark> <mark class="cm-place">Alfa</mark>' in html
    assert "&lt;i&gt;x&lt;/i&gt;" in html


def test_an_edit_changes_place_controller_status_and_date(mini: controlmap.Dataset) -> None:
    gazetteer = gazetteer_from_dataset(mini)
    claim = _document(mini)["claims"][0]
    gamma = gazetteer.entry("gamma")
    edit = ClaimEdit(
        entry=gamma, controller="turkey", status="contested", opponents=("isis",), start=dt.date(2016, 8, 20)
    )
    out = edited_claim(claim, edit, published=PUBLISHED)
    assert (out["place"]["id"], out["controller"], out["status"], out["kind"], out["opponents"]) == (
        "gamma",
        "turkey",
        "contested",
        "under attack",
        ["isis"],
    )
    assert out["date"] == {"start": "2016-08-20", "end": None, "precision": "day", "relation": "on"}
    assert claim["place"]["id"] == "alpha"  # the proposal is left as it was
    month = edited_claim(claim, ClaimEdit(start=dt.date(2016, 8, 20), precision="month"), published=PUBLISHED)
    assert month["date"]["start"] == "2016-08-01"
    before = edited_claim(claim, ClaimEdit(before_article=True), published=PUBLISHED)
    assert before["date"]["relation"] == "before"
    assert before["date"]["end"] == "2015-05-18"


def test_an_edited_claim_is_a_valid_review_claim(mini: controlmap.Dataset) -> None:
    document = _document(mini)
    gazetteer = gazetteer_from_dataset(mini)
    claim = edited_claim(document["claims"][0], ClaimEdit(entry=gazetteer.entry("beta")), published=PUBLISHED)
    claim["decision"] = "accepted"
    parsed = review_from_document(document | {"claims": [claim]})
    assert parsed.accepted[0].place_id == "beta"


def test_the_preview_tells_a_conflict_and_what_forcing_it_would_do(mini: controlmap.Dataset) -> None:
    claim = _document(mini)["claims"][0]  # IS captured Alpha on 17 May 2015: the data has IS since 2014
    (preview,) = claim_preview(claim, mini, source_id="new", published=PUBLISHED)
    assert preview.action == "conflict"
    assert preview.message.startswith("Conflict: not applied unless you tick")
    assert preview.before == preview.after
    (forced,) = claim_preview(claim | {"apply_conflict": True}, mini, source_id="new", published=PUBLISHED)
    assert forced.action == "forced"
    assert any("[new]" in line for line in forced.after)
    assert not any("[new]" in line for line in forced.before)


def test_the_preview_tells_an_agreement_and_a_gap(mini: controlmap.Dataset) -> None:
    claim = _document(mini)["claims"][0]
    agrees = edited_claim(claim, ClaimEdit(controller="isis", start=dt.date(2014, 6, 10)), published=PUBLISHED)
    (preview,) = claim_preview(agrees, mini, source_id="new", published=PUBLISHED)
    assert preview.action == "agrees"
    assert any("report-a, new" in line for line in preview.after)
    gazetteer = gazetteer_from_dataset(mini)
    gap = edited_claim(claim, ClaimEdit(entry=gazetteer.entry("beta"), start=dt.date(2018, 6, 1)), published=PUBLISHED)
    (filled,) = claim_preview(gap, mini, source_id="new", published=PUBLISHED)
    assert filled.action == "applied"
    assert filled.message.startswith("Fills a gap in the data.")


def test_no_preview_without_a_place(mini: controlmap.Dataset) -> None:
    claim = _document(mini, "Islamic State fighters seized the village of Qarqoosh Ulya on Sunday.")["claims"][0]
    assert claim["place"]["id"] is None
    assert "not in the gazetteer" in claim["note"]
    assert claim_preview(claim, mini, source_id="new", published=PUBLISHED) == []
