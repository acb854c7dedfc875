"""Measure the app in headless Chromium: time to the first painted map, and slider-to-repaint latency.

Usage::

    .venv/bin/python scripts/measure_app.py [--data geodata] [--pairs 6] [--presses 6]

It starts ``streamlit run app.py`` on a free port, waits until the server answers, opens the app and
times how long the map takes to paint its places. Then, around several change dates, it presses the
slider's arrow keys and times each press to the next painted frame of the new places (the map's layer is
swapped in one task, so this is what a person sees). It also watches every animation frame for one with
no places drawn (a blank frame). It prints the numbers, and exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
FIRST_PAINT_TARGET_S = 3.0
REPAINT_TARGET_MS = 150.0

# In the map's frame: note the time of the first animation frame after the places are replaced, and the
# fewest places seen on any frame.
WATCH_JS = """() => {
    window.__paints = [];
    window.__fewest = Infinity;
    const pane = document.querySelector(".leaflet-overlay-pane");
    new MutationObserver(() => {
        requestAnimationFrame(() => window.__paints.push(performance.timeOrigin + performance.now()));
    }).observe(pane, {childList: true, subtree: true});
    const count = () => {
        window.__fewest = Math.min(window.__fewest, document.querySelectorAll("path.cm-place").length);
        requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
}"""
WAIT_PAINT_JS = """(_, n) => new Promise((ok, fail) => {
    const until = performance.now() + 15000;
    const wait = () => window.__paints.length > n ? ok()
        : performance.now() > until ? fail(new Error("no repaint")) : requestAnimationFrame(wait);
    wait();
})"""
CHART = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
KEY_JS = """() => {
    window.__keys = [];
    document.addEventListener("keydown", () => window.__keys.push(performance.timeOrigin + performance.now()), true);
}"""


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


def wait_until_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"streamlit exited with {process.returncode}"
            raise RuntimeError(msg)
        if answers(f"{url}/_stcore/health"):
            return
        time.sleep(0.05)  # polling interval
    msg = f"no answer from {url}"
    raise TimeoutError(msg)


def warm_up(url: str, timeout: float = 120.0) -> None:
    """Run the app once on the server (its script health check), as `make run` does after starting it."""
    with urllib.request.urlopen(f"{url}/_stcore/script-health-check", timeout=timeout) as response:
        if response.status != 200:
            msg = f"the app's script health check answered {response.status}"
            raise RuntimeError(msg)


def start_server(url: str, port: int, data: Path) -> tuple[subprocess.Popen[bytes], float]:
    """Start ``streamlit run app.py``; return the process and how long it took to answer."""
    env = {**os.environ, "CONTROLMAP_DATA": str(data)}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1",
    ]  # fmt: skip
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_ready(url, process)
    return process, time.monotonic() - started


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def first_map(page: Any, url: str) -> float:
    """Seconds from opening the app to the first animation frame with the places drawn."""
    start = time.monotonic()
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.cm-place").first.wait_for(state="attached", timeout=60_000)
    frame.locator("body").evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
    return time.monotonic() - start


def change_pairs(data: Path, count: int) -> list[dt.date]:
    """Change dates spread over the data's range whose day before is inside it."""
    import controlmap  # noqa: PLC0415 - only needed once the server is up

    dataset = controlmap.dataset_from_dir(data)
    dates = [d for d in controlmap.change_dates(dataset) if d > dataset.coverage_start]
    if not dates:
        return []
    step = max(1, len(dates) // count)
    return dates[::step][:count]


def scrub(page: Any, url: str, data: Path, *, pairs: int, presses: int, results: dict[str, Any]) -> None:
    """Press the slider's arrows around change dates; time each press to the repaint; watch for blank frames."""
    frame = page.frame_locator(MAP_FRAME)
    cold: list[float] = []
    warm: list[float] = []
    fewest = []
    for change in change_pairs(data, pairs):
        before = change - dt.timedelta(days=1)
        print(f"scrubbing around {change}", file=sys.stderr, flush=True)
        page.goto(f"{url}/?date={before.isoformat()}")
        frame.locator("path.cm-place").first.wait_for(state="attached", timeout=60_000)
        # The rest of the page follows the map (see app.history_tabs): scrub once it is all there.
        page.locator(CHART).first.wait_for(timeout=60_000)
        frame.locator("body").evaluate(WATCH_JS)
        page.evaluate(KEY_JS)
        slider = page.get_by_role("slider", name="Date on the map")
        slider.focus()
        for press in range(presses):
            seen = frame.locator("body").evaluate("() => window.__paints.length")
            slider.press("ArrowRight" if press % 2 == 0 else "ArrowLeft")
            frame.locator("body").evaluate(WAIT_PAINT_JS, seen)
            pressed = page.evaluate("() => window.__keys[window.__keys.length - 1]")
            painted = frame.locator("body").evaluate(f"() => window.__paints[{seen}]")
            (cold if press < 2 else warm).append(painted - pressed)
        fewest.append(frame.locator("body").evaluate("() => window.__fewest"))
    results["repaint_cold_ms"] = cold
    results["repaint_warm_ms"] = warm
    results["fewest_places_on_a_frame"] = min(fewest) if fewest else None


def measure(data: Path, pairs: int, presses: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a dev dependency

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # 1. A visitor right after the server answers, before anything ran: imports and caches are cold.
        process, results["server_ready_s"] = start_server(url, port, data)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            results["first_map_cold_s"] = first_map(page, url)
            page.close()
        finally:
            stop_server(process)
        # 2. As `make run` does: the server, then one run of the app to warm it, then the first visitor.
        process, _ = start_server(url, port, data)
        try:
            started = time.monotonic()
            warm_up(url)
            results["warm_up_s"] = time.monotonic() - started
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            results["first_map_s"] = first_map(page, url)
            print(f"first map after {results['first_map_s']:.2f} s", file=sys.stderr, flush=True)
            frame = page.frame_locator(MAP_FRAME)
            results["places"] = frame.locator("path.cm-place").count()
            page.locator(CHART).first.wait_for(timeout=60_000)
            again = browser.new_page(viewport={"width": 1400, "height": 1000})
            results["first_map_again_s"] = first_map(again, url)
            again.close()

            scrub(page, url, data, pairs=pairs, presses=presses, results=results)
        finally:
            stop_server(process)
            browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / "geodata", help="geodata directory (default: geodata)")
    parser.add_argument("--pairs", type=int, default=6, help="change dates to scrub around")
    parser.add_argument("--presses", type=int, default=6, help="arrow presses around each change date")
    args = parser.parse_args()
    results = measure(args.data.resolve(), args.pairs, args.presses)
    every = results["repaint_cold_ms"] + results["repaint_warm_ms"]
    median = statistics.median(every) if every else float("nan")
    print(f"data: {args.data} ({results['places']} places drawn)")
    print(f"server answering after start:   {results['server_ready_s']:.2f} s")
    print(f"first painted map, cold server: {results['first_map_cold_s']:.2f} s (nothing run yet: imports and caches)")
    print(f"warm-up (script health check):  {results['warm_up_s']:.2f} s")
    print(f"first painted map after warm-up:{results['first_map_s']:5.2f} s (target < {FIRST_PAINT_TARGET_S:.0f} s)")
    print(f"first painted map, next visitor:{results['first_map_again_s']:5.2f} s")
    for name in ("cold", "warm"):
        values = results[f"repaint_{name}_ms"]
        if values:
            print(
                f"slider -> repaint, {name} dates:   median {statistics.median(values):.0f} ms, "
                f"max {max(values):.0f} ms over {len(values)} presses"
            )
    print(f"slider -> repaint, all:         median {median:.0f} ms (target < {REPAINT_TARGET_MS:.0f} ms)")
    print(f"fewest places on any frame while scrubbing: {results['fewest_places_on_a_frame']} of {results['places']}")
    ok = (
        results["first_map_s"] < FIRST_PAINT_TARGET_S
        and median < REPAINT_TARGET_MS
        and results["fewest_places_on_a_frame"] == results["places"]
    )
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
