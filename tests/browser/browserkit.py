"""What every browser test shares: Chromium, the app server and a watch on a browser context.

Debian's Chromium and its quiet offline flags, ``streamlit run app.py`` on a dataset, and a watch that
records JavaScript errors, dialogs and requests that leave this machine. The fixtures built on these are in
``conftest.py`` beside this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Route

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
WEBAPP = TESTS / "data" / "webapp"
ARTIFACTS = REPO / "test-artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
LOCAL_SCHEMES = ("data:", "blob:", "about:", "file:")


@dataclass
class Watch:
    """What the pages of a browser context logged, opened and asked for."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything that should not have happened, one line each."""
        return [
            *self.errors,
            *(f"dialog: {d}" for d in self.dialogs),
            *(f"left the machine: {r}" for r in self.refused),
            *(f"request failed: {r}" for r in self.failed),
        ]


def watch(context: BrowserContext, *, watch_failures: bool = False) -> Watch:
    """Record JavaScript errors and dialogs of every page of ``context``; refuse requests that leave this machine.

    With ``watch_failures``, requests that failed for another reason are recorded too (a page opened from a
    file should load nothing that can fail).
    """
    seen = Watch()

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES) or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            seen.refused.append(url)
            route.abort()

    def dialog(opened: Any) -> None:
        seen.dialogs.append(f"{opened.type}: {opened.message}")
        opened.dismiss()

    def console(message: Any) -> None:
        if message.type == "error":
            seen.errors.append(f"console: {message.text}")

    def failed(request: Any) -> None:
        if request.url not in seen.refused:
            seen.failed.append(request.url)

    def page(new: Any) -> None:
        new.on("console", console)
        new.on("pageerror", lambda error: seen.errors.append(f"pageerror: {error}"))
        new.on("dialog", dialog)
        if watch_failures:
            new.on("requestfailed", failed)

    context.route("**/*", route)
    context.on("page", page)
    return seen
