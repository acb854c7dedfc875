"""Load: ten browser sessions scrub the date slider of ONE app server at once, each around its own date.

One Chromium, ten contexts (separate sessions), one ``streamlit run app.py`` on 127.0.0.1. Each session
starts the day before a change date of the web app test dataset and presses the slider's arrows back and
forth across it, all sessions pressing in the same round. After every press the session must show its own
date: every place is drawn in the colour `controlmap` gives it on that date (a place that changes hands that
day included), and the URL says so once the server has followed the map, whatever the other sessions are
showing. No JavaScript error, no dialog, no exception on the page. The latency from key press to the frame
showing the new colours (in the browser) and to the URL following (a round trip to the server) is printed
(median, p95, max), not asserted: it depends on the machine.

It scrubs for ``$CONTROLMAP_LOAD_SECONDS`` seconds (default 20; 60 for a longer run).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from typing import TYPE_CHECKING

import pytest

import controlmap
from controlmap.records import place_properties

from browser.browserkit import WEBAPP

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from browser.browserkit import Watch
    from browser.conftest import Contexts, Servers

# "load": `make test` runs it alone, after the others, so that it measures the app, not the other tests.
pytestmark = [pytest.mark.browser, pytest.mark.load]

SESSIONS = 10
SECONDS = float(os.environ.get("CONTROLMAP_LOAD_SECONDS", "20"))
WAIT_MS = 60_000

# In the page: note key presses, and, once armed with a place and a colour, the first animation frame on
# which the map draws that place in that colour.
WATCH_JS = """() => {
    window.__keys = [];
    window.__urlAt = {};
    const url = () => {
        const day = new URLSearchParams(location.search).get("date");
        if (!(day in window.__urlAt)) { window.__urlAt[day] = performance.now(); }
        requestAnimationFrame(url);
    };
    requestAnimationFrame(url);
    document.addEventListener("keydown", () => window.__keys.push(performance.now()), true);
    window.__arm = (id, attribute, colour) => {
        window.__shown = undefined;
        const check = () => {
            const path = document.querySelector("path.cm-place-" + id);
            if (path && (path.getAttribute(attribute) || "").toLowerCase() === colour) {
                window.__shown = performance.now();
            } else {
                requestAnimationFrame(check);
            }
        };
        requestAnimationFrame(check);
    };
}"""
COLOURS_JS = """(ids) => Object.fromEntries(ids.map(id => {
    const path = document.querySelector("path.cm-place-" + id[0]);
    return [id[0], path ? (path.getAttribute(id[1]) || "").toLowerCase() : null];
}))"""


def drawn_colours(dataset: controlmap.Dataset, day: dt.date) -> dict[str, str]:
    """The colour each place is drawn in on ``day`` (a river's line, any other place's fill)."""
    snap = controlmap.snapshot(dataset, day)
    colours = controlmap.palette_colours(dataset)
    return {
        place.id: place_properties(dataset, place, snap.period(i), colours)["fill"].lower()
        for i, place in enumerate(dataset.places)
    }


def attribute(dataset: controlmap.Dataset, place_id: str) -> str:
    """The attribute that carries a place's colour (a hatched area's fill is a pattern, so read its data-fill)."""
    del dataset, place_id  # the same for every place
    return "data-fill"


def crossings(dataset: controlmap.Dataset) -> list[tuple[dt.date, str]]:
    """Change dates with a place whose colour changes on that date (the session's witness)."""
    found = []
    for change in controlmap.change_dates(dataset):
        before = drawn_colours(dataset, change - dt.timedelta(days=1))
        after = drawn_colours(dataset, change)
        witness = next((pid for pid in after if before[pid] != after[pid]), None)
        if witness is not None:
            found.append((change, witness))
    return found


class Session:
    """One person scrubbing back and forth across a change date."""

    def __init__(self, page: Page, seen: Watch, change: dt.date, witness: str) -> None:
        self.page = page
        self.seen = seen
        self.change = change
        self.witness = witness
        self.day = change - dt.timedelta(days=1)
        self.latencies: list[float] = []
        self.followed: list[float] = []
        self.steps = 0

    def press(self, dataset: controlmap.Dataset) -> None:
        """Move a day across the change date, and arm the watch for the witness's colour on the new day."""
        forward = self.day < self.change
        self.day += dt.timedelta(days=1 if forward else -1)
        colour = drawn_colours(dataset, self.day)[self.witness]
        self.page.evaluate(
            "([id, attribute, colour]) => window.__arm(id, attribute, colour)",
            [self.witness, attribute(dataset, self.witness), colour],
        )
        self.page.evaluate("day => { delete window.__urlAt[day]; }", self.day.isoformat())
        self.page.get_by_role("slider", name="Date").press("ArrowRight" if forward else "ArrowLeft")

    def check(self, dataset: controlmap.Dataset) -> None:
        """Wait for the new colours; then the URL and every place must show this session's own date."""
        self.page.wait_for_function("() => window.__shown !== undefined", timeout=WAIT_MS)
        self.latencies.append(self.page.evaluate("() => window.__shown - window.__keys[window.__keys.length - 1]"))
        self.page.wait_for_function(
            "day => new URLSearchParams(location.search).get('date') === day", arg=self.day.isoformat(), timeout=WAIT_MS
        )
        self.followed.append(
            self.page.evaluate(
                "day => { const at = window.__urlAt[day]; delete window.__urlAt[day];"
                " return at - window.__keys[window.__keys.length - 1]; }",
                self.day.isoformat(),
            )
        )
        expected = drawn_colours(dataset, self.day)
        ids = [[pid, attribute(dataset, pid)] for pid in expected]
        shown = self.page.evaluate(COLOURS_JS, ids)
        assert shown == expected, f"session at {self.day} shows another date's colours"
        self.steps += 1


def test_ten_sessions_scrubbing_one_server_each_see_their_own_date(watched: Contexts, app_url: Servers) -> None:
    dataset = controlmap.dataset_from_dir(WEBAPP)
    witnesses = crossings(dataset)
    assert len(witnesses) >= 3
    sessions: list[Session] = []
    url = app_url(WEBAPP)
    opened = [watched(viewport={"width": 1200, "height": 900}) for _ in range(SESSIONS)]
    contexts = [context for context, _ in opened]
    watches = [seen for _, seen in opened]
    for number, (context, seen) in enumerate(zip(contexts, watches, strict=True)):
        change, witness = witnesses[number % len(witnesses)]
        session = Session(context.new_page(), seen, change, witness)
        session.page.goto(f"{url}/?date={session.day.isoformat()}", wait_until="commit")
        sessions.append(session)
    for session in sessions:  # the pages load together; wait for each map
        session.page.locator(".cm-app[data-ready=true]").wait_for(state="attached", timeout=WAIT_MS)
        session.page.evaluate(WATCH_JS)
        session.page.get_by_role("slider", name="Date").focus()
    deadline = time.monotonic() + SECONDS
    rounds = 0
    while time.monotonic() < deadline:
        for session in sessions:  # every session presses, then each waits for its own date
            session.press(dataset)
        for session in sessions:
            session.check(dataset)
        rounds += 1
    for session in sessions:
        assert session.page.locator('[data-testid="stException"]').count() == 0

    def spread(values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return f"median {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms, max {ordered[-1]:.0f} ms"

    repaints = [value for session in sessions for value in session.latencies]
    follows = [value for session in sessions for value in session.followed]
    print(
        f"\n{SESSIONS} sessions, {rounds} rounds, {len(repaints)} slider steps in {SECONDS:.0f} s: press to repaint "
        f"{spread(repaints)}; press to the page following (URL) {spread(follows)}"
    )
    assert all(session.steps == rounds for session in sessions)
    assert [problem for seen in watches for problem in seen.problems()] == []
