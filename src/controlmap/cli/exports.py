"""The export commands of the command line: ``snapshot`` in every format, and ``animate`` (the I/O edge).

`controlmap.cli` builds the parser and runs the commands; the options, the checks of the output path and
the writing of the files are here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

from controlmap.basemap import load_basemap
from controlmap.cli.common import checked_output_path, write_output_bytes
from controlmap.codec import document_to_text
from controlmap.dates import parse_date
from controlmap.errors import ControlmapError
from controlmap.export._layout import check_size
from controlmap.export.image import DEFAULT_DPI, DEFAULT_HEIGHT, DEFAULT_WIDTH
from controlmap.export.timelapse import DEFAULT_FPS, STEPS, TIMELAPSE_FORMATS
from controlmap.export.timelapse import DEFAULT_HEIGHT as FILM_HEIGHT
from controlmap.export.timelapse import DEFAULT_WIDTH as FILM_WIDTH
from controlmap.io import dataset_from_dir
from controlmap.style import check_palette
from controlmap.timeline import snapshot

if TYPE_CHECKING:
    import argparse

    from controlmap.basemap import Basemap
    from controlmap.export.image import ImageFormat
    from controlmap.model import Dataset

SNAPSHOT_FORMATS = ("geojson", "csv", "history", "png", "svg", "pdf", "html")
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "geojson": (".geojson", ".json"),
    "history": (".geojson", ".json"),
    "csv": (".csv",),
    "png": (".png",),
    "svg": (".svg",),
    "pdf": (".pdf",),
    "html": (".html", ".htm"),
    "gif": (".gif",),
    "mp4": (".mp4",),
}
"""The file name endings each format may be written to."""
EXIT_INTERRUPTED = 130


def add_snapshot_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``controlmap snapshot``."""
    parser.add_argument("--date", required=True, help="the date, YYYY-MM-DD")
    parser.add_argument(
        "--format",
        choices=SNAPSHOT_FORMATS,
        default=None,
        help="geojson (the state at the date), csv (one row per place), history (every period, GeoJSON), "
        "png/svg/pdf (a static map), html (the interactive map in one file); default: from --output's "
        "extension, else geojson",
    )
    parser.add_argument("--output", "-o", default="-", help="file to write, or - for standard output (default)")
    parser.add_argument("--palette", default="default", help="colour palette (default: default)")
    _add_image_arguments(parser, width=DEFAULT_WIDTH, height=DEFAULT_HEIGHT)
    parser.add_argument("--force", action="store_true", help="overwrite the output file if it exists")


