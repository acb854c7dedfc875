"""From article to map: paste an article, review the claims read from it (correcting them), save the accepted ones.

Opened from the map's sidebar, at ``?page=article`` (app.py runs it). A thin client of the library:
`controlmap.articles.extraction` reads the claims, `controlmap.articles.review_edit` applies the reviewer's
corrections and previews what accepting a claim would do, `controlmap.articles.view` draws them,
`controlmap.articles.ingest` saves them. The session's keys live in `appui.review_state`. The geodata
directory is the app's: ``--data`` after ``--``, else $CONTROLMAP_DATA, else ``geodata``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import streamlit as st
import streamlit.components.v1 as components

import controlmap
from appui import data
from appui.review_state import PAGE, UNLOCATED, ClaimKeys, edited, reset_claim, reviewed_document
from controlmap.articles import view as article_view
from controlmap.articles.extraction import extraction_from_text
from controlmap.articles.files import article_from_bytes
from controlmap.articles.gazetteer import geocode
from controlmap.articles.ingest import ingest_review
from controlmap.articles.review import resolved_outlet, review_from_document, review_from_extraction
from controlmap.articles.review_edit import claim_preview, sentence_html
from controlmap.errors import ArticleError, ReviewError
from controlmap.model import STATUSES
from controlmap.web import assets as webassets
from controlmap.web import folium_map as webmap

if TYPE_CHECKING:
    from controlmap.articles.gazetteer import Gazetteer

ss = st.session_state
DECISIONS = {"pending": "Undecided", "accepted": "Accept", "rejected": "Reject"}
PRECISIONS = {"day": "day", "month": "month", "year": "year"}
MARK = "mark.cm-trigger{background:#ffd1e8;font-weight:600}mark.cm-place{background:#fff3b0}"


def propose(found: Gazetteer) -> None:
    """Read the pasted article into a review document kept in the session."""
    try:
        text = article_from_bytes(ss[PAGE.article_text].encode("utf-8"), name="the article")
        outlet = resolved_outlet(ss[PAGE.outlet], ss[PAGE.url])
    except ArticleError as error:
        ss[PAGE.review], ss[PAGE.problem] = None, str(error).removeprefix("the article: ")
        return
    except ReviewError:
        ss[PAGE.review], ss[PAGE.problem] = None, "Give the outlet, or the article's address to take it from."
        return
    extraction = extraction_from_text(text, found, published=ss[PAGE.published])
    if not extraction.places:
        ss[PAGE.review], ss[PAGE.problem] = None, "No places found in the text, so there is nothing to review."
        return
    review = review_from_extraction(
        extraction,
        title=ss[PAGE.title].strip() or text.strip().splitlines()[0][:200],
        outlet=outlet,
        url=ss[PAGE.url].strip() or None,
    )
    ss[PAGE.review], ss[PAGE.text], ss[PAGE.problem], ss[PAGE.outcomes] = review, text, None, None
    for claim in review["claims"]:
        reset_claim(claim, extraction.published)


def save(directory: str, found: Gazetteer) -> None:
    """Ingest the accepted claims, as corrected; clear the caches so every page shows the new data."""
    document = reviewed_document(ss[PAGE.review], found)
    try:
        report = ingest_review(review_from_document(document, name="the review"), data_dir=directory)
    except controlmap.DataError as error:
        ss[PAGE.outcomes], ss[PAGE.problem] = None, "\n".join(str(p) for p in error.problems)
        return
    except controlmap.ControlmapError as error:
        ss[PAGE.outcomes], ss[PAGE.problem] = None, str(error)
        return
    ss[PAGE.outcomes] = article_view.outcome_rows(list(report.outcomes))
    ss[PAGE.saved] = [str(p) for p in report.written]
    ss[PAGE.problem] = None
    st.cache_data.clear()
    st.cache_resource.clear()


def place_options(claim: dict[str, Any], found: Gazetteer) -> list[str]:
    """The places a claim may be put at: the proposal, its candidates, the project's places, and search hits."""
    keys = ClaimKeys(claim["id"])
    options = [ss[keys.place], *(claim["place"].get("candidates") or [])]
    query = ss.get(keys.search, "").strip()
    if query:
        options += [c.entry.id for c in geocode(found, query, limit=12)]
    options += [e.id for e in found.entries if e.is_project]
    return list(dict.fromkeys(o for o in options if o == UNLOCATED or found.entry(o) is not None))


