"""The one export service: the map or its data at a date, the whole history, or a timelapse, as a file's bytes.

The command line and the app both call `export`, so the same request gives the same bytes from either. Each
format loads only what it needs (matplotlib, for instance, only for images and timelapses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

from controlmap.errors import ControlmapError
from controlmap.export.options import FRAME_SIZE, IMAGE_SIZE
from controlmap.style import DEFAULT_PALETTE, check_palette
from controlmap.timeline import Snapshot

if TYPE_CHECKING:
    from collections.abc import Callable

    from controlmap.basemap import Basemap
    from controlmap.export.image import ImageFormat
    from controlmap.export.options import Frames, ImageSize
    from controlmap.model import Dataset

Subject = Literal["snapshot", "dataset", "timelapse"]


@dataclass(frozen=True)
class Format:
    """An export format: its MIME type, the file name endings it is written to, and what it shows."""

    mime: str
    suffixes: tuple[str, ...]
    subject: Subject
    """``snapshot``: one date; ``dataset``: every date; ``timelapse``: the dates of a `Frames`."""
    label: str
    binary: bool = False
    """Bytes that are not text: never written to a terminal."""

    @property
    def suffix(self) -> str:
        """The usual file name ending."""
        return self.suffixes[0]


FORMATS: dict[str, Format] = {
    "geojson": Format("application/geo+json", (".geojson", ".json"), "snapshot", "every place at the date, GeoJSON"),
    "csv": Format("text/csv", (".csv",), "snapshot", "one row per place at the date, CSV"),
    "history": Format("application/geo+json", (".geojson", ".json"), "dataset", "every period, GeoJSON"),
    "geoparquet": Format(
        "application/vnd.apache.parquet",
        (".parquet", ".geoparquet"),
        "dataset",
        "every period, one row each, GeoParquet",
        binary=True,
    ),
    "lpf": Format("application/ld+json", (".jsonld",), "dataset", "every place and period, Linked Places (GeoJSON-LD)"),
    "png": Format("image/png", (".png",), "snapshot", "a static map, PNG", binary=True),
    "svg": Format("image/svg+xml", (".svg",), "snapshot", "a static map, SVG"),
    "pdf": Format("application/pdf", (".pdf",), "snapshot", "a static map, PDF", binary=True),
    "html": Format("text/html", (".html", ".htm"), "snapshot", "the interactive map in one offline file"),
    "gif": Format("image/gif", (".gif",), "timelapse", "a timelapse, animated GIF", binary=True),
    "mp4": Format("video/mp4", (".mp4",), "timelapse", "a timelapse, MP4 video", binary=True),
}
"""Every format `export` writes, by name."""


@dataclass(frozen=True)
class Exported:
    """An export's bytes, with what a download or a file needs to know about them."""

    data: bytes
    mime: str
    suffix: str


def export(
    subject: Snapshot | Dataset,
    format: str,
    *,
    palette: str = DEFAULT_PALETTE,
    basemap: Basemap | None = None,
    size: ImageSize | None = None,
    frames: Frames | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Exported:
    """The map or its data in one format.

    Parameters
    ----------
    subject
        A snapshot (the state at its date) for the ``snapshot`` formats, which the HTML page opens at; the
        dataset for ``history`` and the timelapses (a snapshot's dataset serves as well).
    format
        A name of `FORMATS`.
    palette
        A palette id of the dataset: the colours of every format, data included.
    basemap
        Countries, rivers, lakes and labels for the images, the timelapses and the HTML page; None draws none.
    size
        Images and timelapse frames: width, height and DPI (default: the format's own).
    frames
        Timelapses: the dates and the frames per second.
    progress
        Timelapses: called with (frames done, frames in all) after each frame.

    Raises
    ------
    ControlmapError
        An unknown format, palette or size, or a subject or option the format cannot take.
    """
    chosen = FORMATS.get(format)
    if chosen is None:
        msg = f"format: {format!r} is not one of: {', '.join(FORMATS)}"
        raise ControlmapError(msg)
    dataset = subject.dataset if isinstance(subject, Snapshot) else subject
    check_palette(dataset, palette)
    if chosen.subject == "snapshot":
        if not isinstance(subject, Snapshot):
            msg = f"a {format} export shows one date: give a snapshot, not the whole dataset"
            raise ControlmapError(msg)
        data = _snapshot_file(subject, format, palette=palette, basemap=basemap, size=size)
    elif chosen.subject == "dataset":
        data = _history_file(dataset, format, palette=palette)
    else:
        if frames is None:
            msg = f"a {format} timelapse needs its frames (start, end, step, fps)"
            raise ControlmapError(msg)
        from controlmap.export.timelapse import timelapse_to_bytes  # noqa: PLC0415

        data = timelapse_to_bytes(
            dataset, frames, format=format, size=size or FRAME_SIZE, palette=palette, basemap=basemap,
            progress=progress,
        )  # fmt: skip
    return Exported(data=data, mime=chosen.mime, suffix=chosen.suffix)


def _history_file(dataset: Dataset, format: str, *, palette: str) -> bytes:
    if format == "geoparquet":
        from controlmap.export.geoparquet import history_to_geoparquet  # noqa: PLC0415 - each format loads its own

        return history_to_geoparquet(dataset, palette=palette)
    if format == "lpf":
        from controlmap.export.linked_places import history_to_linked_places  # noqa: PLC0415

        return history_to_linked_places(dataset, palette=palette)
    from controlmap.codec import document_to_bytes  # noqa: PLC0415
    from controlmap.export.tables import history_to_geojson  # noqa: PLC0415

    return document_to_bytes(history_to_geojson(dataset, palette=palette))


def _snapshot_file(
    snap: Snapshot, format: str, *, palette: str, basemap: Basemap | None, size: ImageSize | None
) -> bytes:
    if format == "geojson":
        from controlmap.codec import document_to_bytes  # noqa: PLC0415
        from controlmap.records import snapshot_to_geojson  # noqa: PLC0415

        return document_to_bytes(snapshot_to_geojson(snap, palette=palette))
    if format == "csv":
        from controlmap.export.tables import snapshot_to_csv  # noqa: PLC0415

        return snapshot_to_csv(snap, palette=palette).encode("utf-8")
    if format == "html":
        from controlmap.web.standalone import dataset_to_html  # noqa: PLC0415

        return dataset_to_html(snap.dataset, date=snap.date, palette=palette, basemap=basemap).encode("utf-8")
    from controlmap.export.image import snapshot_to_image  # noqa: PLC0415

    size = size or IMAGE_SIZE
    return snapshot_to_image(
        snap, format=cast("ImageFormat", format), width=size.width, height=size.height, dpi=size.dpi,
        palette=palette, basemap=basemap,
    )  # fmt: skip