def add_animate_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``controlmap animate``."""
    parser.add_argument("--start", required=True, help="the first date, YYYY-MM-DD")
    parser.add_argument("--end", required=True, help="the last date, YYYY-MM-DD")
    parser.add_argument(
        "--step", choices=STEPS, default="month", help="time between frames; changes: only dates when something changed"
    )
    parser.add_argument("--output", "-o", required=True, help="the file to write: name.gif or name.mp4")
    parser.add_argument("--fps", type=float, default=DEFAULT_FPS, help=f"frames per second (default {DEFAULT_FPS:g})")
    parser.add_argument("--palette", default="default", help="colour palette (default: default)")
    _add_image_arguments(parser, width=FILM_WIDTH, height=FILM_HEIGHT)
    parser.add_argument("--force", action="store_true", help="overwrite the output file if it exists")


def _add_image_arguments(parser: argparse.ArgumentParser, *, width: int, height: int) -> None:
    parser.add_argument("--width", type=int, default=width, help=f"image width in pixels (default {width})")
    parser.add_argument("--height", type=int, default=height, help=f"image height in pixels (default {height})")
    parser.add_argument(
        "--dpi",
        type=float,
        default=DEFAULT_DPI,
        help=f"pixels per inch; larger draws text larger (default {DEFAULT_DPI:g})",
    )


def output_format(output: str, requested: str | None, *, allowed: tuple[str, ...], default: str | None) -> str:
    """The format to write: the one asked for, checked against the file's extension, or the extension's.

    Raises
    ------
    ControlmapError
        When the extension does not fit the format, or tells no format and none was asked for.
    """
    suffix = "" if output == "-" else Path(output).suffix.lower()
    if requested is not None:
        if suffix and suffix not in EXTENSIONS[requested]:
            msg = (
                f"--output: a {requested} file should end in {' or '.join(EXTENSIONS[requested])}; received {output!r}"
            )
            raise ControlmapError(msg)
        return requested
    matching = [fmt for fmt in allowed if suffix in EXTENSIONS[fmt]]
    if matching:
        return matching[0]
    if not suffix and default is not None:
        return default
    endings = ", ".join(dict.fromkeys(e for fmt in allowed for e in EXTENSIONS[fmt]))
    msg = f"--output: cannot tell the format from {output!r}; use one of {endings}"
    raise ControlmapError(msg)


def _palette(dataset: Dataset, palette: str) -> str:
    try:
        check_palette(dataset, palette)
    except ControlmapError as error:
        raise ControlmapError(f"--{error}") from None
    return palette


def _check_image_options(args: argparse.Namespace) -> None:
    try:
        check_size(width=args.width, height=args.height, dpi=args.dpi)
    except ControlmapError as error:
        raise ControlmapError(f"--{error}") from None


def _basemap(args: argparse.Namespace) -> Basemap:
    return load_basemap(args.data)


def run_snapshot(args: argparse.Namespace) -> int:
    """``controlmap snapshot``: the state at a date (or the whole history) in the format asked for."""
    fmt = output_format(args.output, args.format, allowed=SNAPSHOT_FORMATS, default="geojson")
    _check_image_options(args)
    if args.output != "-":
        checked_output_path(args.output, force=args.force)  # fail before the work, not after it
    dataset = dataset_from_dir(args.data)
    day = parse_date(args.date, what="--date")
    palette = _palette(dataset, args.palette)
    snap = snapshot(dataset, day)
    if fmt == "geojson":
        from controlmap.records import snapshot_to_geojson  # noqa: PLC0415 - each format loads only what it needs

        data = document_to_text(snapshot_to_geojson(snap, palette=palette)).encode("utf-8")
    elif fmt == "history":
        from controlmap.export.tables import history_to_geojson  # noqa: PLC0415

        data = document_to_text(history_to_geojson(dataset, palette=palette)).encode("utf-8")
    elif fmt == "csv":
        from controlmap.export.tables import snapshot_to_csv  # noqa: PLC0415

        data = snapshot_to_csv(snap, palette=palette).encode("utf-8")
    elif fmt == "html":
        from controlmap.web.standalone import dataset_to_html  # noqa: PLC0415

        data = dataset_to_html(dataset, date=day, palette=palette, basemap=_basemap(args)).encode("utf-8")
    else:
        from controlmap.export.image import snapshot_to_image  # noqa: PLC0415

        image_format = cast("ImageFormat", fmt)
        data = snapshot_to_image(
            snap, format=image_format, width=args.width, height=args.height, dpi=args.dpi, palette=palette,
            basemap=_basemap(args),
        )  # fmt: skip
    write_output_bytes(args.output, data, force=args.force)
    return 0


def run_animate(args: argparse.Namespace) -> int:
    """``controlmap animate``: a timelapse GIF or MP4, with a progress bar on standard error."""
    from tqdm import tqdm  # noqa: PLC0415 - only a timelapse shows progress

    from controlmap.export.timelapse import check_timelapse_options, frame_dates, timelapse_to_bytes  # noqa: PLC0415

    fmt = output_format(args.output, None, allowed=TIMELAPSE_FORMATS, default=None)
    _check_image_options(args)
    check_timelapse_options(format=fmt, fps=args.fps, width=args.width, height=args.height)
    checked_output_path(args.output, force=args.force)
    dataset = dataset_from_dir(args.data)
    start = parse_date(args.start, what="--start")
    end = parse_date(args.end, what="--end")
    palette = _palette(dataset, args.palette)
    total = len(frame_dates(dataset, start=start, end=end, step=args.step))
    with tqdm(total=total, unit="frame", file=sys.stderr, desc=Path(args.output).name, mininterval=0.5) as bar:

        def progress(done: int, _total: int) -> None:
            bar.update(done - bar.n)

        try:
            data = timelapse_to_bytes(
                dataset, start=start, end=end, step=args.step, format=fmt, fps=args.fps, width=args.width,
                height=args.height, dpi=args.dpi, palette=palette, basemap=_basemap(args), progress=progress,
            )  # fmt: skip
        except KeyboardInterrupt:
            print("controlmap: interrupted; nothing written", file=sys.stderr)
            return EXIT_INTERRUPTED
    write_output_bytes(args.output, data, force=args.force)
    print(f"wrote {args.output}: {total} frames, {len(data) / 1e6:.1f} MB", file=sys.stderr)
    return 0