def place_label(found: Gazetteer, option: str) -> str:
    """A place option as the reviewer reads it."""
    entry = found.entry(option)
    if entry is None:
        return "not located: search for it"
    where = entry.country or ""
    return f"{entry.name} ({entry.id}{', ' + where if where else ''}{'' if entry.is_project else ', new'})"


def claim_editor(claim: dict[str, Any], found: Gazetteer, labels: dict[str, str]) -> None:
    """The widgets that correct one claim: place (search any name), controller, status, opponents, date."""
    keys = ClaimKeys(claim["id"])
    factions = list(labels)
    place_col, search_col = st.columns([3, 2])
    search_col.text_input("Search any name", key=keys.search, placeholder="e.g. Dayr az Zawr")
    place_col.selectbox(
        "Place", place_options(claim, found), key=keys.place, format_func=lambda o: place_label(found, o)
    )
    who, status, against = st.columns(3)
    who.selectbox("Controller", factions, key=keys.controller, format_func=labels.__getitem__)
    status.selectbox("Status", list(STATUSES), key=keys.status)
    against.multiselect(
        "Opponents", factions, key=keys.opponents, format_func=labels.__getitem__,
        disabled=ss[keys.status] == "controlled",
    )  # fmt: skip
    when, precision, before = st.columns([2, 1, 2])
    when.date_input(
        "Date", key=keys.date, min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31),
        disabled=ss[keys.before],
    )  # fmt: skip
    precision.selectbox("Precision", list(PRECISIONS), key=keys.precision, disabled=ss[keys.before])
    before.checkbox("Undated, before the article", key=keys.before)


def claim_card(claim: dict[str, Any], loaded: data.Loaded, found: Gazetteer, labels: dict[str, str]) -> None:
    """One claim: its sentence marked, why it was proposed, the editor, what accepting it would do, the decision."""
    keys = ClaimKeys(claim["id"])
    review = ss[PAGE.review]
    published = review["article"]["published"]
    day = None if published is None else dt.date.fromisoformat(published)
    current = edited(claim, found, day)
    with st.container(border=True):
        st.markdown(f"**{claim['id']}** · {data.markdown_escape(article_view.claim_label(current, labels))}")
        st.html(f"<style>{MARK}</style>{sentence_html(ss[PAGE.text], claim)}")
        st.caption(f"Confidence {claim['confidence']:.2f}")
        with st.expander("Why it was proposed"):
            for reason in [*claim.get("why", []), *([claim["note"]] if claim.get("note") else [])]:
                st.markdown(f"- {data.markdown_escape(reason)}")
        claim_editor(claim, found, labels)
        previews = claim_preview(current, loaded.dataset, source_id=review["article"]["source_id"], published=day)
        if not previews:
            st.info("Choose a place and a date to see what accepting this claim would do.")
        for preview in previews:
            shown = st.warning if preview.action == "conflict" else st.info
            shown(f"{preview.place_name}: {preview.message}")
            before, after = st.columns(2)
            before.caption("History now")
            before.text("\n".join(preview.before))
            after.caption("If accepted")
            after.text("\n".join(preview.after))
        st.radio(
            "Decision", list(DECISIONS), format_func=DECISIONS.__getitem__, key=keys.decision,
            horizontal=True, label_visibility="collapsed",
        )  # fmt: skip
        st.checkbox("Apply even if it contradicts the data", key=keys.conflict)


