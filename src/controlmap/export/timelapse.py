"""Timelapses: the map from a start date to an end date as an animated GIF or an MP4 video.

Each frame is the static image of `controlmap.export.image` for its date, drawn by one `ImageRenderer`: the
basemap and labels are drawn once and only the places are restyled from frame to frame. The MP4 is
encoded by the ffmpeg that the ``imageio-ffmpeg`` wheel carries; nothing is fetched.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np
from PIL import Image

from controlmap.errors import ControlmapError, DateError
from controlmap.export.image import ImageRenderer
from controlmap.export.options import FRAME_SIZE, STEPS, Frames, ImageSize, Step
from controlmap.style import DEFAULT_PALETTE
from controlmap.timeline import change_dates, check_in_coverage, snapshot

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from numpy.typing import NDArray

    from controlmap.basemap import Basemap
    from controlmap.model import Dataset

__all__ = [
    "STEPS",
    "TIMELAPSE_FORMATS",
    "Frames",
    "Step",
    "TimelapseFormat",
    "check_timelapse_options",
    "frame_dates",
    "timelapse_frames",
    "timelapse_to_bytes",
]

TimelapseFormat = Literal["gif", "mp4"]
TIMELAPSE_FORMATS: tuple[str, ...] = get_args(TimelapseFormat)
MAX_FRAMES = 5000
"""More frames than this is refused: at 1600 x 1200 they would take hours and gigabytes."""
MP4_CRF = 18
"""x264 constant rate factor: 18 is visually lossless for flat map colours."""


def frame_dates(dataset: Dataset, *, start: dt.date, end: dt.date, step: Step | str = "month") -> list[dt.date]:
    """The dates of a timelapse's frames, ascending.

    Parameters
    ----------
    dataset
        Its covered range bounds the dates; its change dates make the ``changes`` step.
    start, end
        The first and last dates, both included.
    step
        ``day``, ``week`` (every 7 days from ``start``), ``month`` (the same day of every month, or the
        month's last day when it is shorter) or ``changes`` (``start`` and then only the dates on which
        something changed). ``end`` is the last frame whatever the step, so the film ends on the state asked for.

    Raises
    ------
    DateError
        When a date is outside the data's range or ``start`` is after ``end``.
    ControlmapError
        For an unknown step or more than `MAX_FRAMES` frames.
    """
    check_in_coverage(dataset, start)
    check_in_coverage(dataset, end)
    if start > end:
        msg = f"start {start.isoformat()} is after end {end.isoformat()}"
        raise DateError(msg)
    if step not in STEPS:
        msg = f"step: {step!r} is not one of: {', '.join(STEPS)}"
        raise ControlmapError(msg)
    if step == "changes":
        dates = [start, *(d for d in change_dates(dataset) if start < d <= end)]
    else:
        dates = list(_regular_dates(start, end, step))
    if dates[-1] != end:
        dates.append(end)
    if len(dates) > MAX_FRAMES:
        msg = f"{len(dates)} frames from {start.isoformat()} to {end.isoformat()} by {step}; the limit is {MAX_FRAMES}"
        raise ControlmapError(msg)
    return dates


def _regular_dates(start: dt.date, end: dt.date, step: str) -> Iterator[dt.date]:
    if step in {"day", "week"}:
        every = dt.timedelta(days=1 if step == "day" else 7)
        day = start
        while day <= end:
            yield day
            day += every
        return
    months = 0
    while True:
        year, month = divmod(start.month - 1 + months, 12)
        year += start.year
        day = dt.date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))
        if day > end:
            return
        yield day
        months += 1


def timelapse_frames(renderer: ImageRenderer, dates: list[dt.date]) -> Iterator[tuple[dt.date, NDArray[np.uint8]]]:
    """Each date with its image's pixels (height, width, 3), drawn one after the other."""
    for day in dates:
        yield day, renderer.rgb(snapshot(renderer.dataset, day))


