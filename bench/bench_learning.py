"""Does a generator round make the bot harder to catch? Stage 09 with the `proof` preset (sized for a 2-core laptop,
09 within 30 minutes): the per-round gold table (fresh-judge AUCs of base / candidate / placebo with CIs, the noise
floor, power, choosing and held-out judges, guards, seconds), honest either way.

Needs a Drive root where 00-04 and 08 ran with the proof preset: a copy of $BENCH_LEARNING_DRIVE when set, else one
built here. Only 09 is timed, restarted from round 1 (`gr_restart=true`). `run(smoke=True)`: the smoke preset in a
temporary folder, so `make test` sees when this benchmark breaks.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import pandas as pd

from bench.bench_rounds import ROOT, timed_09

COLUMNS = ["round", "verdict", "gold_auc_base", "gold_auc_base_lo", "gold_auc_base_hi", "gold_auc", "gold_auc_lo",
           "gold_auc_hi", "gold_auc_placebo", "gold_auc_placebo_lo", "gold_auc_placebo_hi", "gold_gain_vs_base_lo",
           "gold_gain_vs_base_hi", "gold_gain_vs_placebo_lo", "gold_gain_vs_placebo_hi", "gold_gain_vs_noise",
           "gold_gain_vs_noise_lo", "gold_gain_vs_noise_hi",
           *(f"gold_bert_{a}{b}" for a in ("auc_base", "auc", "auc_placebo") for b in ("", "_lo", "_hi")),
           "gold_bert_gain_vs_base_lo", "gold_bert_gain_vs_base_hi", "gold_bert_gain_vs_placebo_lo",
           "gold_bert_gain_vs_placebo_hi", "eval_n", "eval_n_needed", "choosing_prob_real_base",
           "choosing_prob_real", "heldout_prob_real_base", "heldout_prob_real", "heldout_prob_real_placebo",
           "distinct_2_base", "distinct_2", "copy_share_base", "copy_share", "mean_words_base", "mean_words",
           "test_loss_ref", "test_loss", "test_loss_placebo", "seconds", "reason"]


def run(smoke: bool = False) -> dict:
    if smoke:
        with tempfile.TemporaryDirectory(prefix="bench_learning_") as tmp:
            return measure(Path(tmp) / "drive", "smoke", copy_from="")
    return measure(ROOT / "bench" / "_work" / "learning_drive", "proof", os.environ.get("BENCH_LEARNING_DRIVE", ""))


def rows(table: pd.DataFrame) -> list[dict]:
    """The table's rows, numbers rounded to 4 places, NaN as None (JSON)."""
    out = []
    for rec in table.reindex(columns=COLUMNS).to_dict("records"):
        out.append({k: (None if isinstance(v, float) and not math.isfinite(v) else
                        round(v, 4) if isinstance(v, float) else v) for k, v in rec.items()})
    return out


def measure(work: Path, preset_name: str, copy_from: str) -> dict:
    wall, cpu, peak, table = timed_09(work, preset_name, copy_from)
    accepted = int(table["accepted"].astype(str).str.lower().eq("true").sum())
    return {"preset": preset_name, "rounds": rows(table), "accepted": accepted,
            "harder_to_catch": accepted > 0, "stage_wall_s": round(wall, 1), "stage_cpu_s": round(cpu, 1),
            "peak_rss_mb": round(peak, 1), "cpu_count": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 1)}
