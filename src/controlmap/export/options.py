"""The options every export shares, as small types below the formats and the service (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    import datetime as dt

Step = Literal["day", "week", "month", "changes"]
STEPS: tuple[str, ...] = get_args(Step)
DEFAULT_FPS = 4.0


@dataclass(frozen=True)
class ImageSize:
    """An image's size in pixels and its pixels per inch (larger DPI draws text larger)."""

    width: int
    height: int
    dpi: float


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
