"""The HTML of tooltips, popups and the legend: everything from the data is escaped, links only for http(s)."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from typing import Any

import pytest

import controlmap
from controlmap.web import popups

EVIL = "<img src=x onerror=alert(1)>"


class _Collector(HTMLParser):
    """The tags, attributes and text of an HTML fragment, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(fragment: str) -> _Collector:
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    return collector


def props(**changes: Any) -> dict[str, Any]:
    """Place properties as `controlmap.records.place_properties` makes them, with some values replaced."""
    base: dict[str, Any] = {
        "id": "mosul",
        "name": "Mosul",
        "name_ar": "الموصل",
        "aliases": ["Al-Mawsil"],
        "kind": "city",
        "controller": "isis",
        "controller_label": "Islamic State",
        "status": "controlled",
        "opponent_labels": [],
        "since_label": "June 2014",
        "until_label": "10 July 2017",
        "sources": [
            {
                "id": "s1",
                "title": "Why Mosul matters",
                "outlet": "EBL",
                "published": "2016-03-24",
                "url": "https://example.org/m",
            }
        ],
        "note": "",
        "fill": "#1a1a1a",
        "stroke": "#333333",
    }
    base.update(changes)
    return base


def test_tooltip_shows_names_holder_since_and_sources() -> None:
    text = "".join(parse(popups.tooltip_html(props())).text)
    for expected in ("Mosul", "الموصل", "Al-Mawsil", "Islamic State", "since June 2014, until 10 July 2017"):
        assert expected in text
    assert "Why Mosul matters" in text
    assert "EBL" in text


def test_tooltip_carries_the_place_reference_hidden() -> None:
    tooltip = popups.tooltip_html(props(id="khabur-hasakah-shaddadi"))
    hidden = [attrs for tag, attrs in parse(tooltip).tags if "hidden" in attrs]
    assert hidden, "the place reference must not be shown"
    assert popups.place_from_text("".join(parse(tooltip).text)) == "khabur-hasakah-shaddadi"


@pytest.mark.parametrize("text", [None, 3, "", "no reference", "[place:Bad Id]", "[place:]"])
def test_place_from_text_rejects_anything_else(text: object) -> None:
    assert popups.place_from_text(text) is None


@pytest.mark.parametrize("render", [popups.tooltip_html, popups.popup_html])
def test_hostile_text_is_escaped_everywhere(render: Any) -> None:
    hostile = props(
        name=EVIL,
        name_ar="<script>alert(2)</script>",
        aliases=['"><svg onload=alert(3)>'],
        controller_label="<b>bold</b>",
        opponent_labels=["<i>x</i>"],
        status="contested",
        note="<iframe src=javascript:alert(4)>",
        fill='red;background:url("https://evil.example/x")',
        sources=[
            {
                "id": "s",
                "title": "<script>t</script>",
                "outlet": "<u>o</u>",
                "published": None,
                "url": 'https://e.org/?q=<a>&b="c"',
            }
        ],
    )
    fragment = render(hostile)
    parsed = parse(fragment)
    tags = {tag for tag, _ in parsed.tags}
    assert tags <= {"div", "b", "span", "br", "ul", "li", "a"}
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    text = "".join(parsed.text)
    assert EVIL in text
    assert "<script>alert(2)</script>" in text
    assert "<iframe src=javascript:alert(4)>" in text or render is popups.tooltip_html
    assert "evil.example" not in fragment, "a colour that is not a hex colour is replaced"


def test_popup_links_only_http_sources() -> None:
    sources = [
        {"id": "a", "title": "Web", "outlet": "O", "published": None, "url": "https://example.org/a?x=1&y=2"},
        {"id": "b", "title": "Script", "outlet": "O", "published": None, "url": "javascript:alert(1)"},
        {"id": "c", "title": "Data", "outlet": "O", "published": None, "url": "data:text/html,<script>1</script>"},
        {"id": "d", "title": "Print", "outlet": "O", "published": None, "url": None},
        {"id": "e", "title": "Relative", "outlet": "O", "published": None, "url": "//evil.example/x"},
    ]
    parsed = parse(popups.popup_html(props(sources=sources)))
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert [link["href"] for link in links] == ["https://example.org/a?x=1&y=2"]
    assert links[0]["rel"] == "noopener noreferrer"
    text = "".join(parsed.text)
    for title in ("Web", "Script", "Data", "Print", "Relative"):
        assert title in text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org", "https://example.org"),
        ("HTTP://EXAMPLE.ORG/x", "HTTP://EXAMPLE.ORG/x"),
        (" https://example.org/a ", "https://example.org/a"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("ftp://example.org", None),
        ("https://", None),
        ("/relative", None),
        (None, None),
        (42, None),
    ],
)
def test_safe_url(url: object, expected: str | None) -> None:
    assert popups.safe_url(url) == expected


def test_holder_text_for_each_status() -> None:
    assert popups.holder_text(props()) == "Islamic State"
    contested = props(status="contested", opponent_labels=["Iraqi government"])
    assert popups.holder_text(contested) == "Islamic State, contested by Iraqi government"
    besieged = props(status="besieged", opponent_labels=["SDF / YPG", "Turkey"])
    assert popups.holder_text(besieged) == "Islamic State, besieged by SDF / YPG, Turkey"
    unknown = props(controller=None, status="unknown", since_label=None)
    assert popups.holder_text(unknown).startswith("Unknown")
    assert popups.since_text(unknown) == ""


def test_popup_of_a_real_place_uses_since_label_with_precision(mini: controlmap.Dataset) -> None:
    snap = controlmap.snapshot(mini, dt.date(2017, 1, 1))
    colours = controlmap.palette_colours(mini)
    place = mini.place("alpha")
    prop = controlmap.place_properties(mini, place, snap.period(mini.place_position("alpha")), colours)
    text = "".join(parse(popups.popup_html(prop)).text)
    assert "Since November 2016" in text  # a month-precise start is shown as a month
    assert "contested by Iraqi government" in text
    assert "Report B" in text


def test_legend_lists_factions_with_counts_and_unknown(mini: controlmap.Dataset) -> None:
    snap = controlmap.snapshot(mini, dt.date(2018, 6, 1))
    entries = controlmap.legend_entries(mini, snap.faction_counts())
    fragment = popups.legend_html(entries, unknown_count=snap.unknown_count(), unknown_colour="#c8c8c8")
    rows = re.findall(r'data-faction="([^"]+)"', fragment)
    assert rows == [*(e["id"] for e in entries), "unknown"]
    assert "Unknown" in fragment
    assert html.escape("Turkey and Turkish-backed opposition") in fragment


def test_legend_escapes_labels() -> None:
    entries = [{"id": "x", "label": EVIL, "colour": "#000000", "count": 2}]
    fragment = popups.legend_html(entries, unknown_count=0, unknown_colour="#cccccc")
    assert EVIL not in fragment
    assert html.escape(EVIL) in fragment


def test_legend_title_and_notes_are_text() -> None:
    fragment = popups.legend_html([], unknown_count=0, unknown_colour="#cccccc", title="<b>1 June</b>", notes=[EVIL])
    text = "".join(parse(fragment).text)
    assert "<b>1 June</b>" in text
    assert EVIL in text
    assert {tag for tag, _ in parse(fragment).tags} == {"div", "ul"}
