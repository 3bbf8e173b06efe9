"""Wall time and peak memory of `python -m helpers demo` (after install), on a fresh Drive root.

Peak memory is the largest summed RSS of the whole process tree (the CLI plus each notebook's kernel), sampled every
0.2 s with psutil, since the kernels, not the CLI, hold the models.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def run(smoke: bool = False) -> dict:
    """smoke: only stage 00 at the smoke preset (one kernel, seconds), in a temporary folder."""
    if smoke:
        with tempfile.TemporaryDirectory(prefix="bench_demo_") as tmp:
            return {**_measure(["run", "00", "--preset", "smoke"], Path(tmp) / "drive"), "command": "run 00 (smoke)"}
    return _measure(["demo"], ROOT / "bench" / "_work" / "demo_drive")


def helpers_command(*args: str) -> tuple[float, float, float]:
    """(wall s, CPU s of the whole process tree, peak summed RSS MB) of `python -m helpers ARGS`; its output is
    shown only when it fails."""
    t0, before = time.time(), os.times()
    proc = subprocess.Popen([sys.executable, "-m", "helpers", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    ps, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            peak = max(peak, tree_rss(ps))
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    out = proc.stdout.read()
    wall, after = time.time() - t0, os.times()
    if proc.returncode != 0:
        raise RuntimeError(f"python -m helpers {' '.join(args)} failed (exit {proc.returncode}):\n{out[-3000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, peak / 2 ** 20


def _measure(command: list[str], work: Path) -> dict:
    shutil.rmtree(work, ignore_errors=True)
    wall, _, peak = helpers_command(*command, "--drive", str(work))
    return {"wall_s": round(wall, 1), "peak_rss_mb": round(peak, 1), "cpu_count": os.cpu_count(),
            "target": "wall_s <= 600 and peak_rss_mb <= 6144 on 2 CPU cores"}
