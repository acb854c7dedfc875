"""Shared fixtures: the tiny dataset and copies of it to break, the shipped data, the material beside the repo.

The tiny hand-made dataset is tests/data/mini; the material beside the repository is the seed articles and the
development set of real articles.

Every dataset's compiled store goes to one temporary directory for the session (``$CONTROLMAP_CACHE``), so
that tests which compare a data directory before and after a command see only the data; the store's own
tests (test_store.py) choose where it goes.

Hypothesis runs without deadlines: a property test timed on a busy machine fails for the machine, not for the
code (``HYPOTHESIS_PROFILE=dev`` turns a 1 s deadline back on when looking for slow cases).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, settings

import controlmap

if TYPE_CHECKING:
    from collections.abc import Iterator

    from controlmap.articles.gazetteer import Gazetteer

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"
REPO = Path(__file__).parent.parent
GEODATA = REPO / "geodata"
SHARED = REPO.parent / "shared"
"""Material kept beside the repository, never copied into it: ``seeds/`` (the two articles the project grew
from) and ``articles/`` (real news excerpts with the claims an analyst wrote down). Tests that read it skip,
naming this path, where it is absent."""
SEEDS = SHARED / "seeds"
ARTICLES = SHARED / "articles"

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def _store_outside_the_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONTROLMAP_CACHE", str(tmp_path_factory.mktemp("store")))
        yield


BROWSER_TESTS = "tests/browser/"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``--dist loadgroup`` (``make test``), every browser test in one unit of work, run by one worker.

    So the browser tests share one Chromium and one app server per dataset, and never compete with each other
    for the machine; the other tests spread over the other workers. The grouping goes by path, not by
    ``xdist_group`` marks: those are lost on pytest 9 (pytest-xdist issue 1386).
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling  # noqa: PLC0415 - only under xdist

    class BrowserGroupScheduling(LoadGroupScheduling):  # type: ignore[misc]  # xdist has no type hints
        def _split_scope(self, nodeid: str) -> str:
            return "browser" if nodeid.startswith(BROWSER_TESTS) else super()._split_scope(nodeid)

    return BrowserGroupScheduling(config, log)


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
    shutil.copytree(MINI, target, ignore=shutil.ignore_patterns(".controlmap-cache"))  # a store made by hand
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
