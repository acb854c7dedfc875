"""The app's cache of layer texts is bounded by their total size, not by a count of dates."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from appui.data import TextCache

REPO = Path(__file__).parent.parent


@pytest.fixture
def text_cache() -> type[TextCache]:
    """The class, from the app's package beside app.py (on the tests' path: see pyproject.toml)."""
    from appui.data import TextCache  # noqa: PLC0415 - imports streamlit: only these tests need it

    return TextCache


def test_the_least_recently_used_texts_go_once_the_budget_is_passed(text_cache: type[TextCache]) -> None:
    cache = text_cache(budget=25)
    made: list[str] = []

    def maker(key: str) -> str:
        made.append(key)
        return key * 10

    first = cache.get("a", lambda: maker("a"))
    assert cache.get("a", lambda: maker("a")) is first  # the same object: the browser sees the same layer
    cache.get("b", lambda: maker("b"))
    cache.get("a", lambda: maker("a"))  # "a" is now the most recently used
    cache.get("c", lambda: maker("c"))  # 30 characters: "b" goes
    assert cache.size == 20
    cache.get("a", lambda: maker("a"))
    cache.get("b", lambda: maker("b"))
    assert made == ["a", "b", "c", "b"]


def test_a_text_larger_than_the_budget_is_still_kept_alone(text_cache: type[TextCache]) -> None:
    cache = text_cache(budget=5)
    cache.get("x", lambda: "x" * 50)
    cache.get("y", lambda: "y" * 50)
    assert cache.size == 50
    assert cache.get("y", lambda: "made again") == "y" * 50
