"""Exports: the map and its data in the formats other tools read, through one service (`export`).

``export(snapshot_or_dataset, format, ...) -> Exported(data, mime, suffix)``; the formats are `FORMATS`. The
modules behind it: `image` (PNG, SVG, PDF; with the private canvas, layout and labels), `tables` (CSV and the
history as GeoJSON), `timelapse` (GIF, MP4); the HTML page is `controlmap.web.standalone`.
"""

from __future__ import annotations

from controlmap.export.options import Frames, ImageSize
from controlmap.export.service import FORMATS, Exported, Format, export

__all__ = ["FORMATS", "Exported", "Format", "Frames", "ImageSize", "export"]
