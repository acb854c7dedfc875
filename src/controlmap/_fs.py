"""Writing files so that a reader never sees half of one: atomic replace, modes kept, several files at once.

A new file gets the mode the process's umask gives any new file (``-rw-r--r--`` under the usual 022), not
the ``-rw-------`` of a temporary file; a replaced file keeps its mode (and, where the process may, its
owner and group).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from controlmap.errors import ControlmapError

if TYPE_CHECKING:
    from collections.abc import Sequence

_UMASK_LINE = re.compile(r"^Umask:\s*([0-7]+)\s*$", re.MULTILINE)


@cache
def _umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux), else by setting it back."""
    with contextlib.suppress(OSError):
        found = _UMASK_LINE.search(Path("/proc/self/status").read_text("ascii"))
        if found:
            return int(found.group(1), 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_text_atomic(path: Path, text: str, *, backup: bool = False) -> None:
    """Write a file so that it is either the old or the new version, never a mix.

    The text goes to a temporary file beside the target, is flushed to disk, then renamed over it.

    Parameters
    ----------
    path
        The file to write.
    text
        Its new content (UTF-8).
    backup
        Keep the previous version as ``<name>.bak``.
    """
    write_bytes_atomic(path, text.encode("utf-8"), backup=backup)


def write_bytes_atomic(path: Path, data: bytes, *, backup: bool = False) -> None:
    """Bytes version of `write_text_atomic`."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path()
    try:
        previous = path.stat()
    except FileNotFoundError:
        previous = None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if previous is None:
                os.fchmod(stream.fileno(), 0o666 & ~_umask())
            else:
                os.fchmod(stream.fileno(), previous.st_mode & 0o7777)
                with contextlib.suppress(OSError):  # only root (or the owner, for the group) may
                    os.fchown(stream.fileno(), previous.st_uid, previous.st_gid)
            os.fsync(stream.fileno())
        if backup and previous is not None:
            backup_path = path.with_name(path.name + ".bak")
            with contextlib.suppress(FileNotFoundError):
                backup_path.unlink()
            os.link(path, backup_path)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()
        raise


def write_files_atomic(files: Sequence[tuple[Path, bytes]], *, backup: bool = True) -> None:
    """Write several files in order, each atomically with a backup; if one fails, put back those already written.

    Raises
    ------
    ControlmapError
        Naming the file that could not be written; the files are then as they were.
    """
    done: list[tuple[Path, bool]] = []
    try:
        for path, data in files:
            existed = path.exists()
            write_bytes_atomic(path, data, backup=backup)
            done.append((path, existed))
    except OSError as error:
        for path, existed in reversed(done):
            saved = path.with_name(path.name + ".bak")
            with contextlib.suppress(OSError):
                if existed and saved.exists():
                    saved.replace(path)
                elif not existed:
                    path.unlink()
        msg = (
            f"could not write {error.filename or 'a file'}: {error.strerror or error}; the previous files were put back"
        )
        raise ControlmapError(msg) from error
