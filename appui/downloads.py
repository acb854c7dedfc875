"""Download buttons for the exports: image, interactive HTML, data at the date, the history, a timelapse.

Files are made only when a button is pressed (Streamlit calls the function then, on its own thread); a
timelapse takes longer, so it is made on request with a progress bar and then offered for download.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, get_args

import streamlit as st

import controlmap
from appui import data, state
from controlmap.export import image, timelapse
from controlmap.export import tables as datafiles
from controlmap.web import standalone

if TYPE_CHECKING:
    from collections.abc import Callable

ss = st.session_state

IMAGE_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
VIDEO_MIME = {"gif": "image/gif", "mp4": "video/mp4"}
TIMELAPSE_STEPS = {"changes": "each change", "month": "each month", "week": "each week"}


def _image(loaded: data.Loaded, shown: state.Shown, fmt: image.ImageFormat) -> Callable[[], bytes]:
    def make() -> bytes:
        snap = controlmap.snapshot(loaded.dataset, shown.date)
        return image.snapshot_to_image(snap, format=fmt, palette=shown.palette, basemap=data.basemap(loaded))

    return make


def _html(loaded: data.Loaded, shown: state.Shown) -> Callable[[], str]:
    def make() -> str:
        dataset = loaded.dataset
        return standalone.dataset_to_html(dataset, date=shown.date, palette=shown.palette, basemap=data.basemap(loaded))

    return make


def _geojson(loaded: data.Loaded, shown: state.Shown) -> Callable[[], str]:
    def make() -> str:
        snap = controlmap.snapshot(loaded.dataset, shown.date)
        return json.dumps(controlmap.snapshot_to_geojson(snap, palette=shown.palette), ensure_ascii=False, indent=1)

    return make


def _csv(loaded: data.Loaded, shown: state.Shown) -> Callable[[], str]:
    def make() -> str:
        return datafiles.snapshot_to_csv(controlmap.snapshot(loaded.dataset, shown.date), palette=shown.palette)

    return make


def _history(loaded: data.Loaded, shown: state.Shown) -> Callable[[], str]:
    def make() -> str:
        history = datafiles.history_to_geojson(loaded.dataset, palette=shown.palette)
        return json.dumps(history, ensure_ascii=False, indent=1)

    return make


def downloads(loaded: data.Loaded, shown: state.Shown) -> None:
    """The download section: what the map shows when a button is pressed, in several formats, and a timelapse.

    The date is read when a button is pressed (from ``shown``, which the map's view keeps current), so a
    file is always of the date on the slider even though this section is not redrawn when the date moves.
    """
    st.caption("The map as it is shown when you press a button: its date and colours.")
    fmt = st.segmented_control(
        "Image", options=list(get_args(image.ImageFormat)), default="png", key="w_image_format", required=True
    )
    chosen: image.ImageFormat = fmt if fmt in IMAGE_MIME else "png"
    st.download_button(
        f"Image ({chosen.upper()})", _image(loaded, shown, chosen), file_name=f"controlmap-map.{chosen}",
        mime=IMAGE_MIME[chosen], on_click="ignore", key="d_image", width="stretch",
    )  # fmt: skip
    st.download_button(
        "Interactive map (HTML, works offline)", _html(loaded, shown), file_name="controlmap-map.html",
        mime="text/html", on_click="ignore", key="d_html", width="stretch",
    )  # fmt: skip
    geojson_col, csv_col = st.columns(2)
    geojson_col.download_button(
        "GeoJSON", _geojson(loaded, shown), file_name="controlmap-places.geojson", mime="application/geo+json",
        on_click="ignore", key="d_geojson", width="stretch", help="Every place at the date, with its sources",
    )  # fmt: skip
    csv_col.download_button(
        "CSV", _csv(loaded, shown), file_name="controlmap-places.csv", mime="text/csv",
        on_click="ignore", key="d_csv", width="stretch", help="Every place at the date, with its sources",
    )  # fmt: skip
    st.download_button(
        "Whole history (GeoJSON)", _history(loaded, shown), file_name="controlmap-history.geojson",
        mime="application/geo+json", on_click="ignore", key="d_history", width="stretch",
    )  # fmt: skip
    timelapse_section(loaded, shown)


def timelapse_section(loaded: data.Loaded, shown: state.Shown) -> None:
    """A GIF or MP4 from the compared date (or the start of the data) to the date shown, made on request."""
    dataset = loaded.dataset
    day, compare, palette = shown.date, shown.compare, shown.palette
    start = min(compare, day) if compare is not None else dataset.coverage_start
    end = max(compare, day) if compare is not None else day
    st.markdown("**Timelapse** from the compared date (or the start of the data) to the date shown")
    fmt_col, step_col = st.columns(2)
    video = fmt_col.selectbox("Format", options=list(VIDEO_MIME), key="w_video_format", format_func=str.upper)
    step = step_col.selectbox("Frames", options=list(TIMELAPSE_STEPS), key="w_video_step",
                              format_func=TIMELAPSE_STEPS.__getitem__)  # fmt: skip
    request = (loaded.key(), start, end, video, step, palette)
    if st.button("Make timelapse", key="b_timelapse", width="stretch"):
        bar = st.progress(0.0, text="Drawing frames…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Frame {done} of {total}")

        try:
            ss.timelapse = (request, timelapse.timelapse_to_bytes(
                dataset, start=start, end=end, step=step, format=video, palette=palette,
                basemap=data.basemap(loaded), progress=progress,
            ))  # fmt: skip
        except controlmap.ControlmapError as error:
            st.error(str(error))
        bar.empty()
    made = ss.get("timelapse")
    if made is not None and made[0] == request:
        st.download_button(
            f"Download timelapse ({video.upper()})", made[1], file_name=f"controlmap-{start}-{end}.{video}",
            mime=VIDEO_MIME[str(video)], on_click="ignore", key="d_timelapse", width="stretch",
        )  # fmt: skip
