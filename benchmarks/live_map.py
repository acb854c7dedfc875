"""The live map's figures, in headless Chromium: ``python -m benchmarks.live_map [--sizes 10000 100000]``.

For the shipped data, and for synthetic datasets of the sizes given:

- **the app**: first painted map after the server is ready (and warmed); a date step by key press, split into
  the frame's work (the engine's restyle plus the browser's paint, from the animation frame that restyles to
  the end of that frame, found by a message posted from it) and input to painted (the same, plus the wait for
  the frame); a 2-second mouse drag across the years (distinct map states drawn, the fewest places drawn in a
  frame, and how long after the release the page's URL shows the date); the bytes the server sends per date
  step; the server's resident memory after scrubbing 30 dates;
- **the HTML export**: its size, the time it takes to open, and a date step (as above).

Medians of several runs; the load average is printed beside them (the machine is shared). Nothing is
asserted: these are measurements. ``--json FILE`` writes them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.appserver import CHROMIUM, CHROMIUM_ARGS, REPO, app_server, memory_mb

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

GEODATA = REPO / "geodata"
WAIT_MS = 300_000

# In the page: each input event, the frame that restyles after it (rAF), and the end of that frame (a
# message posted from the frame runs once its rendering is done).
STEP_JS = """() => {
    window.__steps = [];
    const slider = document.getElementById("cm-slider");
    slider.addEventListener("input", () => {
        const input = performance.now();
        requestAnimationFrame(() => {
            const frame = performance.now();
            requestAnimationFrame(() => {});
            const channel = new MessageChannel();
            channel.port1.onmessage = () => window.__steps.push({input, frame, done: performance.now()});
            channel.port2.postMessage(0);
        });
    });
}"""
DRAG_JS = """() => {
    window.__drawn = new Set(); window.__fewest = Infinity; window.__watching = true;
    const watch = () => {
        window.__drawn.add(document.documentElement.getAttribute("data-date"));
        const paths = document.querySelectorAll("path.cm-place").length;
        if (paths) { window.__fewest = Math.min(window.__fewest, paths); }
        if (window.__watching) { requestAnimationFrame(watch); }
    };
    requestAnimationFrame(watch);
}"""


def median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def key_steps(page: Page, presses: int) -> dict[str, float]:
    """Press the slider's right arrow ``presses`` times, a frame apart; the medians of the steps."""
    page.evaluate(STEP_JS)
    slider = page.get_by_role("slider", name="Date")
    slider.focus()
    for _ in range(presses):
        slider.press("ArrowRight")
        page.wait_for_function(f"() => window.__steps.length >= {_ + 1}", timeout=WAIT_MS)
    steps: list[dict[str, float]] = page.evaluate("() => window.__steps")
    return {
        "frame_ms": median([s["done"] - s["frame"] for s in steps]),
        "input_to_painted_ms": median([s["done"] - s["input"] for s in steps]),
        "steps": len(steps),
    }


def drag(page: Page, *, seconds: float = 2.0, moves: int = 120) -> dict[str, float]:
    """Drag the slider's thumb from the start to the end of the data in ``seconds``; what the map showed."""
    page.evaluate(DRAG_JS)
    slider = page.get_by_role("slider", name="Date")
    box = slider.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    began = time.monotonic()
    for step in range(1, moves + 1):
        page.mouse.move(box["x"] + 2 + (box["width"] - 4) * step / moves, y)
        pause = began + seconds * step / moves - time.monotonic()
        if pause > 0:
            time.sleep(pause)  # pacing the hand, not waiting for the page
    page.evaluate("() => { window.__released = performance.now(); }")
    page.mouse.up()
    shown = page.evaluate("() => window.controlmapApp ? controlmapApp.date() : controlmap.date()")
    followed = None
    if page.evaluate("() => !!window.controlmapApp"):
        page.wait_for_function(
            "day => new URLSearchParams(location.search).get('date') === day", arg=shown, timeout=WAIT_MS
        )
        followed = page.evaluate("() => performance.now() - window.__released")
    page.evaluate("() => { window.__watching = false; }")
    fewest = page.evaluate("() => window.__fewest")
    return {
        "drag_s": round(time.monotonic() - began, 2),
        "states": page.evaluate("() => window.__drawn.size"),
        "fewest_places_in_a_frame": None if fewest == float("inf") else fewest,
        "followed_ms": followed,
    }


