"""Browser assets (Leaflet) taken from installed packages at run time, never from a CDN (the I/O edge)."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet as xstatic_leaflet

LEAFLET_VERSION = xstatic_leaflet.VERSION


def leaflet_dir() -> Path:
    """The directory of the installed Leaflet distribution (``leaflet.js``, ``leaflet.css``, ``images/``)."""
    return Path(xstatic_leaflet.BASE_DIR)


@cache
def leaflet_js() -> str:
    """The text of ``leaflet.js``."""
    return (leaflet_dir() / "leaflet.js").read_text("utf-8")


@cache
def leaflet_css() -> str:
    """The text of ``leaflet.css`` with its images inlined as data URIs, so it works from a single file."""
    css = (leaflet_dir() / "leaflet.css").read_text("utf-8")
    for image in sorted((leaflet_dir() / "images").glob("*.png")):
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        css = css.replace(f"images/{image.name}", f"data:image/png;base64,{data}")
    return css


def data_uri(text: str, mime: str) -> str:
    """A ``data:`` URI carrying ``text``: lets a page load an asset with no server and no network."""
    return f"data:{mime};base64,{base64.b64encode(text.encode('utf-8')).decode('ascii')}"


def leaflet_to_dir(directory: Path) -> tuple[Path, Path]:
    """Write ``leaflet.js`` and ``leaflet.css`` (images inlined) into ``directory``, for a local web server.

    Files already there with the same content are left alone, so several processes may call this at once.

    Returns
    -------
    The paths of the script and the stylesheet.
    """
    from controlmap._fs import write_text_atomic  # noqa: PLC0415 - only the app writes the files

    target = Path(directory) / f"leaflet-{LEAFLET_VERSION}"
    target.mkdir(parents=True, exist_ok=True)
    paths = (target / "leaflet.js", target / "leaflet.css")
    for path, text in zip(paths, (leaflet_js(), leaflet_css()), strict=True):
        if not path.is_file() or path.read_text("utf-8") != text:
            write_text_atomic(path, text)
    return paths
