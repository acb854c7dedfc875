"""Measure the exports built in Python and print the numbers.

Targets (on the project's 2-core machine): one PNG at 1600 x 1200 in under 1 s warm; a 100-frame GIF in
under 30 s. The HTML export's opening and date steps in Chromium are `benchmarks.live_map`'s
(``python -m benchmarks.live_map --no-app``); here, the time to build it and its size.

Run: ``.venv/bin/python scripts/measure_exports.py [--data geodata] [--frames 100]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import controlmap
from controlmap.basemap import load_basemap
from controlmap.export.image import ImageRenderer, snapshot_to_image
from controlmap.export.options import FRAME_SIZE, Frames, ImageSize
from controlmap.export.timelapse import frame_dates, timelapse_to_bytes
from controlmap.web.standalone import dataset_to_html

if TYPE_CHECKING:
    from collections.abc import Callable

    from controlmap.basemap import Basemap

DAY = dt.date(2016, 3, 24)


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
            timelapse_to_bytes, dataset, Frames(dates[0], dates[-1], "week"), format=fmt,
            size=ImageSize(width, height, FRAME_SIZE.dpi), basemap=basemap,
        )  # fmt: skip
        timed(f"{fmt.upper()} {len(dates)} frames {width}x{height} (weekly)", film)


def measure_html(dataset: controlmap.Dataset, basemap: Basemap) -> None:
    html: list[str] = []
    timed("HTML export built", lambda: html.append(dataset_to_html(dataset, date=DAY, basemap=basemap)), repeat=3)
    print(f"{'HTML export size':<52} {len(html[0].encode()) / 1e6:7.2f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parent.parent / "geodata")
    parser.add_argument("--frames", type=int, default=100, help="frames of the timelapses (0: none)")
    args = parser.parse_args()
    dataset = controlmap.dataset_from_dir(args.data)
    basemap = load_basemap(args.data)
    print(f"data: {args.data} ({len(dataset.places)} places); date {DAY.isoformat()}")
    measure_images(dataset, basemap)
    measure_html(dataset, basemap)
    if args.frames:
        measure_timelapse(dataset, basemap, args.frames)
    return 0


if __name__ == "__main__":
    sys.exit(main())
