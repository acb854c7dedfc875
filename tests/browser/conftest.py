"""Fixtures of the browser tests: one Chromium per test session, app servers by dataset, watched contexts.

Every test here drives Debian's Chromium through Playwright and is marked ``browser``. A context from
`watched` fails its test on a JavaScript error, a dialog or a request that leaves this machine, and keeps a
screenshot of every page in ``test-artifacts/`` when its test failed.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from benchmarks.appserver import CHROMIUM, CHROMIUM_ARGS, app_server

from browser.browserkit import ARTIFACTS, Watch, watch

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, BrowserContext


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder ``browser`` (``-m "not browser"`` leaves them out)."""
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/") or item.nodeid.startswith("browser/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless and quiet offline (``make test`` installs it)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Servers(Protocol):
    def __call__(self, data: Path) -> str: ...


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """``app_url(data_dir)``: the URL of ``streamlit run app.py`` on that dataset, started once per session."""
    servers: dict[Path, str] = {}
    with contextlib.ExitStack() as stack:

        def start(data: Path) -> str:
            if data not in servers:
                log = tmp_path_factory.mktemp("streamlit") / "server.log"
                servers[data] = stack.enter_context(app_server(data, log)).url
            return servers[data]

        yield start


class Contexts(Protocol):
    def __call__(self, *, watch_failures: bool = False, **options: Any) -> tuple[BrowserContext, Watch]: ...


@pytest.fixture
def watched(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Contexts]:
    """``watched(**context_options)``: a new browser context and its `Watch`; checked and closed after the test."""
    opened: list[tuple[BrowserContext, Watch]] = []

    def new(*, watch_failures: bool = False, **options: Any) -> tuple[BrowserContext, Watch]:
        context = browser.new_context(**options)
        opened.append((context, watch(context, watch_failures=watch_failures)))
        return opened[-1]

    failures_before = request.session.testsfailed
    yield new
    failed = request.session.testsfailed > failures_before
    problems = [problem for _, seen in opened for problem in seen.problems()]
    for number, (context, _) in enumerate(opened):
        if failed or problems:
            ARTIFACTS.mkdir(exist_ok=True)
            for index, page in enumerate(context.pages):
                with contextlib.suppress(Exception):  # a page that crashed has no screenshot to give
                    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{number}-{index}.png"), full_page=True)
        context.close()
    assert problems == [], "JavaScript errors, dialogs or requests off this machine"
