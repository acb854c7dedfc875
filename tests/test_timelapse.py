"""Timelapses: which dates become frames, and GIF/MP4 files whose frames are the static images."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from typing import TYPE_CHECKING

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

import controlmap
from controlmap.export.image import ImageRenderer
from controlmap.export.options import Frames, ImageSize
from controlmap.export.timelapse import MAX_FRAMES, frame_dates, timelapse_to_bytes

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

    from exporthelpers import Size

D = dt.date
SMALL: Size = {"width": 320, "height": 240, "dpi": 40.0}
SMALL_SIZE = ImageSize(SMALL["width"], SMALL["height"], SMALL["dpi"])


def test_daily_weekly_and_monthly_frames_end_on_the_end_date(mini: controlmap.Dataset) -> None:
    assert frame_dates(mini, start=D(2016, 1, 30), end=D(2016, 2, 2), step="day") == [
        D(2016, 1, 30), D(2016, 1, 31), D(2016, 2, 1), D(2016, 2, 2),
    ]  # fmt: skip
    assert frame_dates(mini, start=D(2016, 1, 1), end=D(2016, 1, 20), step="week") == [
        D(2016, 1, 1), D(2016, 1, 8), D(2016, 1, 15), D(2016, 1, 20),
    ]  # fmt: skip
    assert frame_dates(mini, start=D(2016, 1, 31), end=D(2016, 5, 31), step="month") == [
        D(2016, 1, 31), D(2016, 2, 29), D(2016, 3, 31), D(2016, 4, 30), D(2016, 5, 31),
    ]  # fmt: skip
    assert frame_dates(mini, start=D(2016, 1, 1), end=D(2016, 1, 1), step="month") == [D(2016, 1, 1)]


def test_change_frames_are_the_start_and_every_change(mini: controlmap.Dataset) -> None:
    dates = frame_dates(mini, start=D(2016, 1, 1), end=D(2017, 12, 31), step="changes")
    changes = [d for d in controlmap.change_dates(mini) if D(2016, 1, 1) < d <= D(2017, 12, 31)]
    assert dates == [D(2016, 1, 1), *changes, D(2017, 12, 31)]
    assert D(2016, 2, 19) in dates  # beta to the SDF
    assert D(2017, 7, 10) in dates  # alpha retaken


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        (
            {"start": D(2017, 1, 1), "end": D(2016, 1, 1)},
            controlmap.DateError,
            "start 2017-01-01 is after end 2016-01-01",
        ),
        ({"start": D(2010, 1, 1), "end": D(2016, 1, 1)}, controlmap.DateError, "outside the data's range"),
        ({"start": D(2016, 1, 1), "end": D(2016, 2, 1), "step": "hour"}, controlmap.ControlmapError, "step: 'hour'"),
    ],
)
def test_bad_requests_are_clear_errors(
    mini: controlmap.Dataset, options: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        frame_dates(mini, **options)  # type: ignore[arg-type]


def test_too_many_frames_are_refused(mini: controlmap.Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("controlmap.export.timelapse.MAX_FRAMES", 10)
    with pytest.raises(
        controlmap.ControlmapError,
        match="11 frames from 2016-01-01 to 2016-01-11 by day; the limit is 10",
    ):
        frame_dates(mini, start=D(2016, 1, 1), end=D(2016, 1, 11), step="day")
    assert MAX_FRAMES == 5000


def gif_frames(data: bytes) -> list[NDArray[np.uint8]]:
    frames = []
    with Image.open(io.BytesIO(data)) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frames.append(np.asarray(image.convert("RGB")))
    return frames


def mean_difference(a: NDArray[np.uint8], b: NDArray[np.uint8]) -> float:
    return float(np.abs(a.astype(float) - b.astype(float)).mean())


def title_band(image: NDArray[np.uint8]) -> NDArray[np.uint8]:
    return image[: image.shape[0] // 10]


def test_a_gif_has_one_frame_per_date_each_the_static_image(mini: controlmap.Dataset) -> None:
    calls: list[tuple[int, int]] = []
    data = timelapse_to_bytes(
        mini, Frames(D(2016, 1, 1), D(2016, 4, 1), "month", fps=5), format="gif", size=SMALL_SIZE,
        progress=lambda done, total: calls.append((done, total)),
    )  # fmt: skip
    dates = [D(2016, 1, 1), D(2016, 2, 1), D(2016, 3, 1), D(2016, 4, 1)]
    frames = gif_frames(data)
    assert len(frames) == len(dates)
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    with Image.open(io.BytesIO(data)) as image:
        assert image.info["duration"] == 200
        assert image.info["loop"] == 0
    renderer = ImageRenderer(mini, **SMALL)
    statics = [renderer.rgb(controlmap.snapshot(mini, day)) for day in dates]
    for index, frame in enumerate(frames):
        assert frame.shape == (240, 320, 3)
        assert mean_difference(frame, statics[index]) < 1.0
        # The title shows the frame's own date, not its neighbours'.
        others = [mean_difference(title_band(frame), title_band(s)) for s in statics]
        assert int(np.argmin(others)) == index


@pytest.mark.parametrize("fmt", ["gif", "mp4"])
def test_a_timelapse_is_the_same_every_time(mini: controlmap.Dataset, fmt: str) -> None:
    def film() -> bytes:
        return timelapse_to_bytes(mini, Frames(D(2016, 1, 1), D(2016, 3, 1), "month"), format=fmt, size=SMALL_SIZE)

    assert film() == film()


def test_an_mp4_has_one_frame_per_date_each_the_static_image(mini: controlmap.Dataset, tmp_path: Path) -> None:
    dates = frame_dates(mini, start=D(2016, 1, 1), end=D(2017, 12, 31), step="changes")
    data = timelapse_to_bytes(
        mini, Frames(D(2016, 1, 1), D(2017, 12, 31), "changes", fps=2), format="mp4", size=SMALL_SIZE
    )
    assert data[4:8] == b"ftyp"
    path = tmp_path / "film.mp4"
    path.write_bytes(data)
    decoded = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
        capture_output=True,
        check=True,
    )
    assert re.search(r"320x240.* 2 fps", decoded.stderr.decode("utf-8", errors="replace"))
    frames = list(np.frombuffer(decoded.stdout, dtype=np.uint8).reshape(-1, 240, 320, 3))
    assert len(frames) == len(dates)
    renderer = ImageRenderer(mini, **SMALL)
    for index in (0, len(dates) // 2, len(dates) - 1):
        static = renderer.rgb(controlmap.snapshot(mini, dates[index]))
        assert mean_difference(frames[index], static) < 6.0  # lossy video, same picture


def test_an_mp4_needs_even_sizes(mini: controlmap.Dataset) -> None:
    with pytest.raises(controlmap.ControlmapError, match="even width and height; received 321 x 240"):
        timelapse_to_bytes(mini, Frames(D(2016, 1, 1), D(2016, 2, 1)), format="mp4", size=ImageSize(321, 240, 100.0))
