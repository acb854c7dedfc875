"""Atomic writes: a failed or killed write never leaves a half-written file."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from typing import TYPE_CHECKING

import pytest

from controlmap import write_bytes_atomic, write_text_atomic

if TYPE_CHECKING:
    from pathlib import Path


def test_write_replaces_the_file_and_keeps_a_backup(tmp_path: Path) -> None:
    target = tmp_path / "places.geojson"
    target.write_text("old", "utf-8")
    write_text_atomic(target, "new", backup=True)
    assert target.read_text("utf-8") == "new"
    assert (tmp_path / "places.geojson.bak").read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["places.geojson", "places.geojson.bak"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "places.geojson"
    target.write_text("old", "utf-8")

    with pytest.raises(TypeError):
        write_bytes_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["places.geojson"]


def test_a_killed_writer_leaves_the_old_or_the_new_file_never_a_mix(tmp_path: Path) -> None:
    target = tmp_path / "big.json"
    old = b"o" * 5_000_000
    new = b"n" * 5_000_000
    target.write_bytes(old)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from controlmap import write_bytes_atomic
        data = [b"o" * 5_000_000, b"n" * 5_000_000]
        i = 0
        print("ready", flush=True)
        while True:
            write_bytes_atomic(Path({str(target)!r}), data[i % 2])
            i += 1
        """
    )
    for attempt in range(8):
        with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE) as process:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == b"ready"
            # Kill it without warning at a different point of its write loop each time.
            time.sleep(0.01 * attempt)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        content = target.read_bytes()
        assert content in (old, new)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "big.json"]
    # A killed process may leave its temporary file behind, but never touches the target.
    assert all(name.startswith(".big.json.") and name.endswith(".tmp") for name in leftovers)