def check_timelapse_options(*, format: str, fps: float, width: int, height: int) -> None:
    """Raise `ControlmapError` unless a timelapse can be made in this format, at this rate and size."""
    if format not in TIMELAPSE_FORMATS:
        msg = f"format: {format!r} is not one of: {', '.join(TIMELAPSE_FORMATS)}"
        raise ControlmapError(msg)
    if not 0.1 <= fps <= 60:
        msg = f"fps: {fps:g} is outside 0.1 to 60"
        raise ControlmapError(msg)
    if format == "mp4" and (width % 2 or height % 2):
        msg = f"an MP4 needs an even width and height; received {width} x {height}"
        raise ControlmapError(msg)


def timelapse_to_bytes(
    dataset: Dataset,
    frames: Frames,
    *,
    format: TimelapseFormat | str = "gif",
    size: ImageSize = FRAME_SIZE,
    palette: str = DEFAULT_PALETTE,
    basemap: Basemap | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """A timelapse of the map as an animated GIF or an MP4 video.

    Parameters
    ----------
    dataset
        The places and their histories.
    frames
        Which dates become frames, and the frames per second.
    format
        ``gif`` or ``mp4``.
    size
        Each frame's size, as for `controlmap.export.image.snapshot_to_image` (an MP4 needs even sizes).
    palette
        A palette id of the dataset.
    basemap
        The layers under the places; None draws none.
    progress
        Called with (frames done, frames in all) after each frame, so a caller can show progress.

    Returns
    -------
    The file's bytes.
    """
    check_timelapse_options(format=format, fps=frames.fps, width=size.width, height=size.height)
    dates = frame_dates(dataset, start=frames.start, end=frames.end, step=frames.step)
    renderer = ImageRenderer(
        dataset, width=size.width, height=size.height, dpi=size.dpi, palette=palette, basemap=basemap
    )

    def pixels() -> Iterator[NDArray[np.uint8]]:
        for done, (_, image) in enumerate(timelapse_frames(renderer, dates), start=1):
            yield image
            if progress is not None:
                progress(done, len(dates))

    if format == "gif":
        return _gif(pixels(), fps=frames.fps)
    return _mp4(pixels(), fps=frames.fps, width=size.width, height=size.height)


def _gif(frames: Iterator[NDArray[np.uint8]], *, fps: float) -> bytes:
    # Each frame gets its own 256-colour palette (no dithering: the map is flat colours plus antialiasing).
    images = [
        Image.fromarray(pixels, mode="RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        for pixels in frames
    ]
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=round(1000 / fps),
        loop=0,
        optimize=False,
    )
    return buffer.getvalue()


def _mp4(frames: Iterator[NDArray[np.uint8]], *, fps: float, width: int, height: int) -> bytes:
    import imageio_ffmpeg  # noqa: PLC0415 - finds the ffmpeg binary in its wheel; only a video needs it

    with tempfile.TemporaryDirectory(prefix="controlmap-") as directory:
        path = Path(directory) / "timelapse.mp4"
        log = Path(directory) / "ffmpeg.log"
        command = [
            imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-y", "-loglevel", "error",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", f"{fps:g}", "-i", "pipe:0",
            "-an", "-c:v", "libx264", "-preset", "medium", "-crf", str(MP4_CRF), "-pix_fmt", "yuv420p",
            # No creation time, no encoder version in the file: the same frames give the same bytes.
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1", "-movflags", "+faststart",
            str(path),
        ]  # fmt: skip
        with log.open("wb") as errors, subprocess.Popen(command, stdin=subprocess.PIPE, stderr=errors) as process:
            assert process.stdin is not None  # Popen with stdin=PIPE always has it
            try:
                for pixels in frames:
                    process.stdin.write(np.ascontiguousarray(pixels).tobytes())
            except BrokenPipeError:
                pass  # ffmpeg stopped early: its log says why, below
            finally:
                process.stdin.close()
            status = process.wait()
        if status != 0:
            message = log.read_text("utf-8", errors="replace").strip().splitlines()
            msg = f"ffmpeg could not encode the video: {message[-1] if message else f'exit status {status}'}"
            raise ControlmapError(msg)
        return path.read_bytes()
