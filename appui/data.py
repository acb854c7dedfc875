"""The geodata and everything derived from it, cached for the app's lifetime (until the files change)."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

import controlmap
from controlmap._fs import write_text_atomic
from controlmap.articles.files import gazetteer_from_dataset
from controlmap.basemap import BASEMAP_DIR, Basemap, country_outlines, load_basemap
from controlmap.io import default_data_dir
from controlmap.web import assets as webassets
from controlmap.web import engine
from controlmap.web import folium_map as webmap
from controlmap.web import history_tabs as history

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from controlmap.articles.gazetteer import Gazetteer

Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Loaded:
    """A validated dataset with where it came from and the fingerprint of its files (the cache key)."""

    dataset: controlmap.Dataset
    path: str
    stamp: int

    def key(self) -> tuple[str, int]:
        """What identifies this data in the caches."""
        return (self.path, self.stamp)


_BY_KEY: dict[str | type[Any], Callable[[Any], Any]] = {Loaded: Loaded.key}


def data_dir() -> Path:
    """The geodata directory: ``--data`` after ``--`` on the command line, else $CONTROLMAP_DATA, else geodata."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    known, _ = parser.parse_known_args(sys.argv[1:])
    return Path(known.data) if known.data else default_data_dir()


def fingerprint(directory: Path) -> Fingerprint:
    """Names, sizes and modification times of the data files: a new value reloads the data."""
    files = [*directory.glob("*.json"), *directory.glob("places/*.geojson"), *directory.glob(f"{BASEMAP_DIR}/*")]
    stats = []
    for path in sorted(files):
        try:
            stat = path.stat()
        except OSError:
            continue
        stats.append((str(path.relative_to(directory)), stat.st_size, stat.st_mtime_ns))
    return tuple(stats)


@st.cache_resource(show_spinner="Loading the geodata…", max_entries=4)
def _dataset(path: str, stamp: Fingerprint) -> controlmap.Dataset:
    return controlmap.dataset_from_dir(path)


def load(directory: Path) -> Loaded:
    """The dataset in ``directory``, validated; read again only when a file changed.

    Raises
    ------
    controlmap.DataError
        Naming every problem in the files.
    """
    stamp = fingerprint(directory)
    path = str(directory.resolve())
    return Loaded(dataset=_dataset(path, stamp), path=path, stamp=hash(stamp))


@st.cache_resource(max_entries=4, hash_funcs=_BY_KEY)
def basemap(loaded: Loaded) -> Basemap:
    """The basemap layers of the geodata directory (empty layers when it has none)."""
    return load_basemap(loaded.path)


@st.cache_resource(max_entries=4, hash_funcs=_BY_KEY)
def basemap_layers(loaded: Loaded) -> dict[str, str]:
    """The basemap layers as script text, serialised once."""
    return webmap.basemap_js(basemap(loaded))


@st.cache_resource(show_spinner="Loading the gazetteer…", max_entries=2, hash_funcs=_BY_KEY)
def gazetteer(loaded: Loaded) -> Gazetteer:
    """The article page's gazetteer: the project's places, their groups, GeoNames towns, the basemap's rivers."""
    return gazetteer_from_dataset(loaded.dataset, data_dir=loaded.path)


@st.cache_resource(max_entries=4, hash_funcs=_BY_KEY)
def changes_frame(loaded: Loaded) -> pd.DataFrame:
    """Every change, for the table of changes."""
    return history.changes_table(loaded.dataset)


def static_serving() -> bool:
    """Whether this server serves ``./static`` (``server.enableStaticServing``)."""
    return bool(st.get_option("server.enableStaticServing"))


def _static_url(static_dir: Path, path: Path) -> str:
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}/app/static/" if base else "/app/static/"
    return prefix + path.relative_to(static_dir).as_posix()


@st.cache_resource
def leaflet_urls(static_dir: Path) -> tuple[str, str]:
    """Leaflet's script and stylesheet, served by this Streamlit server (inlined when static serving is off)."""
    if static_serving():
        script, sheet = webassets.leaflet_to_dir(static_dir)
        return _static_url(static_dir, script), _static_url(static_dir, sheet)
    return (
        webassets.data_uri(webassets.leaflet_js(), "text/javascript"),
        webassets.data_uri(webassets.leaflet_css(), "text/css"),
    )


@st.cache_resource(max_entries=4, hash_funcs=_BY_KEY)
def basemap_urls(loaded: Loaded, static_dir: Path) -> dict[str, str]:
    """The basemap layers as files under ``static_dir`` (named by their content), and their URLs."""
    files = webmap.basemap_files(basemap(loaded))
    return {name: _serve(static_dir, "basemap", name, text, "application/geo+json") for name, text in files.items()}


def _serve(static_dir: Path, kind: str, name: str, text: str, mime: str) -> str:
    """The URL of ``text`` served as a file named by its content (the same file for every session and server)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    suffix = {"application/geo+json": ".geojson", "application/json": ".json", "text/css": ".css"}.get(mime, ".js")
    if not static_serving():
        return webassets.data_uri(text, mime)
    path = static_dir / "controlmap" / f"{kind}-{name}-{digest}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text("utf-8") != text:
        write_text_atomic(path, text)
    return _static_url(static_dir, path)


@st.cache_resource(max_entries=8, hash_funcs=_BY_KEY)
def map_assets(loaded: Loaded, static_dir: Path, online_tiles: bool, height: int) -> dict[str, Any]:
    """What the map component loads once: Leaflet, the engine, its payload and folium's base map, as URLs.

    ``key`` changes with the dataset or the base map, and makes the browser build the map anew; ``map_id`` is
    the base map's element and variable name.
    """
    dataset = loaded.dataset
    leaflet_js, leaflet_css = leaflet_urls(static_dir)
    payload = engine.engine_payload(dataset, countries=country_outlines(basemap(loaded)))
    payload_text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    base = webmap.map_parts(
        webmap.build_base_map(
            layer_urls=basemap_urls(loaded, static_dir),
            bounds=webmap.places_bounds(dataset),
            leaflet_js_url="",
            leaflet_css_url="",
            online_tiles=online_tiles,
            height=height,
        )
    )
    urls = {
        "leaflet_js": leaflet_js,
        "leaflet_css": leaflet_css,
        "engine_js": _serve(static_dir, "engine", "script", engine.engine_script(), "text/javascript"),
        "engine_css": _serve(static_dir, "engine", "styles", engine.engine_css(), "text/css"),
        "payload": _serve(static_dir, "payload", "places", payload_text, "application/json"),
        "basemap": _serve(static_dir, "map", base.name, base.script, "text/javascript"),
    }
    key = hashlib.sha256("\0".join([urls["payload"], urls["basemap"]]).encode("utf-8")).hexdigest()[:16]
    return {**urls, "map_id": base.name, "key": key, "height": height}


def markdown_escape(text: str) -> str:
    """Text shown literally in Streamlit's markdown (problem messages quote file contents)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text)


def show_data_problems(directory: Path, error: controlmap.DataError, *, limit: int = 200) -> None:
    """Name every problem in the geodata (up to ``limit``) in an error box."""
    count = len(error.problems)
    lines = "\n".join(f"- {markdown_escape(str(problem))}" for problem in error.problems[:limit])
    more = f"\n- … and {count - limit} more" if count > limit else ""
    shown = markdown_escape(str(directory))
    st.error(
        f"The geodata in {shown} has {count} problem{'s' if count != 1 else ''}, so the map cannot be shown. "
        f"Fix them and reload (`controlmap validate` lists them too):\n\n{lines}{more}",
        icon="🚫",
    )
