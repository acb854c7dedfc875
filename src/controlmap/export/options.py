"""The options every export shares, as small types below the formats and the service (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

from controlmap.errors import ControlmapError

if TYPE_CHECKING:
    import datetime as dt

Step = Literal["day", "week", "month", "changes"]
STEPS: tuple[str, ...] = get_args(Step)
DEFAULT_FPS = 4.0


MM_PER_INCH = 25.4
PAPERS: dict[str, tuple[float, float]] = {"a4": (297.0, 210.0), "a3": (420.0, 297.0), "letter": (279.4, 215.9)}
"""Paper sizes in millimetres, landscape (width, height)."""
PRINT_DPI = 300.0


@dataclass(frozen=True)
class ImageSize:
    """An image's size in pixels and its pixels per inch (larger DPI draws text larger)."""

    width: int
    height: int
    dpi: float

    @classmethod
    def paper(cls, name: str, *, dpi: float = PRINT_DPI) -> ImageSize:
        """A page to print: ``a4``, ``a3`` or ``letter``, landscape, at ``dpi`` (300: print quality).

        A PDF or SVG of this size is the paper's size; a PNG has the pixels to print it at ``dpi``.

        Raises
        ------
        ControlmapError
            An unknown paper.
        """
        if name.lower() not in PAPERS:
            msg = f"paper: {name!r} is not one of: {', '.join(PAPERS)}"
            raise ControlmapError(msg)
        width_mm, height_mm = PAPERS[name.lower()]
        return cls(round(width_mm / MM_PER_INCH * dpi), round(height_mm / MM_PER_INCH * dpi), dpi)


IMAGE_SIZE = ImageSize(1600, 1200, 100.0)
"""A single image's size by default."""
FRAME_SIZE = ImageSize(1200, 900, 100.0)
"""A timelapse frame's size by default: smaller, as there are many."""


@dataclass(frozen=True)
class Frames:
    """Which dates a timelapse shows (from ``start`` to ``end``, one frame per ``step``), and how fast."""

    start: dt.date
    end: dt.date
    step: Step | str = "month"
    fps: float = DEFAULT_FPS
