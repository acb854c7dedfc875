"""The ``controlmap`` command line: validate, snapshot, animate, timeline."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from controlmap.cli.articles import add_article_commands
from controlmap.cli.common import add_data_option
from controlmap.cli.exports import add_animate_arguments, add_snapshot_arguments, run_animate, run_snapshot
from controlmap.dates import format_date
from controlmap.errors import ControlmapError, DataError
from controlmap.io import check_paths, dataset_from_dir, default_data_dir
from controlmap.timeline import place_history
from controlmap.web.search import resolve_place

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence


EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        with notices_on_stderr():
            return command(args)
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except ControlmapError as error:
        print(f"controlmap: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


class _Notice(logging.Handler):
    """Prints the package's notices (a compiled store rebuilt, say) on standard error, one line each."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"controlmap: notice: {record.getMessage()}", file=sys.stderr)


@contextlib.contextmanager
def notices_on_stderr() -> Iterator[None]:
    """Show the package's warnings while a command runs, and only then (no handler is left behind)."""
    logger = logging.getLogger("controlmap")
    handler = _Notice(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="controlmap", description="Who controlled what, and when: sourced control data for Iraq and Syria."
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check geodata files; one line per problem")
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="dataset directories or places files (default: the geodata directory)",
    )
    add_data_option(validate)
    validate.set_defaults(command=run_validate)

    snap = commands.add_parser("snapshot", help="the state of every place at a date: data, image or interactive map")
    add_snapshot_arguments(snap)
    add_data_option(snap)
    snap.set_defaults(command=run_snapshot)

    animate = commands.add_parser("animate", help="a timelapse of the map as an animated GIF or an MP4 video")
    add_animate_arguments(animate)
    add_data_option(animate)
    animate.set_defaults(command=run_animate)

    timeline = commands.add_parser("timeline", help="the control periods as a table")
    timeline.add_argument(
        "--place",
        metavar="NAME",
        help="only this place or group: its id or any of its names, Arabic too (default: every place)",
    )
    add_data_option(timeline)
    timeline.set_defaults(command=run_timeline)

    add_article_commands(commands)  # geocode, extract, ingest
    return parser


def run_validate(args: argparse.Namespace) -> int:
    """``controlmap validate``: exit 0 when valid, 1 with one line per problem otherwise."""
    paths: list[Path] = [*args.paths, *([args.data] if args.data is not None else [])] or [default_data_dir()]
    problems = check_paths(paths)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", file=sys.stderr)
        return EXIT_INVALID
    print(f"ok: {', '.join(map(str, paths))}", file=sys.stderr)
    return EXIT_OK


def run_timeline(args: argparse.Namespace) -> int:
    """``controlmap timeline``: every period (and unknown gap) as an aligned table."""
    dataset = dataset_from_dir(args.data)
    # A name, an alias or a group ("Mosul", "الرقة", "manbij-pocket"), as the app's search finds it.
    chosen = resolve_place(dataset, args.place).members if args.place else None
    places = list(dataset.places) if chosen is None else [dataset.place(place_id) for place_id in chosen]
    header = ("place", "from", "until", "holder", "status", "against", "sources")
    rows: list[tuple[str, ...]] = []
    for place in places:
        for row in place_history(dataset, place.id).itertuples(index=False):
            rows.append(
                (
                    place.id,
                    format_date(row.start, row.start_precision),
                    format_date(row.end, row.end_precision),
                    "?" if row.controller is None else dataset.faction(row.controller).short_label,
                    str(row.status),
                    ", ".join(dataset.faction(o).short_label for o in row.opponents),
                    ", ".join(row.sources),
                )
            )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        sys.stdout.write("  ".join([*cells, row[-1]]).rstrip() + "\n")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
