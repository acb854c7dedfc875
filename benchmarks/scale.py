"""Commands at scale, as a user runs them: the first snapshot, every later command, peak memory, the app's data.

``python -m benchmarks.scale --sizes 10000 100000 [--baseline main]`` writes synthetic datasets (files of
5,000 places), then runs each command in a fresh process:

- *first snapshot*: ``controlmap snapshot --format csv`` with no compiled store (load, validate, compile);
- *later commands*: with the store in place, ``snapshot --format csv``, ``snapshot --format geojson``,
  ``validate`` and ``timeline --place``, each several times;
- *peak memory*: the largest resident size of any of them;
- *app data load*: importing the app's data module and ``appui.data.load`` on a warm store (the rest of the
  app's start is its map, measured with the browser benchmarks).

``--baseline REF`` runs the same commands on the package as it is at a git ref (``main``), in the same run,
so that both figures share the machine's load. Timings are medians in seconds; the load average is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.synthetic import write_synthetic_dataset

REPO = Path(__file__).resolve().parent.parent
CACHE = ".controlmap-cache"
RUNNER = """
import resource, sys, time
started = time.perf_counter()
from controlmap.cli import main
code = main(sys.argv[1:])
print(f"@@ {time.perf_counter() - started} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""
APP_LOAD = """
import resource, sys, time
from pathlib import Path
started = time.perf_counter()
from appui import data
data.load(Path(sys.argv[1]))
print(f"@@ {time.perf_counter() - started} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
"""
BASELINE_COMMANDS = ("snapshot_csv", "validate")
"""Without a store every command reads and checks everything, so the baseline runs two of them."""
# (figure, places): the targets of the issue on the project's 2-core machine, in seconds or MB.
TARGETS: dict[tuple[str, int], float] = {
    ("first_snapshot_s", 100_000): 20,
    ("later_command_s", 100_000): 3,
    ("peak_mb", 100_000): 3000,
    ("first_snapshot_s", 10_000): 3,
    ("later_command_s", 10_000): 0.5,
}


def run(script: str, args: list[str], *, source: Path | None, cwd: Path) -> tuple[float, float]:
    """Wall time from before the imports to the end (seconds, as the process measures it) and peak RSS (MB)."""
    env = {**os.environ}
    env.pop("CONTROLMAP_CACHE", None)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in ([source] if source else []) + [REPO])
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    marks = [line for line in done.stderr.splitlines() if line.startswith("@@ ")]
    if done.returncode != 0 or not marks:
        msg = f"{args} failed ({done.returncode}): {done.stderr[-2000:]}"
        raise RuntimeError(msg)
    _, _, rss = marks[-1].split()
    return wall, int(rss) / 1024


def commands(directory: Path, output: Path) -> dict[str, list[str]]:
    """The later commands, each writing (when it writes) to ``output``."""
    data = ["--data", str(directory)]
    return {
        "snapshot_csv": ["snapshot", *data, "--date", "2016-03-24", "--format", "csv", "-o", str(output), "--force"],
        "snapshot_geojson": [
            "snapshot", *data, "--date", "2016-03-24", "--format", "geojson", "-o", str(output), "--force",
        ],
        "validate": ["validate", str(directory)],
        "timeline_place": ["timeline", *data, "--place", "p000042"],
    }  # fmt: skip


def measure(directory: Path, scratch: Path, *, source: Path | None = None, runs: int = 3) -> dict[str, Any]:
    """Every figure for one dataset, with the package at ``source`` (None: this checkout)."""
    output = scratch / "out"
    figures: dict[str, Any] = {"load_average": os.getloadavg()}
    firsts, peaks = [], []
    for _ in range(runs if source is None else 1):
        shutil.rmtree(directory / CACHE, ignore_errors=True)
        seconds, peak = run(RUNNER, commands(directory, output)["snapshot_csv"], source=source, cwd=scratch)
        firsts.append(seconds)
        peaks.append(peak)
    figures["first_snapshot_s"] = statistics.median(firsts)
    later: dict[str, float] = {}
    for name, args in commands(directory, output).items():
        if source is not None and name not in BASELINE_COMMANDS:
            continue
        times = []
        for _ in range(runs):
            seconds, peak = run(RUNNER, args, source=source, cwd=scratch)
            times.append(seconds)
            peaks.append(peak)
        later[name] = statistics.median(times)
    figures["later_commands_s"] = later
    figures["later_command_s"] = max(later.values())
    figures["peak_mb"] = max(peaks)
    if source is None:
        loads = [run(APP_LOAD, [str(directory)], source=source, cwd=REPO)[0] for _ in range(runs)]
        figures["app_data_load_s"] = statistics.median(loads)
    figures["load_average_after"] = os.getloadavg()
    return figures


def baseline_source(ref: str, scratch: Path) -> Path:
    """The package's source at a git ref, unpacked under ``scratch``."""
    target = scratch / f"baseline-{ref.replace('/', '-')}"
    target.mkdir()
    archive = subprocess.run(["git", "archive", ref, "src"], cwd=REPO, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


def table(results: list[dict[str, Any]]) -> str:
    """One line per figure and size: this checkout, the baseline, the target."""
    lines = [f"{'figure':<22}{'places':>9}{'measured':>11}{'baseline':>11}{'target':>9}  met"]
    for result in results:
        size = result["places"]
        for figure in ("first_snapshot_s", "later_command_s", "peak_mb", "app_data_load_s"):
            value = result["store"].get(figure)
            if value is None:
                continue
            base = result.get("baseline", {}).get(figure)
            target = TARGETS.get((figure, size))
            met = "" if target is None else ("yes" if value <= target else "MISSED")
            lines.append(
                f"{figure:<22}{size:>9,}{value:>11.2f}{'' if base is None else f'{base:.2f}':>11}"
                f"{'' if target is None else f'{target:g}':>9}  {met}"
            )
    return "\n".join(lines)


def main() -> None:
    """Measure, print the table, and write the results as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--baseline", metavar="REF", help="also measure the package at this git ref (e.g. main)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, help="keep the synthetic datasets here (default: a temporary directory)")
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "scale.json")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="controlmap-scale-") as scratch_name:
        scratch = Path(scratch_name)
        base = baseline_source(args.baseline, scratch) if args.baseline else None
        for size in args.sizes:
            directory = (args.data or scratch) / f"places-{size}"
            if not (directory / "places").is_dir():
                print(f"writing {size:,} synthetic places", file=sys.stderr, flush=True)
                write_synthetic_dataset(directory, size)
            print(f"[{size:,}] the commands with the store", file=sys.stderr, flush=True)
            result: dict[str, Any] = {"places": size, "store": measure(directory, scratch, runs=args.runs)}
            if base is not None:
                print(f"[{size:,}] the commands at {args.baseline}", file=sys.stderr, flush=True)
                result["baseline"] = measure(directory, scratch, source=base, runs=2 if size >= 100_000 else 3)
            results.append(result)
    print(table(results))
    args.output.write_text(json.dumps({"cpus": os.cpu_count(), "results": results}, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
