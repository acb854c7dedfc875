"""Data for a page's scripts: JSON that is safe inside a ``<script>`` element (pure).

The one escaper for every page the package makes (the app's map and the HTML export), after folium's
``folium/template.py`` (``_to_escaped_json``).
"""

from __future__ import annotations

import json
from typing import Any

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_script(value: Any) -> str:
    """JSON text that is safe inside a ``<script>`` element, as a JavaScript expression or as data.

    ``<``, ``>`` and ``&`` are written as unicode escapes, so no ``</script>`` or ``<!--`` in the data can
    end or change the element; U+2028 and U+2029 too, which older JavaScript reads as line ends. The text
    still parses to the same value. NaN and infinities are refused (they are not JSON).
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return "".join(_SCRIPT_ESCAPES.get(character, character) for character in text)
