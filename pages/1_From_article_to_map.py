"""From article to map: paste an article, review the claims read from it, save the accepted ones.

Opened from the map's sidebar, at ``?page=article`` (app.py runs it). A thin client of the library:
`controlmap.articles.extraction` reads the claims, `controlmap.articles.view` draws them,
`controlmap.articles.ingest` saves them. The geodata directory is the app's: ``--data`` after ``--``, else
$CONTROLMAP_DATA, else ``geodata``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import streamlit as st
import streamlit.components.v1 as components

import controlmap
from appui import data
from controlmap.articles import view as article_view
from controlmap.articles.extraction import extraction_from_text
from controlmap.articles.files import article_from_bytes
from controlmap.articles.ingest import ingest_review
from controlmap.articles.review import review_from_document, review_from_extraction
from controlmap.errors import ArticleError
from controlmap.web import assets as webassets
from controlmap.web import folium_map as webmap

if TYPE_CHECKING:
    from controlmap.articles.gazetteer import Gazetteer

ss = st.session_state
DECISIONS = {"pending": "Undecided", "accepted": "Accept", "rejected": "Reject"}


def propose(found: Gazetteer) -> None:
    """Read the pasted article into a review document kept in the session."""
    try:
        text = article_from_bytes(ss.article_text.encode("utf-8"), name="the article")
    except ArticleError as error:
        ss.review, ss.problem = None, str(error).removeprefix("the article: ")
        return
    extraction = extraction_from_text(text, found, published=ss.published)
    if not extraction.places:
        ss.review, ss.problem = None, "No places found in the text, so there is nothing to review."
        return
    ss.review = review_from_extraction(
        extraction,
        title=ss.title.strip() or text.strip().splitlines()[0][:200],
        outlet=ss.outlet.strip() or "outlet not given",
        url=ss.url.strip() or None,
    )
    ss.text, ss.problem, ss.outcomes = text, None, None
    for claim in ss.review["claims"]:
        ss[f"decision_{claim['id']}"] = "pending"
        ss[f"conflict_{claim['id']}"] = False


def save(directory: str) -> None:
    """Ingest the accepted claims; clear the caches so every page shows the new data."""
    decisions = {c["id"]: ss[f"decision_{c['id']}"] for c in ss.review["claims"]}
    conflicts = {c["id"]: ss[f"conflict_{c['id']}"] for c in ss.review["claims"]}
    document = article_view.with_decisions(ss.review, decisions, conflicts)
    try:
        report = ingest_review(review_from_document(document, name="the review"), data_dir=directory)
    except controlmap.DataError as error:
        ss.outcomes, ss.problem = None, "\n".join(str(p) for p in error.problems)
        return
    except controlmap.ControlmapError as error:
        ss.outcomes, ss.problem = None, str(error)
        return
    ss.outcomes = article_view.outcome_rows(list(report.outcomes))
    ss.saved = [str(p) for p in report.written]
    ss.problem = None
    st.cache_data.clear()
    st.cache_resource.clear()


def claims_panel(loaded: data.Loaded) -> None:
    """The proposed claims with their decisions, beside a small map of them."""
    review = ss.review
    dataset = loaded.dataset
    labels = {f.id: f.short_label for f in dataset.factions}
    left, right = st.columns([3, 2])
    with left:
        st.subheader(f"Proposed claims ({len(review['claims'])})")
        if not review["claims"]:
            st.info("No claim of control was found; the places are marked in the text above.")
        for claim in review["claims"]:
            with st.container(border=True):
                st.markdown(f"**{claim['id']}** · {article_view.claim_label(claim, labels)}", help=None)
                st.caption(f"“{claim['sentence']['text']}” — confidence {claim['confidence']:.2f}")
                st.radio(
                    "Decision", list(DECISIONS), format_func=DECISIONS.__getitem__, key=f"decision_{claim['id']}",
                    horizontal=True, label_visibility="collapsed",
                )  # fmt: skip
                st.checkbox("Apply even if it contradicts the data", key=f"conflict_{claim['id']}")
        accepted = sum(ss[f"decision_{c['id']}"] == "accepted" for c in review["claims"])
        st.button(
            f"Save {accepted} accepted claim{'s' if accepted != 1 else ''}", key="save", type="primary",
            disabled=accepted == 0, on_click=save, args=(loaded.path,),
        )  # fmt: skip
    with right:
        decisions = {c["id"]: ss[f"decision_{c['id']}"] for c in review["claims"]}
        colours = {f.id: f.colours.get("default", article_view.UNSET_COLOUR) for f in dataset.factions}
        fmap = webmap.marker_map(
            article_view.claim_markers(review, colours=colours, decisions=decisions),
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
        "and claims of control are proposed. Nothing is saved until you accept claims and press Save."
    )
    directory = data.data_dir()
    try:
        loaded = data.load(directory)
    except controlmap.DataError as error:
        data.show_data_problems(directory, error)
        st.stop()
    found = data.gazetteer(loaded)
    defaults: dict[str, object] = {"review": None, "problem": None, "outcomes": None, "saved": [], "text": ""}
    for key, value in defaults.items():
        ss.setdefault(key, value)
    st.text_area("Article text", key="article_text", height=220, placeholder="Paste the article here")
    date_col, title_col, outlet_col, url_col = st.columns([1.2, 2, 1.2, 2])
    date_col.date_input(
        "Published", key="published", value=None, min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31),
        help="Leave empty to read it from the text (\"Last update: ...\")",
    )  # fmt: skip
    title_col.text_input("Title", key="title", placeholder="default: the first line")
    outlet_col.text_input("Outlet", key="outlet")
    url_col.text_input("Address", key="url", placeholder="https://…")
    st.button("Propose claims", key="propose", on_click=propose, args=(found,))
    if ss.problem:
        st.error(ss.problem)
    if ss.outcomes:
        st.success(f"Saved to {', '.join(ss.saved) or 'nothing (no change)'}; the map shows the new data.")
        st.dataframe(ss.outcomes, hide_index=True)
    if ss.review is None:
        return
    for note in ss.review["notes"]:
        st.warning(note)
    article = ss.review["article"]
    st.markdown(f"**{len(ss.review['places'])} place mentions** · published {article['published'] or 'unknown'}")
    with st.container(height=320, border=True):
        st.html(article_view.highlight_html(ss.text, ss.review["places"]))
    claims_panel(loaded)


main()
