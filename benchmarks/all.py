"""Every benchmark in one command: ``python -m benchmarks.all`` (``make bench``).

1. In process, at 1k, 10k and 100k synthetic places (20 periods each), each figure beside its naive
   baseline (`benchmarks.run`): load+validate, a snapshot, the changes between two dates, the app's map
   layer for a date, a PNG. Then, at 10k and 100k, the commands as a user runs them, each in a fresh
   process (`benchmarks.scale`): the first snapshot (no compiled store), every later command, peak memory,
   and the app's data load (``benchmarks.scale --baseline main`` measures the package at main beside them).
2. In headless Chromium, on the shipped data and at 10k places (`benchmarks.live_map`): the app's first
   painted map, a date step (the frame's work, and input to painted), a 2-second drag, the bytes per step
   and the server's memory; the HTML export's size, opening and date step.

It prints one table (each figure, its baseline, the ratio, the target) and writes ``benchmarks/results.json``.
Timings are medians, in milliseconds. The machine's load average is recorded: other work slows every figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import live_map
from benchmarks.appserver import CHROMIUM, CHROMIUM_ARGS
from benchmarks.run import measure as measure_in_process
from benchmarks.run import number
from benchmarks.scale import TARGETS as SCALE_TARGETS
from benchmarks.scale import measure as measure_scale
from benchmarks.synthetic import write_synthetic_dataset

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results.json"

# (figure, places, target): the targets on the project's 2-core machine.
Check = Callable[[float, float | None], bool]
TARGETS: dict[tuple[str, int | str], tuple[str, Check]] = {
    ("snapshot_ms", 10_000): ("< 5 ms and >= 20x the naive loop", lambda v, r: v < 5 and r is not None and r >= 20),
    ("app_step_ms", "shipped"): ("< 16 ms a frame", lambda v, r: v < 16),
    ("app_step_ms", 10_000): ("< 50 ms", lambda v, r: v < 50),
    ("app_first_map_ms", "shipped"): ("< 2 s", lambda v, r: v < 2000),
    ("export_step_ms", 10_000): ("< 50 ms", lambda v, r: v < 50),
    ("app_rss_mb", 10_000): ("< 400 MB", lambda v, r: v < 400),
}


def browser_figures(runs: list[tuple[str | int, Path]], scratch: Path, *, presses: int) -> list[dict[str, Any]]:
    """The app and the HTML export in Chromium on each dataset (`benchmarks.live_map`)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a dev dependency

    figures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, data in runs:
                here = scratch / f"browser-{label}"
                here.mkdir()
                print(f"[{label}] the app and the HTML export in Chromium", file=sys.stderr, flush=True)
                figures.append(
                    {
                        "data": label,
                        "app": live_map.app_figures(browser, data, here, presses=presses, dates=30),
                        "export": live_map.export_figures(browser, data, here, presses=presses),
                    }
                )
        finally:
            browser.close()
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
        app, export = result.get("app"), result["export"]
        if app is not None:
            row("app_step_ms", places, app["frame_ms"], None, "")
            row("app_input_to_painted_ms", places, app["input_to_painted_ms"], None, "")
            row("app_first_map_ms", places, app["first_map_s"] * 1000, None, "")
            row("app_follows_drag_ms", places, app["followed_ms"], None, "")
            row("app_rss_mb", places, app["rss_after_scrubbing_mb"], None, "")
        row("export_step_ms", places, export["frame_ms"], None, "")
        row("export_open_ms", places, export["open_s"] * 1000, None, "")
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
                number(r["baseline"]) if r["baseline"] is not None else "skipped" if r["baseline_is"] else "—",
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
            results["browser"] = browser_figures(runs, scratch, presses=6 if args.quick else 15)
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
