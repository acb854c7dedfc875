"""Measure the app in headless Chromium: time to the first painted map, and slider-to-repaint latency.

Usage::

    .venv/bin/python scripts/measure_app.py [--data geodata] [--pairs 6] [--presses 6]
        [--app benchmarks/naive_app.py] [--skip-cold] [--json results.json] [--target-ms 150]

It starts ``streamlit run app.py`` on a free port, waits until the server answers, opens the app and
times how long the map takes to paint its places. Then, around several change dates, it presses the
slider's arrow keys and times each press to the first animation frame on which a place that changes
hands on that date is drawn in its new colour (read from the page, checked against `controlmap`'s
snapshot). It also watches every animation frame for one with no places drawn (a blank frame), and reads
the server's memory (VmRSS of its process and children). It prints the numbers, and exits non-zero when a
target is missed. ``--app`` measures another Streamlit script the same way (the naive baseline in
``benchmarks/naive_app.py``); ``--json`` writes the numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
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
EXCEPTION = '[data-testid="stException"]'
REST_TIMEOUT_S = 90
# In the page: resolve with the time of the first animation frame on which place ``id`` is drawn in ``colour``
# in the map's frame (a new frame too: a naive app rebuilds its whole map, and Streamlit its iframe).
PROBE_JS = """([id, colour, timeout]) => new Promise((ok, fail) => {
    const until = performance.now() + timeout;
    let found = null;
    const look = () => {
        for (const frame of document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]')) {
            const map = frame.contentWindow && frame.contentWindow.map;
            if (!map || !map._layers) continue;
            for (const key in map._layers) {
                const layer = map._layers[key];
                const props = layer.feature && layer.feature.properties;
                if (props && props.id === id && layer._path && layer._path.isConnected
                    && layer._path.classList.contains("cm-place")) return {frame, layer};
            }
        }
        return null;
    };
    // Still the place drawn on the page: its frame is in the page and still shows the map it is on.
    const current = (f) => f && f.frame.isConnected && f.frame.contentWindow
        && f.frame.contentWindow.map === f.layer._map && f.layer._path && f.layer._path.isConnected;
    const check = () => {
        if (!current(found)) found = look();
        if (found && (found.layer._path.getAttribute("fill") || "").toLowerCase() === colour) {
            ok(performance.timeOrigin + performance.now());
        } else if (performance.now() > until) {
            fail(new Error(`place ${id} was not drawn in ${colour}`));
        } else {
            requestAnimationFrame(check);
        }
    };
    check();
})"""
KEY_JS = """() => {
    window.__keys = [];
    document.addEventListener("keydown", () => window.__keys.push(performance.timeOrigin + performance.now()), true);
}"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc."""
    found = [pid]
    for process in found:
        for task in Path(f"/proc/{process}/task").glob("*"):
            try:
                found += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory of a process and its children (VmRSS summed) and the process's own peak (VmHWM), in MB."""
    total = 0.0
    peak = 0.0
    for process in process_tree(pid):
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        total += int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
        if process == pid:
            peak = int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
    return {"rss_mb": total, "own_peak_mb": peak}


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


