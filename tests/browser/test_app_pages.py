"""The app's pages as a person opens them: the whole history readable, a clean console, no missing file.

Every test here fails on a JavaScript error, a dialog or a request off this machine (the `watched` context);
these also fail on any console warning and on any response that is not found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from browser.browserkit import WEBAPP

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Response

    from browser.conftest import Contexts, Servers

# Chromium's own notes on the frames that Streamlit creates (their permission lists and sandbox flags), not on
# anything this project draws or asks for.
FRAME_NOTES = ("Unrecognized feature: ", "An iframe which has both allow-scripts and allow-same-origin")


class Seen:
    """The console warnings and the failed responses of a page."""

    def __init__(self, page: Page) -> None:
        self.warnings: list[str] = []
        self.missing: list[str] = []
        page.on("console", self._console)
        page.on("response", self._response)

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.missing.append(f"{response.status} {response.url}")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "warning" and not message.text.startswith(FRAME_NOTES):
            self.warnings.append(message.text)


WAIT_MS = 30_000
VIEWPORT = {"width": 1400, "height": 1200}


@pytest.fixture
def server(app_url: Servers) -> str:
    return app_url(WEBAPP)


def test_the_whole_history_shows_every_column(watched: Contexts, server: str) -> None:
    context, _ = watched(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{server}/?date=2016-08-20&place=delta")
    page.get_by_text("Whole history", exact=True).click(timeout=WAIT_MS)
    table = page.locator('[data-testid="stTable"] table')
    table.wait_for(timeout=WAIT_MS)
    headers = table.locator("thead th")
    assert headers.all_inner_texts() == ["from", "until", "held by", "sources"]
    box = table.bounding_box()
    assert box is not None
    assert box["width"] >= 0.6 * VIEWPORT["width"], "the table is squeezed into a narrow column"
    for header in headers.all():
        cell = header.bounding_box()
        assert cell is not None
        assert cell["width"] >= 60
        assert box["x"] <= cell["x"]
        assert cell["x"] + cell["width"] <= min(box["x"] + box["width"], VIEWPORT["width"]) + 1
    # The sources are there to read, whole.
    assert "Report B" in table.inner_text()


def test_the_map_and_its_timeline_draw_without_a_console_warning(watched: Contexts, server: str) -> None:
    context, _ = watched(viewport=VIEWPORT)
    page = context.new_page()
    seen = Seen(page)
    # Not comparing, then comparing; the timeline (open at first) folded and opened again, then the tabs.
    for query in ("date=2016-08-20", "date=2017-01-01&compare=2015-01-01"):
        page.goto(f"{server}/?{query}")
        page.locator(".cm-app[data-ready=true]").wait_for(state="attached", timeout=WAIT_MS)
        bars = page.locator(".cm-timeline-bars")
        bars.wait_for(timeout=WAIT_MS)
        page.locator(".cm-timeline summary").click()
        bars.wait_for(state="hidden", timeout=WAIT_MS)
        page.locator(".cm-timeline summary").click()
        bars.wait_for(timeout=WAIT_MS)
        page.get_by_role("tab", name="Compare dates").click()
        page.get_by_role("tab", name="Changes").click()
    assert seen.warnings == []
    assert seen.missing == []


def test_the_article_page_opens_by_its_url_with_nothing_missing(watched: Contexts, server: str) -> None:
    context, _ = watched(viewport=VIEWPORT)
    page = context.new_page()
    seen = Seen(page)
    page.goto(f"{server}/?page=article")
    page.get_by_role("heading", name="From article to map").wait_for(timeout=WAIT_MS)
    page.get_by_label("Article text").wait_for(timeout=WAIT_MS)
    assert seen.missing == []
    assert seen.warnings == []
    # And from the map, by the link in its sidebar.
    page.goto(f"{server}/?date=2016-08-20")
    link = page.get_by_role("link", name="From article to map")
    link.wait_for(timeout=WAIT_MS)
    assert link.get_attribute("href") == "?page=article"
    assert seen.missing == []
