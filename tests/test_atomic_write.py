"""Atomic writes: a failed or killed write never leaves a half-written file."""

from __future__ import annotations

import signal
import stat
import subprocess
import sys
import textwrap
import time
from typing import TYPE_CHECKING

import pytest

from controlmap import ControlmapError, write_bytes_atomic, write_text_atomic
from controlmap._fs import write_files_atomic

if TYPE_CHECKING:
    from pathlib import Path


def test_write_replaces_the_file_and_keeps_a_backup(tmp_path: Path) -> None:
    target = tmp_path / "places.geojson"
    target.write_text("old", "utf-8")
    write_text_atomic(target, "new", backup=True)
    assert target.read_text("utf-8") == "new"
    assert (tmp_path / "places.geojson.bak").read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["places.geojson", "places.geojson.bak"]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path, umask: int) -> None:
    # In a child process: the umask is the process's, and it is read once per process.
    script = f"import os; os.umask({umask:#o}); from pathlib import Path; from controlmap import write_text_atomic; "
    script += f"write_text_atomic(Path({str(tmp_path / 'new.csv')!r}), 'x')"
    subprocess.run([sys.executable, "-c", script], check=True)
    assert _mode(tmp_path / "new.csv") == 0o666 & ~umask


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "syria.geojson"
    target.write_text("old", "utf-8")
    target.chmod(0o640)
    write_text_atomic(target, "new", backup=True)
    assert _mode(target) == 0o640
    target.chmod(0o604)
    write_text_atomic(target, "newer")
    assert _mode(target) == 0o604
    assert target.read_text("utf-8") == "newer"


def test_several_files_written_in_order_and_put_back_when_one_fails(tmp_path: Path) -> None:
    first, second = tmp_path / "sources.json", tmp_path / "missing-dir" / "places.geojson"
    first.write_text("old", "utf-8")
    with pytest.raises(ControlmapError, match="put back"):
        write_files_atomic([(first, b"new"), (second, b"new")])
    assert first.read_text("utf-8") == "old"
    second = tmp_path / "places.geojson"
    write_files_atomic([(first, b"new"), (second, b"new")])
    assert first.read_text("utf-8") == second.read_text("utf-8") == "new"


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
