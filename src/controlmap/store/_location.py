"""Where a dataset's compiled store lives, what code it belongs to, and clearing out what is no longer used.

By default the store is ``.controlmap-cache/`` inside the dataset directory (it ignores itself in git and
carries a ``CACHEDIR.TAG``, so backup tools skip it). ``$CONTROLMAP_CACHE`` moves every dataset's store under
another directory (one subdirectory per dataset), or turns the store off with ``off``. A dataset inside the
installed package is never written to: its store goes under the user's cache directory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from functools import cache
from pathlib import Path

CACHE_ENV = "CONTROLMAP_CACHE"
CACHE_DIR_NAME = ".controlmap-cache"
PART_SUFFIX = ".part"
_OFF = {"off", "0", "no", "false", "none"}
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# A compiled store of controlmap geodata; rebuilt when missing.\n"
_STALE_SECONDS = 600
"""Unused parts and temporary files older than this are removed; younger ones may belong to another process."""


def cache_dir(data_dir: Path) -> Path | None:
    """The directory of a dataset's compiled store, or None when ``$CONTROLMAP_CACHE`` turns it off."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured.lower() in _OFF:
        return None
    resolved = data_dir.resolve()
    if configured:
        return Path(configured).expanduser() / _dataset_name(resolved)
    package = Path(__file__).resolve().parents[1]
    if resolved == package or package in resolved.parents:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "controlmap"
        return base / _dataset_name(resolved)
    return data_dir / CACHE_DIR_NAME


def _dataset_name(resolved: Path) -> str:
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:16]
    return f"{resolved.name or 'data'}-{digest}"


def prepare(directory: Path) -> None:
    """Create the store's directory, marked as a cache that git and backups leave alone."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in (
        (".gitignore", "# controlmap's compiled store: rebuilt from the data when missing\n*\n"),
        ("CACHEDIR.TAG", _TAG),
    ):
        path = directory / name
        if not path.exists():
            with contextlib.suppress(FileExistsError), path.open("x", encoding="utf-8") as stream:
                stream.write(text)


def part_path(directory: Path, source_digest: str) -> Path:
    """The file of the compiled part of a places file whose content has this SHA-256."""
    return directory / f"{source_digest}{PART_SUFFIX}"


def clear_unused(directory: Path, used: set[Path]) -> None:
    """Remove parts no current file uses and temporary files left by killed writers, once they are stale."""
    now = time.time()
    with contextlib.suppress(OSError):
        for path in directory.iterdir():
            unused_part = path.suffix == PART_SUFFIX and path not in used
            leftover = path.name.startswith(".") and path.name.endswith(".tmp")
            if not (unused_part or leftover):
                continue
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > _STALE_SECONDS:
                    path.unlink()


@cache
def code_key() -> str:
    """What identifies the code that compiles and checks places: parts compiled by other code are rebuilt.

    The package's version and the text of the modules and schema that decide what a part holds and whether
    a file is valid, so that a changed rule never trusts a part it did not make.
    """
    from controlmap import dates, model, packed, validate  # noqa: PLC0415 - only the files' paths are needed
    from controlmap.store import _compile, _dates, _parts  # noqa: PLC0415

    digest = hashlib.sha256()
    with contextlib.suppress(Exception):
        from importlib.metadata import version  # noqa: PLC0415

        digest.update(version("controlmap").encode("utf-8"))
    for module in (dates, model, packed, validate, _compile, _dates, _parts):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update((Path(validate.__file__ or "").parent / "schema" / "places.schema.json").read_bytes())
    return digest.hexdigest()[:32]
