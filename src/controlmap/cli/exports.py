"""The export commands of the command line: ``snapshot`` in every format, and ``animate`` (the I/O edge).

`controlmap.cli` builds the parser and runs the commands; the options, the checks of the output path and
the writing of the files are here.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from controlmap.basemap import load_basemap
from controlmap.cli.common import checked_output_path, write_output_bytes
from controlmap.dates import parse_date
from controlmap.errors import ControlmapError
from controlmap.export._layout import check_size
from controlmap.export.options import DEFAULT_FPS, FRAME_SIZE, IMAGE_SIZE, PAPERS, STEPS, Frames, ImageSize
from controlmap.export.service import FORMATS, export
from controlmap.io import dataset_from_dir
from controlmap.style import check_palette
from controlmap.timeline import snapshot

if TYPE_CHECKING:
    import argparse

    from controlmap.model import Dataset

SNAPSHOT_FORMATS = tuple(name for name, f in FORMATS.items() if f.subject != "timelapse")
TIMELAPSE_FORMATS = tuple(name for name, f in FORMATS.items() if f.subject == "timelapse")
EXIT_INTERRUPTED = 130


def add_snapshot_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``controlmap snapshot``."""
    parser.add_argument(
        "--date", help="the date, YYYY-MM-DD (not needed for the whole history: history, geoparquet, lpf)"
    )
    parser.add_argument(
        "--format",
        choices=SNAPSHOT_FORMATS,
        default=None,
        help="geojson (the state at the date), csv (one row per place), png/svg/pdf (a static map), html (the "
        "interactive map in one file); the whole history: history (GeoJSON), geoparquet (one row per period), "
        "lpf (Linked Places, GeoJSON-LD); default: from --output's extension, else geojson",
    )
    parser.add_argument("--output", "-o", default="-", help="file to write, or - for standard output (default)")
    parser.add_argument("--palette", default="default", help="colour palette (default: default)")
    _add_image_arguments(parser, IMAGE_SIZE)
    parser.add_argument(
        "--paper",
        type=str.lower,
        choices=list(PAPERS),
        help="an image to print: the paper's size, landscape, at 300 dpi (or --dpi); instead of --width/--height",
    )
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
    _add_image_arguments(parser, FRAME_SIZE)
    parser.add_argument("--force", action="store_true", help="overwrite the output file if it exists")


