"""Stage 09 at the demo's round size: seconds per generator round, candidates sampled per second, peak memory.

Needs a Drive root where 00-04 and 08 ran (08's refreshed classifier chooses, 03's is the held-out judge): a copy of
$BENCH_ROUNDS_DRIVE when set (e.g. a finished demo's), else one built here with the demo preset. Only 09 is timed,
restarted from round 1 (`gr_restart=true`), alone in its process tree; CPU seconds are reported beside wall time
because a shared machine stretches the wall time. `run(smoke=True)`: the same code on the smoke preset in a
temporary folder (every stage 09 needs, one tiny round), so `make test` sees when this benchmark breaks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from bench.bench_demo import helpers_command

ROOT = Path(__file__).resolve().parent.parent


def helpers_run(*args: str) -> tuple[float, float, float]:
    """(wall s, CPU s of the whole process tree, peak RSS MB) of `python -m helpers run ...`."""
    return helpers_command("run", *args)


def run(smoke: bool = False) -> dict:
    if smoke:
        with tempfile.TemporaryDirectory(prefix="bench_rounds_") as tmp:
            return measure(Path(tmp) / "drive", "smoke", copy_from="")
    return measure(ROOT / "bench" / "_work" / "rounds_drive", "demo", os.environ.get("BENCH_ROUNDS_DRIVE", ""))


def timed_09(work: Path, preset_name: str, copy_from: str) -> tuple[float, float, float, pd.DataFrame]:
    """Stage 09 alone, restarted from round 1, on a Drive root where 00-04 and 08 ran with the preset (a copy of
    ``copy_from`` when given, else built here): (wall s, CPU s, peak RSS MB, the rounds table)."""
    from helpers import drive as drv

    shutil.rmtree(work, ignore_errors=True)
    if copy_from:
        shutil.copytree(copy_from, work)
    else:
        helpers_run("00", "01", "02", "03", "04", "08", "--drive", str(work), "--preset", preset_name)
    wall, cpu, peak = helpers_run("09", "--drive", str(work), "--preset", preset_name, "-p", "gr_restart=true")
    return wall, cpu, peak, pd.read_csv(work / drv.GENERATOR_ROUNDS)


def measure(work: Path, preset_name: str, copy_from: str) -> dict:
    from helpers.pipeline.presets import load_preset

    wall, cpu, peak, table = timed_09(work, preset_name, copy_from)
    preset = load_preset(preset_name)
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
