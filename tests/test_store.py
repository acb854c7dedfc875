"""The compiled store: the same dataset and the same problems as reading the files plainly, faster the next time.

Each test chooses where the store goes (``$CONTROLMAP_CACHE`` unset: beside the data), breaks it in one of the
ways a disk, a person or another version can, and checks that it is noticed, rebuilt and never trusted.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from benchmarks.synthetic import write_synthetic_dataset

import controlmap
from controlmap.codec import dataset_from_documents
from controlmap.io import read_documents, valid_documents
from controlmap.store import CACHE_DIR_NAME, CACHE_ENV, cache_dir, check_dir, dataset_from_checked
from controlmap.store import _compile as compile_module
from controlmap.store._location import code_key
from controlmap.store._parts import part_from_bytes
from controlmap.validate import validate_documents

if TYPE_CHECKING:
    from controlmap.errors import Problem

REPO = Path(__file__).resolve().parent.parent
GEODATA = REPO / "geodata"


@pytest.fixture(autouse=True)
def _store_beside_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the shipped geodata (its places split over several files, to see one file recompiled)."""
    target = tmp_path / "geodata"
    shutil.copytree(GEODATA, target, ignore=shutil.ignore_patterns(CACHE_DIR_NAME, "basemap"))
    return target


def plain_problems(directory: Path) -> list[Problem]:
    """The problems as the files read plainly give them (no store): read problems, then the checks."""
    documents, read = read_documents(directory)
    return [*read, *validate_documents(documents)]


def parts(directory: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in (directory / CACHE_DIR_NAME).glob("*.part")}


def same_dataset(a: controlmap.Dataset, b: controlmap.Dataset) -> None:
    assert a == b
    for day in (a.coverage_start, dt.date(2015, 6, 1), dt.date(2017, 7, 10), a.coverage_end):
        first, second = controlmap.snapshot(a, day), controlmap.snapshot(b, day)
        assert first.period_index.tolist() == second.period_index.tolist()
        assert [first.period(i) for i in range(len(a.places))] == [second.period(i) for i in range(len(b.places))]
        assert second.periods() == first.periods() == [first.period(i) for i in range(len(a.places))]
    assert controlmap.change_events(a).equals(controlmap.change_events(b))