def _add_image_arguments(parser: argparse.ArgumentParser, size: ImageSize) -> None:
    # No defaults here: `_image_size` fills them in, so that it can tell what was given.
    parser.set_defaults(default_size=size)
    parser.add_argument("--width", type=int, help=f"image width in pixels (default {size.width})")
    parser.add_argument("--height", type=int, help=f"image height in pixels (default {size.height})")
    parser.add_argument(
        "--dpi", type=float, help=f"pixels per inch; larger draws text larger, as far as it fits (default {size.dpi:g})"
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
        if suffix and suffix not in FORMATS[requested].suffixes:
            endings = " or ".join(FORMATS[requested].suffixes)
            msg = f"--output: a {requested} file should end in {endings}; received {output!r}"
            raise ControlmapError(msg)
        return requested
    matching = [fmt for fmt in allowed if suffix in FORMATS[fmt].suffixes]
    if matching:
        return matching[0]
    if not suffix and default is not None:
        return default
    endings = ", ".join(dict.fromkeys(e for fmt in allowed for e in FORMATS[fmt].suffixes))
    msg = f"--output: cannot tell the format from {output!r}; use one of {endings}"
    raise ControlmapError(msg)


def _palette(dataset: Dataset, palette: str) -> str:
    try:
        check_palette(dataset, palette)
    except ControlmapError as error:
        raise ControlmapError(f"--{error}") from None
    return palette


def _image_size(args: argparse.Namespace) -> ImageSize:
    """The size asked for: ``--paper`` (at ``--dpi`` or 300), else ``--width``, ``--height`` and ``--dpi``."""
    default: ImageSize = args.default_size
    paper = getattr(args, "paper", None)
    if paper is not None and (args.width is not None or args.height is not None):
        msg = "--paper sets the width and height: give --paper or --width/--height, not both"
        raise ControlmapError(msg)
    if paper is not None:
        size = ImageSize.paper(paper) if args.dpi is None else ImageSize.paper(paper, dpi=args.dpi)
    else:
        size = ImageSize(
            default.width if args.width is None else args.width,
            default.height if args.height is None else args.height,
            default.dpi if args.dpi is None else args.dpi,
        )
    try:
        check_size(width=size.width, height=size.height, dpi=size.dpi)
    except ControlmapError as error:
        raise ControlmapError(f"--{error}") from None
    return size


def _with_output(args: argparse.Namespace, fmt: str) -> str:
    """The ``controlmap snapshot`` command the user gave, writing to a file named after the date."""
    words = ["controlmap", "snapshot"]
    if args.date is not None:
        words += ["--date", args.date]
    words += ["--format", fmt]
    if args.palette != "default":
        words += ["--palette", args.palette]
    for option in ("paper", "width", "height", "dpi"):
        value = getattr(args, option)
        if value is not None:
            words += [f"--{option}", f"{value:g}" if isinstance(value, float) else str(value)]
    if args.data is not None:
        words += ["--data", str(args.data)]
    name = "history" if args.date is None else f"map-{args.date}"
    words += ["--output", f"{name}{FORMATS[fmt].suffix}"]
    return shlex.join(words)


def run_snapshot(args: argparse.Namespace) -> int:
    """``controlmap snapshot``: the state at a date (or the whole history) in the format asked for."""
    fmt = output_format(args.output, args.format, allowed=SNAPSHOT_FORMATS, default="geojson")
    size = _image_size(args)
    if args.output != "-":
        checked_output_path(args.output, force=args.force)  # fail before the work, not after it
    elif FORMATS[fmt].binary and sys.stdout.isatty():
        msg = (
            f"a {fmt} file is binary and standard output is a terminal; write it to a file:\n"
            f"  {_with_output(args, fmt)}"
        )
        raise ControlmapError(msg)
    whole_history = FORMATS[fmt].subject == "dataset"
    if args.date is None and not whole_history:
        msg = f"--date is needed: a {fmt} file shows one date (only history, geoparquet and lpf show every date)"
        raise ControlmapError(msg)
    day = None if args.date is None else parse_date(args.date, what="--date")
    dataset = dataset_from_dir(args.data)
    palette = _palette(dataset, args.palette)
    basemap = load_basemap(args.data) if fmt in {"png", "svg", "pdf", "html"} else None
    subject = dataset if day is None else snapshot(dataset, day)
    exported = export(subject, fmt, palette=palette, basemap=basemap, size=size)
    write_output_bytes(args.output, exported.data, force=args.force)
    return 0


def run_animate(args: argparse.Namespace) -> int:
    """``controlmap animate``: a timelapse GIF or MP4, with a progress bar on standard error."""
    from tqdm import tqdm  # noqa: PLC0415 - only a timelapse shows progress

    from controlmap.export.timelapse import check_timelapse_options, frame_dates  # noqa: PLC0415

    fmt = output_format(args.output, None, allowed=TIMELAPSE_FORMATS, default=None)
    size = _image_size(args)
    check_timelapse_options(format=fmt, fps=args.fps, width=size.width, height=size.height)
    checked_output_path(args.output, force=args.force)
    dataset = dataset_from_dir(args.data)
    frames = Frames(parse_date(args.start, what="--start"), parse_date(args.end, what="--end"), args.step, args.fps)
    palette = _palette(dataset, args.palette)
    total = len(frame_dates(dataset, start=frames.start, end=frames.end, step=frames.step))
    with tqdm(total=total, unit="frame", file=sys.stderr, desc=Path(args.output).name, mininterval=0.5) as bar:

        def progress(done: int, _total: int) -> None:
            bar.update(done - bar.n)

        try:
            exported = export(
                dataset, fmt, palette=palette, basemap=load_basemap(args.data), size=size, frames=frames,
                progress=progress,
            )  # fmt: skip
        except KeyboardInterrupt:
            print("controlmap: interrupted; nothing written", file=sys.stderr)
            return EXIT_INTERRUPTED
    write_output_bytes(args.output, exported.data, force=args.force)
    print(f"wrote {args.output}: {total} frames, {len(exported.data) / 1e6:.1f} MB", file=sys.stderr)
    return 0
