"""``python -m controlmap``: the command line."""

from __future__ import annotations

from controlmap.cli import main

raise SystemExit(main())
