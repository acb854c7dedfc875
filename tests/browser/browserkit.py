"""What every browser test shares: Chromium, the app server and a watch on a browser context.

Debian's Chromium and its quiet offline flags, ``streamlit run app.py`` on a dataset, and a watch that
records JavaScript errors, dialogs and requests that leave this machine. The fixtures built on these are in
``conftest.py`` beside this file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import BrowserContext, Route

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
WEBAPP = TESTS / "data" / "webapp"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
LOCAL_SCHEMES = ("data:", "blob:", "about:", "file:")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a GET of ``url`` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextlib.contextmanager
def app_server(data: Path, log: Path) -> Iterator[str]:
    """``streamlit run app.py`` on a free port of 127.0.0.1 with ``data``, warmed; its URL. Stopped after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=REPO, env={**os.environ, "CONTROLMAP_DATA": str(data)}, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while not answers(f"{url}/_stcore/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                msg = f"streamlit did not start (see {log})"
                raise RuntimeError(msg)
            time.sleep(0.1)  # polling interval: the loop ends on the condition
        # Runs app.py once: fails early if the app cannot run, and warms it as `make run` does.
        if not answers(f"{url}/_stcore/script-health-check", timeout=120):
            msg = f"the app does not run (see {log})"
            raise RuntimeError(msg)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
