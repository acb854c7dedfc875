"""Every benchmark in one command: ``python -m benchmarks.all`` (``make bench``).

1. In process, at 1k, 10k and 100k synthetic places (20 periods each), each figure beside its naive
   baseline (`benchmarks.run`): load+validate, a snapshot, the changes between two dates, the app's map
   layer for a date, a PNG. Then, at 10k and 100k, the commands as a user runs them, each in a fresh
   process (`benchmarks.scale`): the first snapshot (no compiled store), every later command, peak memory,
   and the app's data load (``benchmarks.scale --baseline main`` measures the package at main beside them).
2. In headless Chromium, on the shipped data and at 1k and 10k places: the app's slider-to-repaint time
   against a naive app that re-renders a whole folium map per date (`benchmarks/naive_app.py`), both
   measured by ``scripts/measure_app.py``; the app server's memory; and the HTML export's slider step
   against the export's script as it was before it restyled only what changed (`benchmarks/naive_export.js`),
   timed in the page by ``scripts/measure_exports.py``.

It prints one table (each figure, its baseline, the ratio, the target) and writes ``benchmarks/results.json``.
Timings are medians, in milliseconds. The machine's load average is recorded: other work slows every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import controlmap
from benchmarks.run import measure as measure_in_process
from benchmarks.run import number
from benchmarks.scale import TARGETS as SCALE_TARGETS
from benchmarks.scale import measure as measure_scale
from benchmarks.synthetic import write_synthetic_dataset
from controlmap.basemap import load_basemap
from controlmap.web import standalone

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results.json"
NAIVE_APP = "benchmarks/naive_app.py"
NAIVE_EXPORT_JS = Path(__file__).parent / "naive_export.js"
CHROMIUM = "/usr/bin/chromium"

# (figure, places, target): the targets on the project's 2-core machine.
Check = Callable[[float, float | None], bool]
TARGETS: dict[tuple[str, int | str], tuple[str, Check]] = {
    ("snapshot_ms", 10_000): ("< 5 ms and >= 20x the naive loop", lambda v, r: v < 5 and r is not None and r >= 20),
    ("app_repaint_ms", 10_000): ("< 400 ms", lambda v, r: v < 400),
    ("app_repaint_ms", "shipped"): ("< 150 ms", lambda v, r: v < 150),
    ("export_step_ms", 10_000): ("< 50 ms", lambda v, r: v < 50),
    ("app_rss_mb", 10_000): ("< 500 MB", lambda v, r: v < 500),
}


def script(name: str) -> ModuleType:
    """A module of scripts/ (not a package), loaded by path."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def naive_export_script() -> Iterator[None]:
    """Build HTML exports with the baseline script (every place restyled on every step, one SVG)."""
    original = getattr(standalone, "_web_text", None)
    if original is None:  # the page is the map engine's now: the old script's baseline no longer fits it
        yield
        return

    def web_text(name: str) -> str:
        return NAIVE_EXPORT_JS.read_text("utf-8") if name == "controlmap.js" else original(name)

    setattr(standalone, "_web_text", web_text)  # noqa: B010 - the attribute may be gone (see above)
    try:
        yield
    finally:
        setattr(standalone, "_web_text", original)  # noqa: B010


