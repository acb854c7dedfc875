"""The app on more places than the shipped data: a few hundred synthetic places (benchmarks/synthetic.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).parent.parent / "app.py"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def synthetic_300(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 synthetic places of 20 periods each: 6,000 periods."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(REPO))
        from benchmarks.synthetic import write_synthetic_dataset  # noqa: PLC0415 - once the path is set

        return write_synthetic_dataset(tmp_path_factory.mktemp("synthetic") / "geodata", 300)


def test_the_app_runs_on_300_places_without_an_exception(synthetic_300: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTROLMAP_DATA", str(synthetic_300))
    at = AppTest.from_file(str(APP), default_timeout=120).run().run()  # the second run draws the history
    assert not at.error
    assert [str(e.value)[:200] for e in at.exception] == []
