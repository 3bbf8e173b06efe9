"""Stage 09 at the demo's round size: seconds per generator round, candidates sampled per second, peak memory.

Needs a Drive root where 00-04 and 08 ran (08's refreshed classifier chooses, 03's is the held-out judge): a copy of
$BENCH_ROUNDS_DRIVE when set (e.g. a finished demo's), else one built here with the demo preset. Only 09 is timed,
restarted from round 1 (`gr_restart=true`), alone in its process tree; CPU seconds are reported beside wall time
because a shared machine stretches the wall time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil

from bench.bench_demo import tree_rss

ROOT = Path(__file__).resolve().parent.parent


def helpers_run(*args: str) -> tuple[float, float, float]:
    """(wall s, CPU s of the whole process tree, peak RSS MB) of `python -m helpers run ...`."""
    t0 = time.time()
    before = os.times()
    proc = subprocess.Popen([sys.executable, "-m", "helpers", "run", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    ps, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            peak = max(peak, tree_rss(ps))
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    out = proc.stdout.read()
    if proc.returncode != 0:
        raise RuntimeError(f"helpers run {' '.join(args)} failed:\n{out[-3000:]}")
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return time.time() - t0, cpu, peak / 2 ** 20


def run() -> dict:
    from helpers import drive as drv
    from helpers.pipeline.presets import load_preset

    work = ROOT / "bench" / "_work" / "rounds_drive"
    shutil.rmtree(work, ignore_errors=True)
    if os.environ.get("BENCH_ROUNDS_DRIVE"):
        shutil.copytree(os.environ["BENCH_ROUNDS_DRIVE"], work)
    else:
        helpers_run("00", "01", "02", "03", "04", "08", "--drive", str(work), "--preset", "demo")
    wall, cpu, peak = helpers_run("09", "--drive", str(work), "--preset", "demo", "-p", "gr_restart=true")
    table = pd.read_csv(work / drv.GENERATOR_ROUNDS)
    preset = load_preset("demo")
    from helpers.contract import default

    n = preset.get("n_candidates", default("n_candidates", "09"))
    sampled = table["candidates"].sum() + n * preset["gr_eval_comments"] * (len(table) + 1)  # + each checkpoint's eval
    return {"rounds": len(table), "prompts_per_round": int(preset["gr_prompts"]), "n_candidates": int(n),
            "eval_comments": int(preset["gr_eval_comments"]), "steps_per_round": int(preset["gr_steps"]),
            "stage_wall_s": round(wall, 1), "stage_cpu_s": round(cpu, 1), "peak_rss_mb": round(peak, 1),
            "seconds_per_round": round(float(table["seconds"].mean()), 1),
            "seconds_per_round_parts": {c: round(float(table[c].mean()), 1)
                                        for c in ("seconds_generate", "seconds_finetune", "seconds_measure")},
            "candidates_per_s": round(float(sampled / table["seconds_generate"].sum()), 2),
            "accepted": table["accepted"].astype(str).tolist(), "cpu_count": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 1)}
