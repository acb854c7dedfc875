"""Benchmarks at 1k, 10k and 100k synthetic places, each figure beside a naive baseline run in the same process.

Run ``python -m benchmarks.run`` (``--sizes 1000 10000`` to choose sizes). It prints a table and writes
``benchmarks/results.json``. Timings are medians of several runs, in milliseconds. The browser figures (the
app's and the HTML export's date steps) come from `benchmarks.live_map`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

import controlmap
from benchmarks.queries import naive_changes_between, naive_map, naive_snapshot
from benchmarks.synthetic import write_synthetic_dataset
from controlmap import validate
from controlmap.basemap import load_basemap
from controlmap.export.image import ImageRenderer, snapshot_to_image
from controlmap.web import engine

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

RESULTS = Path(__file__).parent / "results.json"


def number(value: float) -> str:
    """A figure with the digits that matter: 0.123, 4.56, 78.9, 1,234."""
    if isinstance(value, int):
        return f"{value:,}"
    if value < 1:
        return f"{value:,.3f}"
    if value < 10:
        return f"{value:,.2f}"
    return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"


def median_ms(action: Callable[[], object], *, runs: int) -> float:
    """The median wall time of ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def naive_map_render(dataset: controlmap.Dataset, day: dt.date) -> str:
    """What a naive app does per date: a new folium map (`naive_map`), rendered whole."""
    return naive_map(dataset, day).get_root().render()


@contextlib.contextmanager
def pure_python_schema_checks() -> Iterator[None]:
    """Validate with the pure-Python jsonschema validator only (the baseline of load+validate)."""

    class _Never:
        def is_valid(self, content: object) -> bool:
            return False  # as if jsonschema-rs were absent: the pure-Python validator checks every file

    original = validate._fast_validator
    validate._fast_validator = lambda schema_name: _Never()  # type: ignore[assignment]
    try:
        yield
    finally:
        validate._fast_validator = original


@contextlib.contextmanager
def no_store() -> Iterator[None]:
    """Load without the compiled store (``$CONTROLMAP_CACHE=off``): every file read and checked."""
    previous = os.environ.get("CONTROLMAP_CACHE")
    os.environ["CONTROLMAP_CACHE"] = "off"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["CONTROLMAP_CACHE"]
        else:
            os.environ["CONTROLMAP_CACHE"] = previous


def measure(directory: Path, *, full: bool = False) -> dict[str, Any]:
    """Every in-process figure for the dataset in ``directory``, each beside its naive baseline.

    Baselines that take minutes at 100k places are skipped (with the reason in ``skipped``) unless ``full``.
    """
    dataset = controlmap.dataset_from_dir(directory)
    size = len(dataset.places)
    big = size >= 100_000
    runs = 1 if big else 3
    figures: dict[str, Any] = {"places": size, "periods": sum(len(p.history) for p in dataset.places)}
    skipped: dict[str, str] = {}
    # Load and validate from the files (no compiled store), as the first load of a dataset does; then the
    # load of every later command, from the store.
    with no_store():
        figures["load_validate_ms"] = median_ms(lambda: controlmap.dataset_from_dir(directory), runs=runs)
    figures["load_from_store_ms"] = median_ms(lambda: controlmap.dataset_from_dir(directory), runs=runs)
    if big and not full:
        skipped["load_validate_naive_ms"] = "pure-Python schema checks of 100k places take several minutes (--full)"
    else:
        with pure_python_schema_checks(), no_store():
            figures["load_validate_naive_ms"] = median_ms(lambda: controlmap.dataset_from_dir(directory), runs=1)
    rng = np.random.default_rng(1)
    days = [dataset.coverage_start + dt.timedelta(days=int(n)) for n in rng.integers(0, 2500, size=50)]
    controlmap.snapshot(dataset, days[0])  # packs the period arrays once, as the app does at start
    controlmap.change_events(dataset)
    day_cycle = iter(days * 100)
    figures["snapshot_ms"] = median_ms(lambda: controlmap.snapshot(dataset, next(day_cycle)), runs=50)
    figures["snapshot_naive_ms"] = median_ms(lambda: naive_snapshot(dataset, next(day_cycle)), runs=3 if big else 5)
    first, second = dt.date(2015, 1, 1), dt.date(2017, 1, 1)
    figures["changes_ms"] = median_ms(lambda: controlmap.changes_between(dataset, first, second), runs=5)
    figures["changes_naive_ms"] = median_ms(lambda: naive_changes_between(dataset, first, second), runs=3)
    # The app's map data: since the map engine, the whole history is sent once and each date is drawn in the
    # browser, so the server's work for the map is this payload, made once per dataset.
    figures["map_layer_ms"] = median_ms(lambda: engine.engine_payload(dataset), runs=runs)
    if big and not full:
        skipped["map_layer_naive_ms"] = "a full folium render of 100k places takes minutes and gigabytes (--full)"
    else:
        figures["map_layer_naive_ms"] = median_ms(
            lambda: naive_map_render(dataset, next(day_cycle)), runs=1 if size >= 10_000 else 3
        )
    basemap = load_basemap(directory)
    renderer = ImageRenderer(dataset, width=1600, height=1200, dpi=150, basemap=basemap)
    renderer.render(controlmap.snapshot(dataset, days[0]))  # warm
    figures["png_ms"] = median_ms(
        lambda: renderer.render(controlmap.snapshot(dataset, next(day_cycle))), runs=1 if big else 3
    )
    if big and not full:
        skipped["png_naive_ms"] = "a new figure for 100k places takes minutes (--full)"
    else:
        figures["png_naive_ms"] = median_ms(
            lambda: snapshot_to_image(controlmap.snapshot(dataset, next(day_cycle)), basemap=basemap),
            runs=1 if size >= 10_000 else 3,
        )
    for name in ("load_validate", "snapshot", "changes", "map_layer", "png"):
        naive = figures.get(f"{name}_naive_ms")
        if naive is not None:
            figures[f"{name}_speedup"] = naive / figures[f"{name}_ms"]
    figures["skipped"] = skipped
    return figures


def table(results: list[dict[str, Any]]) -> str:
    """The results as a plain-text table: one row per figure, one column per size."""
    names = list(dict.fromkeys(k for r in results for k in r if k not in ("places", "skipped")))
    header = ["figure", *(f"{r['places']:,} places" for r in results)]
    rows = [header]
    for name in names:
        cells = []
        for result in results:
            value = result.get(name)
            cells.append("—" if value is None else number(value))
        rows.append([name, *cells])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    )


def main() -> None:
    """Run the benchmarks, print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--full", action="store_true", help="also run the baselines that take minutes at 100k")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="controlmap-bench-") as scratch:
        results = [
            measure(write_synthetic_dataset(Path(scratch) / f"places-{size}", size), full=args.full)
            for size in args.sizes
        ]
    print(table(results))
    args.output.write_text(json.dumps({"results": results}, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
