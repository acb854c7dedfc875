"""The "From article to map" page through Streamlit's AppTest: paste, propose, decide, save (no browser)."""

from __future__ import annotations

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
    import datetime as dt  # noqa: PLC0415

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
    at.radio(key="decision_c1").set_value("accepted")
    at.radio(key="decision_c2").set_value("rejected")
    at = at.run()
    assert not at.button(key="save").disabled
    at = at.button(key="save").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "Saved to" in at.success[0].value
    dataset = controlmap.dataset_from_dir(data)
    source = next(s for s in dataset.sources.values() if s.outlet == "Test Wire")
    assert any(source.id in p.sources for p in dataset.place("alpha").history)
    assert not any(source.id in p.sources for p in dataset.place("beta").history)


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


def test_the_app_serves_the_page_at_its_root_url(monkeypatch: pytest.MonkeyPatch, data: Path) -> None:
    """``/?page=article``: not a page path, where Streamlit's frontend first looks for its server and gets 404s."""
    monkeypatch.setenv("CONTROLMAP_DATA", str(data))
    at = AppTest.from_file(str(PAGE.parent.parent / "app.py"), default_timeout=TIMEOUT)
    at.query_params["page"] = "article"
    at.run()
    assert not at.exception
    assert [title.value for title in at.title] == ["From article to map"]
    assert at.text_area(key="article_text") is not None
