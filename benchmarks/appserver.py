"""``streamlit run app.py`` on a dataset, for the browser benchmarks and the browser tests alike.

Started on a free port of 127.0.0.1, warmed (its script health check runs the app once, as `make run` does),
stopped with SIGTERM (then killed). `memory_mb` reads the server's resident memory from /proc.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


@dataclass(frozen=True)
class Server:
    """A running app: its URL, its process, and how long it took to answer and to run the app once (seconds)."""

    url: str
    process: subprocess.Popen[bytes]
    started_s: float
    warmed_s: float


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a GET of ``url`` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextlib.contextmanager
def app_server(data: Path, log: Path | None = None, *, app: str = "app.py", warm: bool = True) -> Iterator[Server]:
    """Run the app on ``data`` until the block ends.

    Raises
    ------
    RuntimeError
        The server did not start, or the app does not run (see ``log``).
    """
    url = f"http://127.0.0.1:{free_port()}"
    command = [
        sys.executable, "-m", "streamlit", "run", app, "--server.headless", "true",
        "--server.port", url.rsplit(":", 1)[1], "--server.address", "127.0.0.1",
    ]  # fmt: skip
    began = time.monotonic()
    with contextlib.ExitStack() as stack:
        output = stack.enter_context(log.open("wb")) if log is not None else subprocess.DEVNULL
        process = subprocess.Popen(
            command, cwd=REPO, env={**os.environ, "CONTROLMAP_DATA": str(data)}, stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not answers(f"{url}/_stcore/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                msg = f"streamlit did not start (see {log})"
                raise RuntimeError(msg)
            time.sleep(0.05)  # polling interval: the loop ends on the condition
        started = time.monotonic() - began
        if warm and not answers(f"{url}/_stcore/script-health-check", timeout=300):
            msg = f"the app does not run (see {log})"
            raise RuntimeError(msg)
        yield Server(url=url, process=process, started_s=started, warmed_s=time.monotonic() - began)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def memory_mb(pid: int) -> float:
    """Resident memory of a process and its descendants (VmRSS summed), in MB."""
    found = [pid]
    for process in found:
        for task in Path(f"/proc/{process}/task").glob("*"):
            with contextlib.suppress(OSError):
                found += [int(child) for child in (task / "children").read_text().split()]
    total = 0.0
    for process in found:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
    return total
