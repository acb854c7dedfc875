"""Browser tests: Debian's Chromium driven by Playwright (fixtures in conftest.py, helpers in browserkit.py)."""
