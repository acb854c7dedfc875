"""Static images of the map at a date: PNG, SVG and PDF drawn with matplotlib, no browser, no network.

Every colour and pattern comes from `controlmap.style`. The same input gives the same bytes: the PNG is
encoded without timestamps, the SVG with a fixed hash salt, the PDF without dates or producer.

Examples
--------
>>> from controlmap import dataset_from_dir, snapshot
>>> from controlmap.basemap import load_basemap
>>> dataset = dataset_from_dir("geodata")  # doctest: +SKIP
>>> png = snapshot_to_image(snapshot(dataset, day), basemap=load_basemap("geodata"))  # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import TYPE_CHECKING, Literal, get_args

from controlmap.basemap import CREDIT, Basemap
from controlmap.dates import format_date
from controlmap.errors import ControlmapError
from controlmap.export._layout import PATTERN_STATUSES, REGULAR_EM, ImageLegend, Layout, layout_for
from controlmap.export.options import IMAGE_SIZE
from controlmap.style import DEFAULT_PALETTE, check_palette, legend_entries

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from controlmap.export._canvas import DrawnTexts, MapCanvas
    from controlmap.model import Dataset
    from controlmap.timeline import Snapshot

__all__ = [
    "IMAGE_FORMATS",
    "ImageFormat",
    "ImageLegend",
    "ImageRenderer",
    "cited_outlets",
    "image_credit",
    "image_legend",
    "image_position",
    "image_title",
    "snapshot_to_image",
]

ImageFormat = Literal["png", "svg", "pdf"]
IMAGE_FORMATS: tuple[str, ...] = get_args(ImageFormat)


def image_legend(snap: Snapshot, *, palette: str = DEFAULT_PALETTE) -> ImageLegend:
    """The legend of a snapshot: exactly the factions that hold a place, and the patterns in use."""
    statuses = Counter(str(s) for s in snap.statuses)
    return ImageLegend(
        factions=legend_entries(snap.dataset, snap.faction_counts(), palette),
        statuses={status: statuses[status] for status in PATTERN_STATUSES if statuses[status]},
    )


def image_title(snap: Snapshot) -> str:
    """The title of an image: the dataset's title and the date."""
    return f"{snap.dataset.title} — {format_date(snap.date)}"


def cited_outlets(snap: Snapshot) -> list[str]:
    """The outlets of the sources cited by the periods on the map, most cited first."""
    counts: Counter[str] = Counter()
    for position in range(len(snap.dataset.places)):
        period = snap.period(position)
        if period is not None:
            counts.update({snap.dataset.source(s).outlet for s in period.sources})
    return sorted(counts, key=lambda outlet: (-counts[outlet], outlet))


def image_credit(snap: Snapshot, *, max_chars: int = 200) -> str:
    """The credit line: the outlets cited on the map (as many as fit) and the basemap's source.

    Parameters
    ----------
    snap
        The snapshot drawn.
    max_chars
        Room for the list of outlets; the rest is counted ("and 3 more").
    """
    outlets = cited_outlets(snap)
    shown: list[str] = []
    for i, outlet in enumerate(outlets):
        rest = len(outlets) - i - 1
        tail = f" and {rest} more" if rest else ""
        if len(", ".join([*shown, outlet])) + len(tail) > max_chars and shown:
            break
        shown.append(outlet)
    more = len(outlets) - len(shown)
    sources = ", ".join(shown) + (f" and {more} more" if more else "")
    return f"Sources: {sources or 'none at this date'} · {CREDIT}"


def image_position(
    dataset: Dataset,
    lon: float,
    lat: float,
    *,
    width: int = IMAGE_SIZE.width,
    height: int = IMAGE_SIZE.height,
    dpi: float = IMAGE_SIZE.dpi,
) -> tuple[int, int]:
    """The pixel (column, row from the top) at which a longitude/latitude is drawn in an image.

    Parameters
    ----------
    dataset
        The dataset drawn: its places decide the map's extent.
    lon, lat
        The position in degrees.
    width, height, dpi
        The image options, as given to `snapshot_to_image`.
    """
    column, row = layout_for(dataset, width=width, height=height, dpi=dpi).position(lon, lat)
    return int(column), int(row)