def app_figures(browser: Browser, data: Path, scratch: Path, *, presses: int, dates: int) -> dict[str, Any]:
    """The app on ``data``: first paint, steps, a drag, bytes per step, memory after scrubbing."""
    figures: dict[str, Any] = {}
    with app_server(data, scratch / "server.log") as server:
        figures["server_ready_s"] = round(server.started_s, 2)
        figures["server_warmed_s"] = round(server.warmed_s, 2)
        figures["rss_after_start_mb"] = round(memory_mb(server.process.pid))
        firsts = []
        for _ in range(3):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            began = time.monotonic()
            page.goto(server.url, timeout=WAIT_MS)
            page.locator(".cm-app[data-ready=true]").wait_for(state="attached", timeout=WAIT_MS)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
            firsts.append(time.monotonic() - began)
            context.close()
        figures["first_map_s"] = round(median(firsts), 2)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        received: list[int] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
        page.goto(server.url + "/?date=2014-06-01", timeout=WAIT_MS)
        page.locator(".cm-app[data-ready=true]").wait_for(state="attached", timeout=WAIT_MS)
        figures.update(key_steps(page, presses))
        # The page follows each step: what the server sent for one (after the keys pause, the report).
        page.wait_for_timeout(1500)  # let the last report's rerun finish before counting
        received.clear()
        slider = page.get_by_role("slider", name="Date")
        slider.press("ArrowRight")
        day = page.evaluate("() => controlmapApp.date()")
        page.wait_for_function(
            "day => new URLSearchParams(location.search).get('date') === day", arg=day, timeout=WAIT_MS
        )
        page.wait_for_timeout(1000)  # the rest of the rerun's messages
        figures["bytes_received_per_step"] = sum(received)
        figures.update(drag(page))
        for _ in range(dates):
            slider.press("PageDown")
            page.wait_for_function(
                "day => new URLSearchParams(location.search).get('date') === day",
                arg=page.evaluate("() => controlmapApp.date()"), timeout=WAIT_MS,
            )  # fmt: skip
        figures["dates_scrubbed"] = dates
        figures["rss_after_scrubbing_mb"] = round(memory_mb(server.process.pid))
        context.close()
    return figures


def export_figures(browser: Browser, data: Path, scratch: Path, *, presses: int) -> dict[str, Any]:
    """The HTML export of ``data``: size, time to open, steps, a drag."""
    import controlmap  # noqa: PLC0415 - after the command line is read
    from controlmap.basemap import load_basemap  # noqa: PLC0415
    from controlmap.web.standalone import dataset_to_html  # noqa: PLC0415

    dataset = controlmap.dataset_from_dir(data)
    began = time.monotonic()
    page_file = scratch / "map.html"
    page_file.write_text(dataset_to_html(dataset, basemap=load_basemap(data)), "utf-8")
    figures: dict[str, Any] = {"build_s": round(time.monotonic() - began, 2)}
    figures["size_mb"] = round(page_file.stat().st_size / 1e6, 2)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    began = time.monotonic()
    page.goto(page_file.as_uri(), timeout=WAIT_MS)
    page.wait_for_selector("html[data-ready=true]", timeout=WAIT_MS)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
    figures["open_s"] = round(time.monotonic() - began, 2)
    figures["canvas"] = page.evaluate("() => controlmap.canvas")
    figures.update(key_steps(page, presses))
    figures.update(drag(page))
    context.close()
    return figures


def main() -> int:
    """Measure and print; ``--json`` writes the figures too."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000], help="synthetic dataset sizes")
    parser.add_argument("--presses", type=int, default=15)
    parser.add_argument("--dates", type=int, default=30, help="dates scrubbed before reading the memory")
    parser.add_argument("--no-app", action="store_true", help="only the HTML export")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a dev dependency

    from benchmarks.synthetic import write_synthetic_dataset  # noqa: PLC0415

    results: dict[str, Any] = {"load_average_before": load()}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        datasets: list[tuple[str, Path]] = [("shipped", GEODATA)]
        for size in args.sizes:
            datasets.append((str(size), write_synthetic_dataset(Path(tmp) / f"synthetic-{size}", size)))
        for label, data in datasets:
            scratch = Path(tmp) / f"scratch-{label}"
            scratch.mkdir()
            figures: dict[str, Any] = {"load_average": load()}
            if not args.no_app:
                print(f"[{label}] the app", file=sys.stderr, flush=True)
                figures["app"] = app_figures(browser, data, scratch, presses=args.presses, dates=args.dates)
            print(f"[{label}] the HTML export", file=sys.stderr, flush=True)
            figures["export"] = export_figures(browser, data, scratch, presses=args.presses)
            figures["load_average_after"] = load()
            results[label] = figures
            print(json.dumps({label: figures}, indent=1), flush=True)
        browser.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
