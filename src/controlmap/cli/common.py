"""What every subcommand shares: the ``--data`` option and writing an output file safely."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from controlmap._fs import write_bytes_atomic
from controlmap.errors import ControlmapError, OutputExistsError

if TYPE_CHECKING:
    import argparse


def add_data_option(parser: argparse.ArgumentParser) -> None:
    """``--data DIR``: the geodata directory a command reads."""
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="the geodata directory (default: $CONTROLMAP_DATA, else ./geodata, else the project's geodata)",
    )


def checked_output_path(output: str, *, force: bool) -> Path:
    """The output file, after checking that it may be written: its directory exists, it is new or forced."""
    path = Path(output)
    if path.exists() and not force:
        msg = f"{path} exists; pass --force to overwrite it"
        raise OutputExistsError(msg)
    if path.is_dir():
        msg = f"--output: {path} is a directory"
        raise ControlmapError(msg)
    if not path.parent.is_dir():
        msg = f"--output: directory {path.parent} does not exist"
        raise ControlmapError(msg)
    return path


def write_output_bytes(output: str, data: bytes, *, force: bool) -> None:
    """Write bytes to standard output (``-``) or atomically to a file, refusing to overwrite without ``force``."""
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = checked_output_path(output, force=force)
    try:
        write_bytes_atomic(path, data)
    except OSError as error:
        msg = f"--output: cannot write {path}: {error.strerror or error}"
        raise ControlmapError(msg) from None


def write_output_text(output: str, text: str, *, force: bool) -> None:
    """`write_output_bytes` for text, in UTF-8."""
    write_output_bytes(output, text.encode("utf-8"), force=force)