def claims_panel(loaded: data.Loaded, found: Gazetteer) -> None:
    """The proposed claims with their corrections and decisions, beside a small map of them."""
    review = ss[PAGE.review]
    dataset = loaded.dataset
    labels = {f.id: f.short_label for f in dataset.factions}
    left, right = st.columns([3, 2])
    with left:
        st.subheader(f"Proposed claims ({len(review['claims'])})")
        if not review["claims"]:
            st.info("No claim of control was found; the places are marked in the text above.")
        for claim in review["claims"]:
            claim_card(claim, loaded, found, labels)
        accepted = sum(ss[ClaimKeys(c["id"]).decision] == "accepted" for c in review["claims"])
        st.button(
            f"Save {accepted} accepted claim{'s' if accepted != 1 else ''}", key="save", type="primary",
            disabled=accepted == 0, on_click=save, args=(loaded.path, found),
        )  # fmt: skip
    with right:
        document = reviewed_document(review, found)
        colours = {f.id: f.colours.get("default", article_view.UNSET_COLOUR) for f in dataset.factions}
        fmap = webmap.marker_map(
            article_view.claim_markers(document, colours=colours),
            basemap_layers_js=data.basemap_layers(loaded),
            leaflet_js_url=webassets.data_uri(webassets.leaflet_js(), "text/javascript"),
            leaflet_css_url=webassets.data_uri(webassets.leaflet_css(), "text/css"),
        )
        show_html_frame(fmap.get_root().render(), height=380)
        st.caption("Filled: accepted · hollow: undecided · rejected claims are left off.")


def show_html_frame(page: str, *, height: int) -> None:
    """A self-contained HTML page in a frame (``st.iframe`` where this Streamlit has it)."""
    if hasattr(st, "iframe"):
        st.iframe(page, height=height)
    else:  # Streamlit before st.iframe
        components.html(page, height=height)


def main() -> None:
    """The page."""
    st.set_page_config(page_title="From article to map · controlmap", layout="wide")
    st.title("From article to map")
    st.markdown("[← The map](./)")
    st.caption(
        "Paste a news article: the places it names are found offline (the project's places and GeoNames towns), "
        "and claims of control are proposed. Correct any claim, see what accepting it would do to the place's "
        "history, and nothing is saved until you accept claims and press Save."
    )
    directory = data.data_dir()
    try:
        loaded = data.load(directory)
    except controlmap.DataError as error:
        data.show_data_problems(directory, error)
        st.stop()
    found = data.gazetteer(loaded)
    defaults: dict[str, object] = {
        PAGE.review: None,
        PAGE.problem: None,
        PAGE.outcomes: None,
        PAGE.saved: [],
        PAGE.text: "",
    }
    for key, value in defaults.items():
        ss.setdefault(key, value)
    st.text_area("Article text", key=PAGE.article_text, height=220, placeholder="Paste the article here")
    date_col, title_col, outlet_col, url_col = st.columns([1.2, 2, 1.2, 2])
    date_col.date_input(
        "Published", key=PAGE.published, value=None, min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31),
        help="Leave empty to read it from the text (\"Last update: ...\")",
    )  # fmt: skip
    title_col.text_input("Title", key=PAGE.title, placeholder="default: the first line")
    outlet_col.text_input("Outlet", key=PAGE.outlet, placeholder="default: the address's host")
    url_col.text_input("Address", key=PAGE.url, placeholder="https://…")
    st.button("Propose claims", key="propose", on_click=propose, args=(found,))
    if ss[PAGE.problem]:
        st.error(ss[PAGE.problem])
    if ss[PAGE.outcomes]:
        st.success(f"Saved to {', '.join(ss[PAGE.saved]) or 'nothing (no change)'}; the map shows the new data.")
        st.dataframe(ss[PAGE.outcomes], hide_index=True)
    if ss[PAGE.review] is None:
        return
    for note in ss[PAGE.review]["notes"]:
        st.warning(note)
    article = ss[PAGE.review]["article"]
    st.markdown(
        f"**{len(ss[PAGE.review]['places'])} place mentions** · published {article['published'] or 'unknown'} · "
        f"source {data.markdown_escape(article['source_id'])}"
    )
    with st.container(height=320, border=True):
        st.html(article_view.highlight_html(ss[PAGE.text], ss[PAGE.review]["places"]))
    claims_panel(loaded, found)


main()
