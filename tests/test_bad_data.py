"""A catalogue of broken geodata, end to end, through the command line and the app.

`controlmap validate` names each problem precisely and exits 1, the app shows it in an error box (naming the
file, with no traceback), and neither touches the files.

The messages themselves are tested one by one in test_validate.py; here each breakage goes through the
command line and the app, on a copy of the web app test dataset, with the files hashed before and after.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from streamlit.testing.v1 import AppTest

from controlmap.cli import main

if TYPE_CHECKING:
    from collections.abc import Callable

APP = Path(__file__).parent.parent / "app.py"
WEBAPP = Path(__file__).parent / "data" / "webapp"
PLACES = Path("places") / "webapp.geojson"
SOURCES = Path("sources.json")


def edit(change: Callable[[Any], None], file: Path = PLACES) -> Callable[[Path], None]:
    """A breakage that changes a file's JSON (NaN written as JSON's NaN extension, as a careless tool would)."""

    def apply(data: Path) -> None:
        content = json.loads((data / file).read_text("utf-8"))
        change(content)
        (data / file).write_text(json.dumps(content, ensure_ascii=False), "utf-8")

    return apply


def feature(content: Any, place_id: str) -> Any:
    return next(f for f in content["features"] if f["id"] == place_id)


def period(content: Any, place_id: str, index: int) -> Any:
    return feature(content, place_id)["properties"]["history"][index]


def truncate(data: Path) -> None:
    raw = (data / PLACES).read_bytes()
    (data / PLACES).write_bytes(raw[: len(raw) // 2])


def latin1(data: Path) -> None:
    text = (data / PLACES).read_text("utf-8").replace('"Alpha"', '"Mossoul é"')
    (data / PLACES).write_bytes(text.encode("latin-1", errors="replace"))


def huge(data: Path) -> None:
    with (data / "places" / "huge.geojson").open("wb") as stream:
        stream.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing written


# Each case: how to break the copy, the file the problem is in, and what the message must say.
CASES: list[tuple[str, Callable[[Path], None], Path, str]] = [
    ("truncated JSON", truncate, PLACES, "invalid JSON at line"),
    ("not UTF-8", latin1, PLACES, "not UTF-8: byte 0xe9 at line"),
    ("a 200 MB file", huge, Path("places") / "huge.geojson", "file is 210 MB; the limit is 50 MB"),
    (
        "history of the wrong type",
        edit(lambda c: feature(c, "beta")["properties"].update(history="since 2014")),
        PLACES,
        "feature 'beta' (#1): history: 'since 2014' is not of type 'array'",
    ),
    (
        "coordinates as text",
        edit(lambda c: feature(c, "alpha")["geometry"].update(coordinates=["43.13", "36.34"])),
        PLACES,
        "feature 'alpha' (#0): geometry.coordinates: malformed coordinates for a Point",
    ),
    (
        "NaN coordinates",
        edit(lambda c: feature(c, "alpha")["geometry"].update(coordinates=[math.nan, 36.34])),
        PLACES,
        "NaN is not a number JSON allows",
    ),
    (
        "self-intersecting polygon",
        edit(
            lambda c: feature(c, "gamma")["geometry"].update(
                coordinates=[[[37.5, 36.3], [38.0, 36.8], [38.0, 36.3], [37.5, 36.8], [37.5, 36.3]]]
            )
        ),
        PLACES,
        "feature 'gamma' (#2): geometry: invalid Polygon: Self-intersection",
    ),
    (
        "reversed period",
        edit(lambda c: period(c, "alpha", 1).update(end="2014-01-01")),
        PLACES,
        "feature 'alpha' (#0): history[1]: start 2014-06-10 is not before end 2014-01-01",
    ),
    (
        "overlapping periods",
        edit(lambda c: period(c, "alpha", 1).update(start="2014-05-01")),
        PLACES,
        "history[1].start: start 2014-05-01 overlaps the previous period, which runs to 2014-06-10",
    ),
    (
        "unknown faction",
        edit(lambda c: period(c, "delta", 0).update(controller="martians")),
        PLACES,
        "feature 'delta' (#4): history[0].controller: unknown faction 'martians'",
    ),
    (
        "missing sources",
        edit(lambda c: period(c, "beta", 0).pop("sources")),
        PLACES,
        "feature 'beta' (#1): history[0].sources: missing",
    ),
    (
        "dangling source id",
        edit(lambda c: period(c, "beta", 0).update(sources=["nowhere"])),
        PLACES,
        "feature 'beta' (#1): history[0].sources: unknown source id 'nowhere'",
    ),
    (
        "a source's javascript: URL",
        edit(lambda c: c["sources"][0].update(url="javascript:alert(1)"), SOURCES),
        SOURCES,
        "source 'report-a' (#0): url: 'javascript:alert(1)' is not in the expected form",
    ),
]
IDS = [name for name, _, _, _ in CASES]


def hashes(directory: Path) -> dict[str, str]:
    """The SHA-256 of every file under ``directory`` (a sparse file is read, 200 MB of zeros, in chunks)."""
    digests = {}
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 22), b""):
                digest.update(chunk)
        digests[str(path.relative_to(directory))] = digest.hexdigest()
    return digests


@pytest.fixture
def broken(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, Path, str]:
    """A broken copy of the web app test dataset: its directory, the broken file and the expected message."""
    _, breakage, file, expected = request.param
    data = tmp_path / "geodata"
    shutil.copytree(WEBAPP, data)
    breakage(data)
    return data, data / file, expected


def unescape(markdown: str) -> str:
    """The text of the app's error box, without the backslashes that keep it literal in markdown."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.mark.parametrize("broken", CASES, ids=IDS, indirect=True)
def test_validate_names_the_file_and_the_problem(
    broken: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data, file, expected = broken
    before = hashes(data)
    assert main(["validate", str(data)]) == 1
    out, err = capsys.readouterr()
    lines = (out + err).strip().splitlines()
    assert lines, "validate printed nothing"
    matching = [line for line in lines if expected in line]
    assert matching, lines
    assert all(line.startswith(f"{file}: ") for line in matching)
    assert "Traceback" not in out + err
    assert hashes(data) == before


@pytest.mark.parametrize("broken", CASES, ids=IDS, indirect=True)
def test_the_app_shows_the_problem_without_a_traceback(
    broken: tuple[Path, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, file, expected = broken
    before = hashes(data)
    monkeypatch.setenv("CONTROLMAP_DATA", str(data))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1
    message = unescape(str(at.error[0].value))
    assert f"{file}: " in message
    assert expected in message
    assert not at.slider, "no map is drawn from broken data"
    assert hashes(data) == before