class ImageRenderer:
    """Draws one dataset at one size, again and again: the basemap and labels are drawn once.

    Use it for many dates (a timelapse, an app); it is safe to share between threads.

    Parameters
    ----------
    dataset
        The places.
    width, height
        Image size in pixels.
    dpi
        Pixels per inch; text and lines are sized in points.
    palette
        A palette id of the dataset.
    basemap
        The layers under the places; None draws none.
    """

    def __init__(
        self,
        dataset: Dataset,
        *,
        width: int = IMAGE_SIZE.width,
        height: int = IMAGE_SIZE.height,
        dpi: float = IMAGE_SIZE.dpi,
        palette: str = DEFAULT_PALETTE,
        basemap: Basemap | None = None,
    ) -> None:
        check_palette(dataset, palette)
        self.dataset = dataset
        self.palette = palette
        self.layout: Layout = layout_for(dataset, width=width, height=height, dpi=dpi)
        self._basemap = basemap if basemap is not None else Basemap(layers={})
        self._canvas: MapCanvas | None = None
        self._lock = threading.Lock()

    def _draw(self, snap: Snapshot) -> MapCanvas:
        from controlmap.export._canvas import MapCanvas  # noqa: PLC0415 - matplotlib loads only when an image is drawn

        if snap.dataset is not self.dataset:
            msg = "the snapshot is of another dataset than the renderer's"
            raise ControlmapError(msg)
        if self._canvas is None:
            self._canvas = MapCanvas(self.dataset, layout=self.layout, palette=self.palette, basemap=self._basemap)
        # The credit's room in characters; a line that is still too wide is shrunk to fit when drawn.
        char_px = self.layout.px(self.layout.text.credit) * REGULAR_EM
        room = int((self.layout.width - 2 * self.layout.margin) / char_px) - len(f"Sources:  · {CREDIT}")
        self._canvas.draw(
            snap,
            title=image_title(snap),
            credit=image_credit(snap, max_chars=max(room, 20)),
            legend=image_legend(snap, palette=self.palette),
        )
        return self._canvas

    def rgb(self, snap: Snapshot) -> NDArray[np.uint8]:
        """The image of a snapshot as pixels, shape (height, width, 3)."""
        with self._lock:
            return self._draw(snap).rgb()

    def drawn_texts(self, snap: Snapshot) -> DrawnTexts:
        """Where the title, credit, legend and names of a snapshot's image are drawn, in pixels (to check they fit)."""
        with self._lock:
            return self._draw(snap).drawn_texts()

    def render(self, snap: Snapshot, *, format: ImageFormat = "png") -> bytes:
        """The image of a snapshot as PNG, SVG or PDF bytes."""
        check_format(format)
        with self._lock:
            canvas = self._draw(snap)
            return canvas.png() if format == "png" else canvas.vector(format)


def snapshot_to_image(
    snap: Snapshot,
    *,
    format: ImageFormat = "png",
    width: int = IMAGE_SIZE.width,
    height: int = IMAGE_SIZE.height,
    dpi: float = IMAGE_SIZE.dpi,
    palette: str = DEFAULT_PALETTE,
    basemap: Basemap | None = None,
) -> bytes:
    """A static image of the map at a snapshot's date.

    Parameters
    ----------
    snap
        The state to draw.
    format
        ``png``, ``svg`` or ``pdf``.
    width, height
        Image size in pixels (the PDF and SVG page is this size at ``dpi``).
    dpi
        Pixels per inch: text and line widths are in points, so a higher DPI draws them larger.
    palette
        A palette id of the dataset.
    basemap
        Countries, lakes, rivers and labels under the places (`controlmap.basemap.load_basemap`); None
        draws none.

    Returns
    -------
    The file's bytes: the same for the same input.
    """
    check_format(format)
    renderer = ImageRenderer(snap.dataset, width=width, height=height, dpi=dpi, palette=palette, basemap=basemap)
    return renderer.render(snap, format=format)


def check_format(fmt: str) -> None:
    """Raise `ControlmapError` unless the format is an image format."""
    if fmt not in IMAGE_FORMATS:
        msg = f"format: {fmt!r} is not one of: {', '.join(IMAGE_FORMATS)}"
        raise ControlmapError(msg)