def export_steps(data: Path, scratch: Path, *, samples: int) -> dict[str, Any]:
    """The HTML export's slider steps at ``data``, with the shipped script and with the baseline script."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a dev dependency

    exports = script("measure_exports")
    dataset = controlmap.dataset_from_dir(data)
    basemap = load_basemap(data)
    pages = {}
    for name, context in (("shipped", contextlib.nullcontext()), ("naive", naive_export_script())):
        with context:
            html = standalone.dataset_to_html(dataset, basemap=basemap)
        pages[name] = scratch / f"export-{name}.html"
        pages[name].write_text(html, "utf-8")
    results: dict[str, Any] = {"size_mb": pages["shipped"].stat().st_size / 1e6}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=exports.CHROMIUM_ARGS)
        try:
            for name, page in pages.items():
                results[name] = exports.slider_steps(chromium, page, samples=samples)
        finally:
            chromium.close()
    return results


def browser_figures(label: str | int, data: Path, scratch: Path, *, quick: bool) -> dict[str, Any]:
    """The app against the naive app, and the HTML export against its baseline, on one dataset."""
    measure_app = script("measure_app")
    pairs, presses = (2, 4) if quick else (3, 6)
    figures: dict[str, Any] = {"data": label}
    print(f"[{label}] the app in Chromium", file=sys.stderr, flush=True)
    figures["app"] = measure_app.measure(data, pairs, presses, skip_cold=True)
    print(f"[{label}] the naive app in Chromium", file=sys.stderr, flush=True)
    figures["naive_app"] = measure_app.measure(data, pairs, presses, app=NAIVE_APP, skip_cold=True)
    print(f"[{label}] the HTML export in Chromium", file=sys.stderr, flush=True)
    figures["export"] = export_steps(data, scratch, samples=6 if quick else 12)
    return figures


def summary(
    in_process: list[dict[str, Any]], browser: list[dict[str, Any]], scale: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """One row per figure and size: measured, baseline, ratio (baseline / measured), target and whether met."""
    rows: list[dict[str, Any]] = []

    def row(figure: str, places: int | str, value: float | None, baseline: float | None, what: str) -> None:
        ratio = baseline / value if value and baseline is not None else None
        target = TARGETS.get((figure, places))
        rows.append(
            {
                "figure": figure,
                "places": places,
                "measured": value,
                "baseline": baseline,
                "ratio": ratio,
                "baseline_is": what,
                "target": target[0] if target else None,
                "met": None if target is None or value is None else bool(target[1](value, ratio)),
            }
        )

    baselines = {
        "load_validate": "pure-Python jsonschema checks",
        "snapshot": "a Python loop over places and periods",
        "changes": "two naive snapshots compared",
        "map_layer": "a new folium map with a style_function, rendered",
        "png": "a new matplotlib figure per date",
    }
    for result in in_process:
        for name, what in baselines.items():
            row(f"{name}_ms", result["places"], result.get(f"{name}_ms"), result.get(f"{name}_naive_ms"), what)
    for result in browser:
        places = result["data"]
        app, naive = result["app"], result["naive_app"]
        row("app_repaint_ms", places, app["repaint_median_ms"], naive["repaint_median_ms"], "naive app")
        row("app_first_map_ms", places, app["first_map_s"] * 1000, naive["first_map_s"] * 1000, "naive app")
        row(
            "app_rss_mb", places, app["memory_after_scrub"]["rss_mb"], naive["memory_after_scrub"]["rss_mb"],
            "naive app",
        )  # fmt: skip
        export = result["export"]
        row(
            "export_step_ms", places, statistics.median(export["shipped"]["step_ms"]),
            statistics.median(export["naive"]["step_ms"]), "restyle every place, one SVG",
        )  # fmt: skip
        row(
            "export_jump_ms", places, statistics.median(export["shipped"]["jump_ms"]),
            statistics.median(export["naive"]["jump_ms"]), "restyle every place, one SVG",
        )  # fmt: skip
        row("export_open_ms", places, export["shipped"]["open_s"] * 1000, export["naive"]["open_s"] * 1000, "as above")
    for result in scale or []:
        places = result["places"]
        for figure in ("first_snapshot_s", "later_command_s", "peak_mb", "app_data_load_s"):
            value = result["store"].get(figure)
            limit = SCALE_TARGETS.get((figure, places))
            rows.append(
                {
                    "figure": figure,
                    "places": places,
                    "measured": value,
                    "baseline": None,
                    "ratio": None,
                    "baseline_is": "benchmarks.scale --baseline main",
                    "target": None if limit is None else f"<= {limit:g}",
                    "met": None if limit is None or value is None else value <= limit,
                }
            )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """The summary as aligned text."""
    header = ["figure", "places", "measured", "baseline", "ratio", "target", "met"]
    lines = [header]
    for r in rows:
        places = r["places"] if isinstance(r["places"], str) else f"{r['places']:,}"
        lines.append(
            [
                r["figure"],
                places,
                "—" if r["measured"] is None else number(r["measured"]),
                "skipped" if r["baseline"] is None else number(r["baseline"]),
                "—" if r["ratio"] is None else f"{r['ratio']:,.1f}x",
                r["target"] or "",
                {None: "", True: "yes", False: "MISSED"}[r["met"]],
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def aligned(line: list[str]) -> str:
        cells = zip(line, widths, strict=True)
        return "  ".join(cell.ljust(w) if i in (0, 5) else cell.rjust(w) for i, (cell, w) in enumerate(cells))

    return "\n".join(aligned(line) for line in lines)


def machine() -> dict[str, Any]:
    """What ran the benchmarks, and how busy it was."""
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    head = ["git", "rev-parse", "--short", "HEAD"]
    commit = subprocess.run(head, capture_output=True, text=True, check=False, cwd=REPO)
    return {
        "commit": commit.stdout.strip(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "chromium": version,
        "load_average": os.getloadavg(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    """Run everything, print the table and the skipped runs, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000], help="in-process sizes")
    parser.add_argument(
        "--browser-sizes", type=int, nargs="*", default=[1000, 10_000], help="browser sizes (the shipped data too)"
    )
    parser.add_argument("--no-browser", action="store_true", help="only the in-process figures")
    parser.add_argument("--quick", action="store_true", help="fewer browser presses and steps")
    parser.add_argument("--full", action="store_true", help="also the naive baselines that take minutes at 100k")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    started = time.monotonic()
    results: dict[str, Any] = {"machine": machine(), "skipped": []}
    with tempfile.TemporaryDirectory(prefix="controlmap-bench-") as scratch_name:
        scratch = Path(scratch_name)
        directories = {}
        for size in sorted(set(args.sizes) | set(args.browser_sizes)):
            print(f"writing {size:,} synthetic places", file=sys.stderr, flush=True)
            directories[size] = write_synthetic_dataset(scratch / f"places-{size}", size)
        results["in_process"] = []
        for size in args.sizes:
            print(f"[{size:,}] in process", file=sys.stderr, flush=True)
            figures = measure_in_process(directories[size], full=args.full)
            results["skipped"] += [f"{name} at {size:,} places: {why}" for name, why in figures["skipped"].items()]
            results["in_process"].append(figures)
        results["scale"] = []
        for size in [size for size in args.sizes if size >= 10_000]:
            print(
                f"[{size:,}] the commands in fresh processes, with and without the store", file=sys.stderr, flush=True
            )
            results["scale"].append({"places": size, "store": measure_scale(directories[size], scratch)})
        results["browser"] = []
        if not args.no_browser:
            runs: list[tuple[str | int, Path]] = [("shipped", REPO / "geodata")]
            runs += [(size, directories[size]) for size in args.browser_sizes]
            for label, directory in runs:
                results["browser"].append(browser_figures(label, directory, scratch, quick=args.quick))
            results["skipped"] += [
                "browser figures at 100,000 places: at 10,000 the app sends ~11 MB of script per date and the "
                "HTML export is ~90 MB; at 100,000 each would be ten times that (a single slider step would take "
                "tens of seconds and the export about 900 MB), so they are not run"
            ]
    results["summary"] = summary(results["in_process"], results["browser"], results["scale"])
    results["machine"]["load_average_after"] = os.getloadavg()
    results["machine"]["minutes"] = (time.monotonic() - started) / 60
    print(table(results["summary"]))
    for reason in results["skipped"]:
        print(f"skipped: {reason}")
    load = results["machine"]
    print(f"load average before/after: {load['load_average']} / {load['load_average_after']} on {load['cpus']} CPUs")
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n", "utf-8")


if __name__ == "__main__":
    main()
