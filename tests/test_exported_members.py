"""The package's public names are exactly those in ``__all__``."""

from __future__ import annotations

import types

import controlmap


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        name
        for name, value in vars(controlmap).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert public == set(controlmap.__all__)


def test_all_names_resolve() -> None:
    for name in controlmap.__all__:
        assert getattr(controlmap, name) is not None