def test_the_first_load_compiles_the_store_beside_the_data_and_the_next_reads_it(data: Path) -> None:
    plain = dataset_from_documents(valid_documents(data))
    first = controlmap.dataset_from_dir(data)
    store = data / CACHE_DIR_NAME
    assert cache_dir(data) == store
    assert (store / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"
    assert (store / "CACHEDIR.TAG").read_text("utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert len(parts(data)) == len(list((data / "places").glob("*.geojson")))
    before = parts(data)
    second = controlmap.dataset_from_dir(data)
    assert parts(data) == before  # read back, not written again
    same_dataset(plain, first)
    same_dataset(plain, second)
    # The places read back make their histories only when asked, and the same ones.
    assert second.place(plain.places[0].id).history == plain.places[0].history


def test_an_edit_compiles_that_file_alone(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    controlmap.dataset_from_dir(data)
    files = sorted((data / "places").glob("*.geojson"))
    assert len(files) >= 2
    edited = files[0]
    edited.write_text(edited.read_text("utf-8").replace('"note": "', '"note": "Edited. ', 1), "utf-8")
    compiled: list[int] = []
    original = compile_module.compile_places

    def counting(features: list[dict[str, object]], context: object) -> compile_module.Compiled:
        compiled.append(len(features))
        return original(features, context)  # type: ignore[arg-type]

    monkeypatch.setattr("controlmap.store.compile_places", counting)
    dataset = controlmap.dataset_from_dir(data)
    assert len(compiled) == 1
    same_dataset(dataset_from_documents(valid_documents(data)), dataset)


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda raw: raw[: len(raw) // 2], "truncated or was changed"),
        (lambda raw: raw[:-10] + bytes(10), "truncated or was changed"),
        (lambda raw: raw.replace(b'"name":', b'"nAme":', 1), "truncated or was changed"),
        (lambda raw: b"", "not a compiled places file"),
        (lambda raw: raw.replace(b"compiled places 1\n", b"compiled places 0\n", 1), "another version"),
    ],
    ids=["truncated", "zeroed tail", "edited by hand", "empty", "older layout"],
)
def test_a_damaged_part_is_noticed_ignored_and_rebuilt(
    data: Path, damage: object, says: str, caplog: pytest.LogCaptureFixture
) -> None:
    expected = controlmap.dataset_from_dir(data)
    victim = sorted((data / CACHE_DIR_NAME).glob("*.part"))[0]
    victim.write_bytes(damage(victim.read_bytes()))  # type: ignore[operator]
    with caplog.at_level(logging.WARNING, logger="controlmap.store"):
        reloaded = controlmap.dataset_from_dir(data)
    notices = [r.getMessage() for r in caplog.records]
    assert len(notices) == 1
    assert str(victim if "version" not in says else victim.parent) in notices[0]
    assert says in notices[0]
    assert "rebuilding it" in notices[0]
    same_dataset(expected, reloaded)
    part_from_bytes(victim.read_bytes(), code=code_key(), source=victim.stem)  # rebuilt whole, checked


def test_a_part_written_by_other_code_is_rebuilt_with_a_notice(
    data: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    controlmap.dataset_from_dir(data)
    monkeypatch.setattr("controlmap.store.code_key", lambda: "another version")
    with caplog.at_level(logging.WARNING, logger="controlmap.store"):
        controlmap.dataset_from_dir(data)
    notices = [r.getMessage() for r in caplog.records]
    parts_count = len(list((data / "places").glob("*.geojson")))
    assert notices == [
        f"the compiled store in {data / CACHE_DIR_NAME} was written by another version of controlmap; "
        f"rebuilding it ({parts_count} files)"
    ]


def test_the_cli_prints_the_notice(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from controlmap.cli import main  # noqa: PLC0415

    assert main(["validate", str(data)]) == 0
    victim = sorted((data / CACHE_DIR_NAME).glob("*.part"))[0]
    victim.write_bytes(victim.read_bytes()[:100])
    capsys.readouterr()
    assert main(["validate", str(data)]) == 0
    err = capsys.readouterr().err
    assert f"controlmap: notice: the compiled store file {victim} is not usable" in err


def test_the_store_can_be_moved_or_turned_off(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "stores"
    monkeypatch.setenv(CACHE_ENV, str(elsewhere))
    controlmap.dataset_from_dir(data)
    assert not (data / CACHE_DIR_NAME).exists()
    assert list(elsewhere.glob("geodata-*/*.part"))
    monkeypatch.setenv(CACHE_ENV, "off")
    shutil.rmtree(elsewhere)
    controlmap.dataset_from_dir(data)
    assert not elsewhere.exists()
    assert not (data / CACHE_DIR_NAME).exists()


def test_data_inside_the_package_is_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = Path(controlmap.__file__).resolve().parent
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir(package / "geodata") is not None
    assert tmp_path in cache_dir(package / "geodata").parents  # type: ignore[union-attr]


def test_a_read_only_store_still_loads_with_one_notice(
    data: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, data: bytes, *, backup: bool = False) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("controlmap.store.write_bytes_atomic", refuse)
    with caplog.at_level(logging.WARNING, logger="controlmap.store"):
        dataset = controlmap.dataset_from_dir(data)
    notices = [r.getMessage() for r in caplog.records]
    assert len(notices) == 1
    assert "cannot write the compiled store" in notices[0]
    assert CACHE_ENV in notices[0]
    same_dataset(dataset_from_documents(valid_documents(data)), dataset)


def test_unused_parts_and_leftovers_are_cleared_once_stale(data: Path) -> None:
    controlmap.dataset_from_dir(data)
    store = data / CACHE_DIR_NAME
    stale = store / f"{'0' * 64}.part"
    leftover = store / ".abc.part.x1y2.tmp"
    fresh = store / f"{'1' * 64}.part"
    for path in (stale, leftover, fresh):
        path.write_bytes(b"old")
    long_ago = time.time() - 3600
    os.utime(stale, (long_ago, long_ago))
    os.utime(leftover, (long_ago, long_ago))
    controlmap.dataset_from_dir(data)
    assert not stale.exists()
    assert not leftover.exists()
    assert fresh.exists()  # it may be another process's, being written


# Problems, exactly as the plain reading reports them, with a store empty, full, or from before the break.
BREAKS = {
    "unknown faction": ('"controller": "isis"', '"controller": "martians"'),
    "bad date": ('"start": "2014-06-10"', '"start": "2014-06-31"'),
    "wrong precision": ('"start_precision": "day"', '"start_precision": "month"'),
    "schema": ('"status": "controlled"', '"status": "held"'),
    "not JSON": ('"type": "Feature"', '"type": Feature'),
}


@pytest.mark.parametrize("name", BREAKS)
def test_problems_are_reported_exactly_as_without_the_store(data: Path, name: str) -> None:
    controlmap.dataset_from_dir(data)  # a full store, from before the break
    old, new = BREAKS[name]
    broken = 0
    for path in sorted((data / "places").glob("*.geojson")):
        text = path.read_text("utf-8")
        if old in text:
            path.write_text(text.replace(old, new), "utf-8")
            broken += 1
    assert broken
    expected = plain_problems(data)
    assert expected
    for _ in range(2):  # with the store as the break left it, then as this run left it
        assert check_dir(data).all_problems() == expected
    with pytest.raises(controlmap.DataError) as raised:
        controlmap.dataset_from_dir(data)
    documents, read = read_documents(data)
    assert raised.value.problems == (read or validate_documents(documents))


def test_registry_changes_are_checked_against_stored_parts(data: Path) -> None:
    controlmap.dataset_from_dir(data)
    sources = data / "sources.json"
    cited = next(s for s in controlmap.dataset_from_dir(data).sources)
    sources.write_text(sources.read_text("utf-8").replace(f'"id": "{cited}"', '"id": "renamed-source"'), "utf-8")
    expected = plain_problems(data)
    assert any("unknown source id" in p.message for p in expected)
    assert check_dir(data).all_problems() == expected


def test_a_store_killed_while_written_leaves_whole_parts_or_none(tmp_path: Path) -> None:
    directory = write_synthetic_dataset(tmp_path / "synthetic", 12_000, periods=4)
    loader = [sys.executable, "-c", f"import controlmap; controlmap.dataset_from_dir({str(directory)!r})"]
    env = {**os.environ}
    env.pop(CACHE_ENV, None)
    for delay in (0.8, 1.5, 2.5):
        process = subprocess.Popen(loader, env=env)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for part in (directory / CACHE_DIR_NAME).glob("*.part"):
            part_from_bytes(part.read_bytes(), code=code_key(), source=part.stem)  # whole, or it would not be here
    assert controlmap.dataset_from_dir(directory) == dataset_from_documents(valid_documents(directory))


def test_two_processes_building_at_once_leave_a_sound_store(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    directory = write_synthetic_dataset(tmp_path / "synthetic", 12_000, periods=4)
    loader = [sys.executable, "-c", f"import controlmap; controlmap.dataset_from_dir({str(directory)!r})"]
    env = {**os.environ}
    env.pop(CACHE_ENV, None)
    processes = [subprocess.Popen(loader, env=env, stderr=subprocess.PIPE) for _ in range(2)]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert b"notice" not in err
    with caplog.at_level(logging.WARNING, logger="controlmap.store"):
        checked = check_dir(directory)
    assert not caplog.records
    assert len(checked.parts) == len(list((directory / "places").glob("*.geojson")))
    assert dataset_from_checked(checked) == dataset_from_documents(valid_documents(directory))


def test_a_file_the_compiled_schema_check_refuses_is_still_read(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("controlmap.store.places_schema_valid", lambda content: False)
    dataset = controlmap.dataset_from_dir(data)
    same_dataset(dataset_from_documents(valid_documents(data)), dataset)
