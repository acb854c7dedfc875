"""The ``controlmap`` command line."""

from __future__ import annotations

from controlmap.cli.main import main

__all__ = ["main"]
