"""The "From article to map" page through Streamlit's AppTest: paste, propose, decide, save (no browser)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from streamlit.testing.v1 import AppTest

import controlmap
from controlmap.articles import view as article_view

if TYPE_CHECKING:
    from collections.abc import Callable

PAGE = Path(__file__).parent.parent / "pages" / "1_From_article_to_map.py"
MINI = Path(__file__).parent / "data" / "mini"
TIMEOUT = 60
ARTICLE = (
    "Islamic State fighters captured Alfa on Sunday.\nThe Beta River remains under Islamic State control. "
    "<script>x</script>"
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "geodata"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch, data: Path) -> Callable[[], AppTest]:
    def run() -> AppTest:
        monkeypatch.setenv("CONTROLMAP_DATA", str(data))
        return AppTest.from_file(str(PAGE), default_timeout=TIMEOUT).run()

    return run


def _html(at: AppTest) -> str:
    return "".join(element.proto.body for element in at.get("html"))


def _propose(at: AppTest, text: str = ARTICLE, published: str = "2015-05-18") -> AppTest:
    at.text_area(key="article_text").input(text)
    at.date_input(key="published").set_value(dt.date.fromisoformat(published))
    at.text_input(key="outlet").input("Test Wire")
    return at.button(key="propose").click().run()


def test_the_page_opens_empty(page: Callable[[], AppTest]) -> None:
    at = page()
    assert not at.exception
    assert not at.error
    assert at.title[0].value == "From article to map"


def test_claims_are_proposed_with_the_places_marked(page: Callable[[], AppTest]) -> None:
    at = _propose(page())
    assert not at.exception
    assert not at.error
    html = _html(at)
    assert '<mark class="cm-place"' in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x</script>" not in html
    assert [r.key for r in at.radio] == ["decision_c1", "decision_c2"]
    assert all(r.value == "pending" for r in at.radio)
    assert at.button(key="save").disabled


def test_accepted_claims_are_saved_and_the_caches_cleared(page: Callable[[], AppTest], data: Path) -> None:
    at = _propose(page())
    at.radio(key="decision_c1").set_value("rejected")
    at.radio(key="decision_c2").set_value("accepted")
    at = at.run()
    assert not at.button(key="save").disabled
    at = at.button(key="save").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "Saved to" in at.success[0].value
    source_id = at.session_state["review"]["article"]["source_id"]
    dataset = controlmap.dataset_from_dir(data)
    assert source_id in dataset.sources
    assert any(source_id in p.sources for p in dataset.place("beta").history)
    assert not any(source_id in p.sources for p in dataset.place("alpha").history)


def test_bad_text_gets_a_clear_message(page: Callable[[], AppTest]) -> None:
    at = _propose(page(), text="Nothing happened anywhere.")
    assert not at.exception
    assert [e.value for e in at.error] == ["No places found in the text, so there is nothing to review."]
    at = _propose(at, text="   ")
    assert [e.value for e in at.error] == ["the article is empty"]


def test_broken_geodata_is_reported(page: Callable[[], AppTest], data: Path) -> None:
    (data / "factions.json").write_text("{", "utf-8")
    at = page()
    assert not at.exception
    # As on the map's page: every problem, with its file.
    assert "has 1 problem" in at.error[0].value
    assert "factions\\.json: invalid JSON at line 1" in at.error[0].value


def test_highlighting_escapes_and_marks() -> None:
    places = [
        {
            "text": "A&B",
            "span": [4, 7],
            "ambiguous": True,
            "candidates": [{"id": "x", "name": 'X"', "origin": "geonames", "score": 0.5}],
        },
    ]
    html = article_view.highlight_html("<b> A&B </b>", places)
    assert (
        '&lt;b&gt; <mark class="cm-place cm-new cm-ambiguous" title="X&quot; (x, score 0.50)">A&amp;B</mark> &lt;/b&gt;'
        in html
    )


def test_decisions_are_copied_not_changed_in_place() -> None:
    document = {"claims": [{"id": "c1", "decision": "pending"}]}
    changed = article_view.with_decisions(document, {"c1": "accepted"}, {"c1": True})
    assert changed["claims"][0] == {"id": "c1", "decision": "accepted", "apply_conflict": True}
    assert document["claims"][0]["decision"] == "pending"
    assert json.dumps(changed)


def _sources_of(data: Path, place_id: str) -> list[tuple[str, ...]]:
    return [p.sources for p in controlmap.dataset_from_dir(data).place(place_id).history]


def test_a_claim_is_corrected_then_accepted(page: Callable[[], AppTest], data: Path) -> None:
    """Edit place (found by searching), controller, status and date; the preview follows; the save uses the edits."""
    at = _propose(page())
    at.text_input(key="search_c1").input("Hamah").run()
    options = at.selectbox(key="place_c1").options
    assert any("(geonames:170017, SY, new)" in o for o in options)  # any name in the gazetteer, found by search
    assert any("(gamma, SY)" in o for o in options)
    at.selectbox(key="place_c1").set_value("gamma")
    at.selectbox(key="controller_c1").set_value("turkey")
    at.selectbox(key="status_c1").set_value("controlled")
    at.date_input(key="date_c1").set_value(dt.date(2016, 9, 1))
    at.selectbox(key="precision_c1").set_value("day")
    at = at.run()
    assert not at.exception
    infos = [i.value for i in at.info]
    assert any(v.startswith("Gamma") and "Agrees with the data" in v for v in infos), infos
    assert any("1 September 2016" in t.value for t in at.text)  # the history, before and after
    at.radio(key="decision_c1").set_value("accepted")
    at.radio(key="decision_c2").set_value("rejected")
    at = at.run().button(key="save").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    source_id = at.session_state["review"]["article"]["source_id"]
    gamma = controlmap.dataset_from_dir(data).place("gamma")
    assert any(p.controller == "turkey" and source_id in p.sources for p in gamma.history)
    assert not any(source_id in sources for sources in _sources_of(data, "alpha"))  # the claim moved


def test_a_conflict_is_explained_and_applied_only_when_asked(page: Callable[[], AppTest], data: Path) -> None:
    at = _propose(page())
    # "Islamic State captured Alfa on Sunday" where the data has IS holding Alpha since 2014: a conflict.
    warnings = [w.value for w in at.warning]
    assert any("Conflict" in w and "isis holding it" in w for w in warnings), warnings
    at.radio(key="decision_c1").set_value("accepted")
    at = at.run().button(key="save").click().run()
    assert not at.error, [e.value for e in at.error]
    rows = at.dataframe[0].value
    assert list(rows["result"]) == ["conflict"]
    assert "report-a" in rows["data sources"].iloc[0]
    before = _sources_of(data, "alpha")
    at.checkbox(key="conflict_c1").check()
    at = at.run().button(key="save").click().run()
    assert list(at.dataframe[0].value["result"]) == ["forced"]
    assert _sources_of(data, "alpha") != before


def test_an_unknown_place_must_be_located_before_it_is_saved(page: Callable[[], AppTest]) -> None:
    at = _propose(page(), text="Islamic State fighters seized the village of Qarqoosh Ulya on Sunday.")
    assert not at.exception
    assert at.selectbox(key="place_c1").value == ""
    assert any("Choose a place" in i.value for i in at.info)
    at.radio(key="decision_c1").set_value("accepted")
    at = at.run().button(key="save").click().run()
    assert any("no id and no new_place" in e.value for e in at.error)


def test_the_outlet_is_taken_from_the_address(page: Callable[[], AppTest]) -> None:
    at = page()
    at.text_area(key="article_text").input(ARTICLE)
    at.date_input(key="published").set_value(dt.date(2015, 5, 18))
    at.text_input(key="url").input("https://www.example.org/2015/alfa")
    at = at.button(key="propose").click().run()
    assert not at.error, [e.value for e in at.error]
    article = at.session_state["review"]["article"]
    assert (article["outlet"], article["source_id"]) == (
        "example.org",
        "example-2015-05-18-islamic-state-fighters-captured-alfa",
    )
    at.text_input(key="url").input("")
    at = at.button(key="propose").click().run()
    assert [e.value for e in at.error] == ["Give the outlet, or the article's address to take it from."]


def test_the_app_serves_the_page_at_its_root_url(monkeypatch: pytest.MonkeyPatch, data: Path) -> None:
    """``/?page=article``: not a page path, where Streamlit's frontend first looks for its server and gets 404s."""
    monkeypatch.setenv("CONTROLMAP_DATA", str(data))
    at = AppTest.from_file(str(PAGE.parent.parent / "app.py"), default_timeout=TIMEOUT)
    at.query_params["page"] = "article"
    at.run()
    assert not at.exception
    assert [title.value for title in at.title] == ["From article to map"]
    assert at.text_area(key="article_text") is not None
