"""Measure the exports against their targets and print the numbers.

Targets (on the project's 2-core machine): one PNG at 1600 x 1200 in under 1 s warm; a 100-frame GIF in
under 30 s; the HTML export open and interactive in under 1 s.

Run: ``.venv/bin/python scripts/measure_exports.py [--data geodata] [--frames 100] [--no-browser]``

The slider step of the HTML page is timed inside the page: from setting the slider's value (an ``input``
event) to the end of the next frame's work on the main thread (script, style, layout, paint), one day
after a date spread over the range, after the page has gone idle.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import controlmap
from controlmap.basemap import load_basemap
from controlmap.export.image import ImageRenderer, snapshot_to_image
from controlmap.export.timelapse import frame_dates, timelapse_to_bytes
from controlmap.web.standalone import dataset_to_html

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Browser, Route

    from controlmap.basemap import Basemap

DAY = dt.date(2016, 3, 24)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


def timed(label: str, function: Callable[[], object], *, repeat: int = 1) -> float:
    """Run ``function`` ``repeat`` times; print and return the median seconds."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    print(f"{label:<52} {median:7.3f} s" + (f"  (median of {repeat})" if repeat > 1 else ""))
    return median


def measure_images(dataset: controlmap.Dataset, basemap: Basemap) -> None:
    snap = controlmap.snapshot(dataset, DAY)
    timed("PNG 1600x1200, cold (first in the process)", lambda: snapshot_to_image(snap, basemap=basemap))
    timed("PNG 1600x1200, warm (snapshot_to_image)", lambda: snapshot_to_image(snap, basemap=basemap), repeat=5)
    renderer = ImageRenderer(dataset, basemap=basemap)
    renderer.render(snap)
    timed("PNG 1600x1200, warm (reused ImageRenderer)", lambda: renderer.render(snap), repeat=5)
    timed("SVG 1600x1200", lambda: snapshot_to_image(snap, format="svg", basemap=basemap), repeat=3)
    timed("PDF 1600x1200", lambda: snapshot_to_image(snap, format="pdf", basemap=basemap), repeat=3)


def measure_timelapse(dataset: controlmap.Dataset, basemap: Basemap, frames: int) -> None:
    dates = frame_dates(dataset, start=dataset.coverage_start, end=dataset.coverage_end, step="week")[:frames]
    for fmt, width, height in (("gif", 1600, 1200), ("gif", 1200, 900), ("mp4", 1600, 1200)):
        film = functools.partial(
            timelapse_to_bytes, dataset, start=dates[0], end=dates[-1], step="week", format=fmt, width=width,
            height=height, basemap=basemap,
        )  # fmt: skip
        timed(f"{fmt.upper()} {len(dates)} frames {width}x{height} (weekly)", film)


# Move the slider to ``value`` once the page is idle; resolve with the milliseconds until the next frame's
# main-thread work is done (the task after the animation frame runs once style, layout and paint are).
STEP_JS = """async (value) => {
    const slider = document.getElementById("cm-slider");
    await new Promise(done => requestIdleCallback(done, {timeout: 5000}));
    const start = performance.now();
    slider.value = String(value);
    slider.dispatchEvent(new Event("input"));
    await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
    if (document.documentElement.dataset.date === undefined) throw new Error("no date shown");
    return performance.now() - start;
}"""


def slider_steps(chromium: Browser, path: Path, *, samples: int = 12) -> dict[str, Any]:
    """Open the HTML page from disk (offline) and time slider moves: one-day steps, and jumps between them.

    Returns
    -------
    ``open_s`` (until interactive), ``step_ms`` (a day forward, after a date spread over the range) and
    ``jump_ms`` (from one of those dates to the next).
    """
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.route("**/*", _offline)
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=600_000)
    page.wait_for_selector("html[data-ready=true]", timeout=600_000)
    opened = time.perf_counter() - start
    span = int(page.get_attribute("#cm-slider", "max") or 0)
    steps, jumps = [], []
    for sample in range(samples):
        day = (sample + 1) * span // (samples + 2)
        jumps.append(page.evaluate(STEP_JS, day))
        steps.append(page.evaluate(STEP_JS, day + 1))
    page.close()
    return {"open_s": opened, "step_ms": steps, "jump_ms": jumps}


def _offline(route: Route) -> None:
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


def measure_html(dataset: controlmap.Dataset, basemap: Basemap, *, browser: bool) -> None:
    html: list[str] = []
    timed("HTML export built", lambda: html.append(dataset_to_html(dataset, date=DAY, basemap=basemap)), repeat=3)
    print(f"{'HTML export size':<52} {len(html[0].encode()) / 1e6:7.2f} MB")
    if not browser:
        return
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only this measurement needs a browser

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "map.html"
        path.write_text(html[0], "utf-8")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            ready, restyle = [], []
            for _ in range(4):
                page = chromium.new_page(viewport={"width": 1280, "height": 800})
                page.route("**/*", _offline)
                start = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_selector("html[data-ready=true]")
                ready.append(time.perf_counter() - start)
                start = time.perf_counter()
                page.fill("#cm-slider", str((dt.date(2018, 6, 1) - dataset.coverage_start).days))
                page.wait_for_selector("html[data-date='2018-06-01']")
                restyle.append(time.perf_counter() - start)
                page.close()
            steps = slider_steps(chromium, path)
            chromium.close()
    print(f"{'HTML opened until interactive, first page of Chromium':<52} {ready[0]:7.3f} s")
    print(f"{'HTML opened from file:// until interactive':<52} {statistics.median(ready[1:]):7.3f} s  (median of 3)")
    print(f"{'HTML slider move until every place restyled':<52} {statistics.median(restyle[1:]):7.3f} s  (median of 3)")
    step, jump = statistics.median(steps["step_ms"]) / 1000, statistics.median(steps["jump_ms"]) / 1000
    print(f"{'HTML slider step of a day, in the page':<52} {step:7.3f} s  (median of {len(steps['step_ms'])})")
    print(f"{'HTML slider jump of months, in the page':<52} {jump:7.3f} s  (median of {len(steps['jump_ms'])})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parent.parent / "geodata")
    parser.add_argument("--frames", type=int, default=100, help="frames of the timelapses (0: none)")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    dataset = controlmap.dataset_from_dir(args.data)
    basemap = load_basemap(args.data)
    print(f"data: {args.data} ({len(dataset.places)} places); date {DAY.isoformat()}")
    measure_images(dataset, basemap)
    measure_html(dataset, basemap, browser=not args.no_browser)
    if args.frames:
        measure_timelapse(dataset, basemap, args.frames)
    return 0


if __name__ == "__main__":
    sys.exit(main())