def start_server(url: str, port: int, data: Path, app: str = "app.py") -> tuple[subprocess.Popen[bytes], float]:
    """Start ``streamlit run APP``; return the process and how long it took to answer."""
    env = {**os.environ, "CONTROLMAP_DATA": str(data)}
    command = [
        sys.executable, "-m", "streamlit", "run", app, "--server.headless", "true",
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


def change_probes(data: Path, count: int) -> list[tuple[dt.date, str, str, str]]:
    """Change dates spread over the data's range, each with a place whose fill changes then.

    Each comes with a place drawn as an area or a point, and its fill on the day before and on the date (the
    default palette).
    """
    import controlmap  # noqa: PLC0415 - only needed once the server is up
    from controlmap.style import feature_style, palette_colours  # noqa: PLC0415 - as above

    dataset = controlmap.dataset_from_dir(data)
    colours = palette_colours(dataset)

    def fills(day: dt.date) -> list[str]:
        snap = controlmap.snapshot(dataset, day)
        fills = []
        for position in range(len(dataset.places)):
            period = snap.period(position)
            state = (None, controlmap.UNKNOWN, ()) if period is None else (
                period.controller, period.status, period.opponents
            )  # fmt: skip
            fills.append(feature_style(*state, colours).fill.lower())
        return fills

    dates = [d for d in controlmap.change_dates(dataset) if d > dataset.coverage_start]
    spread = dates[:: max(1, len(dates) // max(count, 1))]
    probes = []
    for change in [*spread, *(d for d in dates if d not in spread)]:
        before, after = fills(change - dt.timedelta(days=1)), fills(change)
        for position, place in enumerate(dataset.places):
            if before[position] != after[position] and place.geometry.geom_type in ("Point", "Polygon"):
                probes.append((change, place.id, before[position], after[position]))
                break
        if len(probes) == count:
            break
    return probes


def scrub(
    page: Any, url: str, data: Path, *, pairs: int, presses: int, results: dict[str, Any], rest: bool = True
) -> None:
    """Press the slider's arrows around change dates; time each press to the repaint; watch for blank frames.

    With ``rest``, wait for the rest of the page (the timeline chart, or an exception) before scrubbing.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: PLC0415 - a dev dependency

    frame = page.frame_locator(MAP_FRAME)
    cold: list[float] = []
    warm: list[float] = []
    fewest = []
    for change, place_id, before_fill, after_fill in change_probes(data, pairs):
        before = change - dt.timedelta(days=1)
        print(f"scrubbing around {change} (watching {place_id})", file=sys.stderr, flush=True)
        page.goto(f"{url}/?date={before.isoformat()}")
        frame.locator("path.cm-place").first.wait_for(state="attached", timeout=120_000)
        page.evaluate(PROBE_JS, [place_id, before_fill, 120_000])
        if rest:
            # The rest of the page follows the map (see app.history_tabs): scrub once it is all there, or
            # after REST_TIMEOUT_S (noted: a person would start scrubbing too).
            started = time.monotonic()
            try:
                page.locator(f"{CHART}, {EXCEPTION}").first.wait_for(state="attached", timeout=REST_TIMEOUT_S * 1000)
                results.setdefault("rest_of_page_s", []).append(time.monotonic() - started)
            except PlaywrightTimeoutError:
                results.setdefault("rest_of_page_s", []).append(None)
            if page.locator(EXCEPTION).count():
                results["app_exception"] = page.locator(EXCEPTION).first.inner_text()[:300]
        frame.locator("body").evaluate(WATCH_JS)
        page.evaluate(KEY_JS)
        slider = page.get_by_role("slider", name="Date on the map")
        slider.focus()
        for press in range(presses):
            slider.press("ArrowRight" if press % 2 == 0 else "ArrowLeft")
            painted = page.evaluate(PROBE_JS, [place_id, after_fill if press % 2 == 0 else before_fill, 120_000])
            pressed = page.evaluate("() => window.__keys[window.__keys.length - 1]")
            (cold if press < 2 else warm).append(painted - pressed)
        # A map rebuilt whole (the naive app) is a new frame that was never watched.
        fewest.append(frame.locator("body").evaluate("() => window.__fewest ?? null"))
    results["repaint_cold_ms"] = cold
    results["repaint_warm_ms"] = warm
    watched = [f for f in fewest if f is not None]
    results["fewest_places_on_a_frame"] = min(watched) if watched else None


def measure(data: Path, pairs: int, presses: int, *, app: str = "app.py", skip_cold: bool = False) -> dict[str, Any]:
    """Every browser figure of one app on one dataset."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a dev dependency

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {"app": app, "data": str(data)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if not skip_cold:
            # 1. A visitor right after the server answers, before anything ran: imports and caches are cold.
            process, results["server_ready_s"] = start_server(url, port, data, app)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                results["first_map_cold_s"] = first_map(page, url)
                page.close()
            finally:
                stop_server(process)
        # 2. As `make run` does: the server, then one run of the app to warm it, then the first visitor.
        process, results["server_ready_s"] = start_server(url, port, data, app)
        try:
            results["memory_started"] = memory_mb(process.pid)
            started = time.monotonic()
            warm_up(url)
            results["warm_up_s"] = time.monotonic() - started
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            results["first_map_s"] = first_map(page, url)
            print(f"first map after {results['first_map_s']:.2f} s", file=sys.stderr, flush=True)
            frame = page.frame_locator(MAP_FRAME)
            results["places"] = frame.locator("path.cm-place").count()
            results["memory_first_map"] = memory_mb(process.pid)
            again = browser.new_page(viewport={"width": 1400, "height": 1000})
            results["first_map_again_s"] = first_map(again, url)
            again.close()

            rest = Path(app).name == "app.py"  # the naive app has nothing below its map
            scrub(page, url, data, pairs=pairs, presses=presses, results=results, rest=rest)
            results["memory_after_scrub"] = memory_mb(process.pid)
        finally:
            stop_server(process)
            browser.close()
    every = results["repaint_cold_ms"] + results["repaint_warm_ms"]
    results["repaint_median_ms"] = statistics.median(every) if every else None
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / "geodata", help="geodata directory (default: geodata)")
    parser.add_argument("--pairs", type=int, default=6, help="change dates to scrub around")
    parser.add_argument("--presses", type=int, default=6, help="arrow presses around each change date")
    parser.add_argument("--app", default="app.py", help="the Streamlit script to measure (default: app.py)")
    parser.add_argument("--skip-cold", action="store_true", help="skip the visitor of a cold, unwarmed server")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument("--target-ms", type=float, default=REPAINT_TARGET_MS, help="the slider-to-repaint target")
    args = parser.parse_args()
    results = measure(args.data.resolve(), args.pairs, args.presses, app=args.app, skip_cold=args.skip_cold)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    median = results["repaint_median_ms"] if results["repaint_median_ms"] is not None else float("nan")
    print(f"app: {args.app}; data: {args.data} ({results['places']} places drawn)")
    print(f"server answering after start:   {results['server_ready_s']:.2f} s")
    if "first_map_cold_s" in results:
        print(f"first painted map, cold server: {results['first_map_cold_s']:.2f} s (nothing run yet: imports, caches)")
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
    print(f"slider -> repaint, all:         median {median:.0f} ms (target < {args.target_ms:.0f} ms)")
    print(f"fewest places on any frame while scrubbing: {results['fewest_places_on_a_frame']} of {results['places']}")
    memory = results["memory_after_scrub"]
    print(f"server memory after scrubbing:  {memory['rss_mb']:.0f} MB resident (peak {memory['own_peak_mb']:.0f} MB)")
    rest = results.get("rest_of_page_s") or []
    if rest:
        shown = ", ".join(f"not within {REST_TIMEOUT_S} s" if r is None else f"{r:.1f} s" for r in rest)
        print(f"rest of the page (timeline chart) after the map: {shown}")
    if "app_exception" in results:
        print(f"THE APP SHOWED AN EXCEPTION: {results['app_exception']}")
    blank = results["fewest_places_on_a_frame"] not in (None, results["places"])
    ok = results["first_map_s"] < FIRST_PAINT_TARGET_S and median < args.target_ms and not blank
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
