"""Download buttons for the exports: image, interactive HTML, data at the date, the history, a timelapse.

Every file comes from the export service (`controlmap.export.export`), as from the command line, so a
download and ``controlmap snapshot`` give the same bytes. Files are made only when a button is pressed
(Streamlit calls the function then, on its own thread); a timelapse takes longer, so it is made on request
with a progress bar and then offered for download.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

import controlmap
from appui import data, state
from controlmap.export import FORMATS, Frames, export

if TYPE_CHECKING:
    from collections.abc import Callable

ss = st.session_state

IMAGE_FORMATS = ("png", "svg", "pdf")
TIMELAPSE_STEPS = {"changes": "each change", "month": "each month", "week": "each week"}
EVERY_PLACE = "Every place at the date, with its sources"
DRAWN = {"png", "svg", "pdf", "html", "gif", "mp4"}
"""Formats that draw the basemap."""


def file_maker(loaded: data.Loaded, shown: state.Shown, fmt: str) -> Callable[[], bytes]:
    """What a download button calls when pressed: the export of the map as shown then (its date and colours)."""

    def make() -> bytes:
        snap = controlmap.snapshot(loaded.dataset, shown.date)
        basemap = data.basemap(loaded) if fmt in DRAWN else None
        return export(snap, fmt, palette=shown.palette, basemap=basemap).data

    return make


def _button(loaded: data.Loaded, shown: state.Shown, fmt: str, label: str, name: str, **options: object) -> None:
    chosen = FORMATS[fmt]
    st.download_button(
        label, file_maker(loaded, shown, fmt), file_name=f"{name}{chosen.suffix}", mime=chosen.mime,
        on_click="ignore", key=f"d_{fmt}", width="stretch", **options,  # type: ignore[arg-type]
    )  # fmt: skip


def downloads(loaded: data.Loaded, shown: state.Shown) -> None:
    """The download section: what the map shows when a button is pressed, in several formats, and a timelapse.

    The date is read when a button is pressed (from ``shown``, which the map's view keeps current), so a
    file is always of the date on the slider even though this section is not redrawn when the date moves.
    """
    st.caption("The map as it is shown when you press a button: its date and colours.")
    fmt = st.segmented_control("Image", options=IMAGE_FORMATS, default="png", key="w_image_format", required=True)
    chosen = fmt if fmt in IMAGE_FORMATS else "png"
    _button(loaded, shown, chosen, f"Image ({chosen.upper()})", "controlmap-map")
    _button(loaded, shown, "html", "Interactive map (HTML, works offline)", "controlmap-map")
    geojson_col, csv_col = st.columns(2)
    with geojson_col:
        _button(
            loaded, shown, "geojson", "GeoJSON", "controlmap-places", help="Every place at the date, with its sources"
        )
    with csv_col:
        _button(loaded, shown, "csv", "CSV", "controlmap-places", help="Every place at the date, with its sources")
    _button(loaded, shown, "history", "Whole history (GeoJSON)", "controlmap-history")
    parquet_col, lpf_col = st.columns(2)
    with parquet_col:
        _button(loaded, shown, "geoparquet", "GeoParquet", "controlmap-history", help="Every period, one row each")
    with lpf_col:
        _button(loaded, shown, "lpf", "Linked Places", "controlmap-history", help="For historical gazetteers (WHG)")
    timelapse_section(loaded, shown)


def timelapse_section(loaded: data.Loaded, shown: state.Shown) -> None:
    """A GIF or MP4 from the compared date (or the start of the data) to the date shown, made on request."""
    dataset = loaded.dataset
    day, compare, palette = shown.date, shown.compare, shown.palette
    start = min(compare, day) if compare is not None else dataset.coverage_start
    end = max(compare, day) if compare is not None else day
    st.markdown("**Timelapse** from the compared date (or the start of the data) to the date shown")
    fmt_col, step_col = st.columns(2)
    video = fmt_col.selectbox("Format", options=["gif", "mp4"], key="w_video_format", format_func=str.upper)
    step = step_col.selectbox("Frames", options=list(TIMELAPSE_STEPS), key="w_video_step",
                              format_func=TIMELAPSE_STEPS.__getitem__)  # fmt: skip
    request = (loaded.key(), start, end, video, step, palette)
    if st.button("Make timelapse", key="b_timelapse", width="stretch"):
        bar = st.progress(0.0, text="Drawing frames…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Frame {done} of {total}")

        try:
            frames = Frames(start, end, str(step))
            made = export(
                dataset, str(video), palette=palette, basemap=data.basemap(loaded), frames=frames, progress=progress
            )
            ss.timelapse = (request, made)
        except controlmap.ControlmapError as error:
            st.error(str(error))
        bar.empty()
    kept = ss.get("timelapse")
    if kept is not None and kept[0] == request:
        film = kept[1]
        st.download_button(
            f"Download timelapse ({str(video).upper()})", film.data, file_name=f"controlmap-{start}-{end}{film.suffix}",
            mime=film.mime, on_click="ignore", key="d_timelapse", width="stretch",
        )  # fmt: skip
