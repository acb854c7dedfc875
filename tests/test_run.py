"""``make run`` serves the app to this machine only: the article page writes into the geodata directory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchmarks.appserver import answers, free_port

REPO = Path(__file__).resolve().parent.parent
LOOPBACK = {"0100007F", "00000000000000000000000001000000"}
"""127.0.0.1 and ::1 as /proc/net/tcp and tcp6 write them."""


def listening(port: int) -> set[str]:
    """The local addresses (as the kernel writes them) with a socket listening on ``port``."""
    found = set()
    for table in ("tcp", "tcp6"):
        path = Path("/proc/net") / table
        if not path.exists():
            continue
        for line in path.read_text("ascii").splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the listening sockets from /proc/net (Linux)")
def test_make_run_listens_on_localhost_only(tmp_path: Path) -> None:
    port = free_port()
    venv = Path(sys.prefix)
    # The README's command, on a free port, with this test's environment (its set-up is not redone: -o).
    command = ["make", "--no-print-directory", "-o", str(venv / ".installed"), "run", f"VENV={venv}", f"PORT={port}"]
    log = (tmp_path / "run.log").open("wb")
    process = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not answers(f"http://127.0.0.1:{port}/_stcore/health"):
            assert process.poll() is None, (tmp_path / "run.log").read_text("utf-8", "replace")
            assert time.monotonic() < deadline, "the app did not start"
            time.sleep(0.2)  # polling interval: the loop ends on the condition
        addresses = listening(port)
        assert addresses, "nothing listens on the port"
        assert addresses <= LOOPBACK, f"listening beyond this machine: {addresses}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # make, streamlit and warm_app: the group this test started
        process.wait(timeout=30)
        log.close()


def test_the_set_up_is_not_redone_when_nothing_changed() -> None:
    """``make test`` after ``make install``: the stamp is newer than pyproject.toml, so nothing is installed."""
    venv = Path(sys.prefix)
    stamp = venv / ".installed"
    if not stamp.exists() or stamp.stat().st_mtime < (REPO / "pyproject.toml").stat().st_mtime:
        pytest.skip(f"this environment ({venv}) was not set up by make install since pyproject.toml changed")
    plan = subprocess.run(
        ["make", "--no-print-directory", "-n", "test", f"VENV={venv}"], cwd=REPO, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    assert "pip install" not in plan.stdout
    assert "-m venv" not in plan.stdout
    assert "pytest -n" in plan.stdout  # the tests themselves run in parallel
    assert "pytest -m load" in plan.stdout  # and the load test alone, after them
