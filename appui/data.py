"""The geodata and everything derived from it, cached for the app's lifetime (until the files change)."""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

import controlmap
from controlmap._fs import write_text_atomic
from controlmap.articles.files import gazetteer_from_dataset
from controlmap.basemap import BASEMAP_DIR, Basemap, load_basemap
from controlmap.io import default_data_dir
from controlmap.web import assets as webassets
from controlmap.web import folium_map as webmap
from controlmap.web import history_tabs as history

if TYPE_CHECKING:
    import datetime as dt
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


def layer_text(loaded: Loaded, day: dt.date, palette: str) -> str:
    """The places at a date as script text, the same object for every date with the same periods.

    Days on which no period starts or ends draw the same map, so the text is cached per set of periods
    in force: scrubbing through them recomputes nothing, and the browser, seeing the same layer, redraws
    nothing.
    """
    snap = controlmap.snapshot(loaded.dataset, day)

    def make() -> str:
        return webmap.features_js(webmap.layer_features(snap, palette=palette))

    return _layer_texts(loaded).get((snap.period_index.tobytes(), palette), make)


LAYER_CACHE_CHARACTERS = 64_000_000
"""How much layer text is kept, all sessions together. A count of entries would not do: a layer is 130 kB
with the shipped data (every set of periods fits) but 11 MB at 10,000 places, where 1,024 entries would
fill 11 GB as a person scrubs (measured: the server grew by 24 MB per new date)."""


class TextCache:
    """Texts by key, the least recently used dropped once their total length passes ``budget``.

    Thread-safe: every session's script runs in its own thread.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._texts: OrderedDict[object, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object, make: Callable[[], str]) -> str:
        """The text for ``key``, made by ``make`` when it is not kept (the newest text is always kept)."""
        with self._lock:
            if key in self._texts:
                self._texts.move_to_end(key)
                return self._texts[key]
        text = make()
        with self._lock:
            if key in self._texts:  # another session made it meanwhile: keep one copy
                return self._texts[key]
            self._texts[key] = text
            self.size += len(text)
            while self.size > self.budget and len(self._texts) > 1:
                _, dropped = self._texts.popitem(last=False)
                self.size -= len(dropped)
        return text


@st.cache_resource(max_entries=4, hash_funcs=_BY_KEY)
def _layer_texts(loaded: Loaded) -> TextCache:
    return TextCache(LAYER_CACHE_CHARACTERS)


@st.cache_resource(show_spinner="Loading the gazetteer…", max_entries=2, hash_funcs=_BY_KEY)
def gazetteer(loaded: Loaded) -> Gazetteer:
    """The article page's gazetteer: the project's places, their groups, GeoNames towns, the basemap's rivers."""
    return gazetteer_from_dataset(loaded.dataset, data_dir=loaded.path)


@st.cache_resource(max_entries=4, hash_funcs=_BY_KEY)
def timeline_frame(loaded: Loaded) -> pd.DataFrame:
    """Every period of every place, for the timeline chart."""
    return history.timeline_frame(loaded.dataset)


@st.cache_resource(max_entries=8, hash_funcs=_BY_KEY)
def timeline_spec(loaded: Loaded, palette: str) -> dict[str, Any]:
    """The timeline chart's specification, built and validated once per palette (`history.timeline_at` marks dates)."""
    return history.timeline_spec(loaded.dataset, timeline_frame(loaded), palette=palette)


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
    digest = hashlib.sha256("\0".join(files[name] for name in sorted(files)).encode("utf-8")).hexdigest()[:16]
    directory = static_dir / f"basemap-{digest}"
    directory.mkdir(parents=True, exist_ok=True)
    urls = {}
    for name, text in files.items():
        path = directory / f"{name}.geojson"
        if not path.is_file() or path.read_text("utf-8") != text:
            write_text_atomic(path, text)
        urls[name] = _static_url(static_dir, path)
    return urls


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
