"""Files shipped inside the package: the JSON Schemas, the browser's scripts and styles, the gazetteer's data.

The one place that reads them (a private reader, like osmnx's ``_http``): each file is read once per
process and kept.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def packaged_text(*parts: str) -> str:
    """The text (UTF-8) of the packaged file at ``parts`` under ``controlmap/`` (``"web", "engine.js"``)."""
    return resources.files("controlmap").joinpath(*parts).read_text("utf-8")


@cache
def packaged_json(*parts: str) -> Any:
    """The parsed JSON of a packaged file (shared between callers: treat it as read-only)."""
    return json.loads(packaged_text(*parts))
