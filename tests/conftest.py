"""Shared fixtures: the tiny hand-made dataset in tests/data/mini and copies of it to break."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import controlmap

if TYPE_CHECKING:
    from controlmap.articles.gazetteer import Gazetteer

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"
REPO = Path(__file__).parent.parent
GEODATA = REPO / "geodata"


@pytest.fixture(scope="session")
def mini_dir() -> Path:
    """The tiny valid dataset (read-only: copy it before changing anything)."""
    return MINI


@pytest.fixture(scope="session")
def mini() -> controlmap.Dataset:
    """The tiny dataset, loaded."""
    return controlmap.dataset_from_dir(MINI)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A private copy of the tiny dataset that a test may break."""
    target = tmp_path / "geodata"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def shipped() -> controlmap.Dataset:
    """The shipped geodata."""
    return controlmap.dataset_from_dir(GEODATA)


@pytest.fixture(scope="session")
def shipped_gazetteer(shipped: controlmap.Dataset) -> Gazetteer:
    """The gazetteer of the shipped geodata, with GeoNames towns and basemap rivers (built once)."""
    from controlmap.articles.files import gazetteer_from_dataset  # noqa: PLC0415 - only the article tests need it

    return gazetteer_from_dataset(shipped, data_dir=GEODATA)
