"""Warm the app as soon as its server answers, so the first visitor does not wait for imports and caches.

``make run`` starts this beside ``streamlit run app.py``. It polls the server's health endpoint, then asks
for its script health check, which runs ``app.py`` once on the server (loading the geodata, the basemap
and the map's first layer into the caches) and tells whether the app runs. It prints one line and exits.

Usage::

    .venv/bin/python scripts/warm_app.py [--host localhost] [--port 8501] [--timeout 60]
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.request


def answers(url: str, timeout: float) -> bool:
    """Whether a GET of ``url`` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="localhost", help="the address the app listens on (default localhost)")
    parser.add_argument("--port", type=int, default=8501, help="the app's port (default 8501)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the server")
    args = parser.parse_args()
    # A server on every interface (0.0.0.0, ::) answers on this machine's loopback too.
    host = "127.0.0.1" if args.host in {"0.0.0.0", "::", ""} else args.host
    base = f"http://{f'[{host}]' if ':' in host else host}:{args.port}"
    deadline = time.monotonic() + args.timeout
    while not answers(f"{base}/_stcore/health", timeout=2):
        if time.monotonic() > deadline:
            print(f"warm_app: no server at {base} after {args.timeout:.0f} s", file=sys.stderr)
            return 1
        time.sleep(0.2)  # polling interval
    started = time.monotonic()
    if answers(f"{base}/_stcore/script-health-check", timeout=120):
        print(f"warm_app: the app ran once in {time.monotonic() - started:.1f} s; it is ready.", file=sys.stderr)
        return 0
    print("warm_app: the app did not run cleanly; open it to see why.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
