"""Benchmarks at 1k, 10k and 100k synthetic places, each figure beside a naive baseline run in the same process.

Run ``python -m benchmarks.run`` (``--sizes 1000 10000`` to choose sizes). It prints a table and writes
``benchmarks/results.json``. Timings are medians of several runs, in milliseconds. The browser figures (the
app's slider-to-repaint, the HTML export's slider step) come from ``scripts/measure_app.py`` and
``scripts/measure_exports.py``, pointed at the same synthetic datasets with ``--data``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import numpy as np

import controlmap
from benchmarks.queries import naive_changes_between, naive_snapshot
from benchmarks.synthetic import write_synthetic_dataset
from controlmap import webmap
from controlmap.basemap import load_basemap
from controlmap.image import ImageRenderer
from controlmap.records import snapshot_to_geojson
from controlmap.style import feature_style, palette_colours

if TYPE_CHECKING:
    from collections.abc import Callable

RESULTS = Path(__file__).parent / "results.json"


def median_ms(action: Callable[[], object], *, runs: int) -> float:
    """The median wall time of ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def naive_map_render(dataset: controlmap.Dataset, day: dt.date) -> str:
    """What a naive app does per date: a new folium map, a GeoJson layer with a per-feature style_function."""
    colours = palette_colours(dataset)
    collection = snapshot_to_geojson(controlmap.snapshot(dataset, day))

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        props = feature["properties"]
        look = feature_style(props["controller"], props["status"], props["opponents"], colours)
        return {"fillColor": look.fill, "color": look.stroke, "weight": look.stroke_width}

    fmap = folium.Map(tiles=None, location=[35.0, 41.0], zoom_start=6)
    folium.GeoJson(collection, style_function=style).add_to(fmap)
    return fmap.get_root().render()


def measure(size: int, root: Path, *, quick: bool) -> dict[str, Any]:
    """Every in-process figure for one dataset size."""
    directory = write_synthetic_dataset(root / f"places-{size}", size)
    big = size >= 100_000
    runs = 1 if big else 3
    figures: dict[str, Any] = {"places": size}
    figures["load_validate_ms"] = median_ms(lambda: controlmap.dataset_from_dir(directory), runs=runs)
    dataset = controlmap.dataset_from_dir(directory)
    figures["periods"] = sum(len(p.history) for p in dataset.places)
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
    # The app's per-date work: the dated layer's features, serialised once for the browser.
    figures["map_layer_ms"] = median_ms(
        lambda: webmap.dated_layer(webmap.layer_features(controlmap.snapshot(dataset, next(day_cycle)))),
        runs=runs,
    )
    if not (big and quick):
        figures["map_layer_naive_ms"] = median_ms(
            lambda: naive_map_render(dataset, next(day_cycle)), runs=1 if size >= 10_000 else 3
        )
    basemap = load_basemap(directory)
    renderer = ImageRenderer(dataset, width=1600, height=1200, dpi=150, basemap=basemap)
    renderer.render(controlmap.snapshot(dataset, days[0]))  # warm
    figures["png_1600x1200_ms"] = median_ms(
        lambda: renderer.render(controlmap.snapshot(dataset, next(day_cycle))), runs=1 if big else 3
    )
    for name in ("snapshot", "changes", "map_layer"):
        naive = figures.get(f"{name}_naive_ms")
        if naive is not None:
            figures[f"{name}_speedup"] = naive / figures[f"{name}_ms"]
    return figures


def table(results: list[dict[str, Any]]) -> str:
    """The results as a plain-text table: one row per figure, one column per size."""
    names = [k for k in results[0] if k != "places"]
    header = ["figure", *(f"{r['places']:,} places" for r in results)]
    rows = [header]
    for name in names:
        cells = []
        for result in results:
            value = result.get(name)
            cells.append("—" if value is None else f"{value:,.1f}" if isinstance(value, float) else f"{value:,}")
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
    parser.add_argument("--quick", action="store_true", help="skip the naive map baseline at 100k (minutes)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="controlmap-bench-") as scratch:
        results = [measure(size, Path(scratch), quick=args.quick) for size in args.sizes]
    print(table(results))
    args.output.write_text(json.dumps({"results": results}, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
