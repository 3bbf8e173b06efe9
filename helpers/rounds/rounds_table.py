"""Stage 09's rounds table (metrics/generator_rounds.csv, one row per finished round) and its plot.

The table is the rounds' one record: a row is written only when its round has finished, so the rows present are the
rounds a re-run never redoes, and the newest row with ``accepted`` True names the generator 05/08/evaluate use.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import drive as drv
from ..errors import InputError
from ..files import read_csv, write_csv
from ..generator.lineage import accepted_flag
from .arms import GOLD_COLUMNS

ROUND_COLUMNS = [
    "round", "run_name", "base", "accepted", "verdict", "reason", "reward", "prompts", "candidates", "prompts_kept",
    "train_docs", "candidate_docs", "human_docs", "replay_docs", "replay_share",
    *GOLD_COLUMNS,
    "choosing_prob_real_base", "choosing_prob_real", "choosing_prob_real_placebo", "choosing_gain_lo",
    "choosing_gain_hi", "choosing_expected_score_base", "choosing_expected_score", "choosing_expected_score_placebo",
    "heldout_judge", "heldout_prob_real_base", "heldout_prob_real", "heldout_prob_real_placebo", "heldout_gain_lo",
    "heldout_gain_hi", "pass_share_base", "pass_share", "pass_share_placebo", "diversity_replies",
    "distinct_2_base", "distinct_2", "distinct_2_placebo", "copy_share_base", "copy_share", "copy_share_placebo",
    "mean_words_base", "mean_words", "mean_words_placebo", "parrot_rate", "repetition_rate",
    "test_loss_ref", "test_loss_base", "test_loss", "test_loss_placebo",
    "adv_auc_newest", "seconds_generate", "seconds_finetune", "seconds_measure", "seconds"]


def done_rounds(root: str | Path) -> list[dict]:
    """The finished rounds' rows, in order; none when the table is missing."""
    path = Path(root, drv.GENERATOR_ROUNDS)
    if not path.exists():
        return []
    rows = read_csv(path, required=["round", "run_name", "base", "accepted"]).to_dict("records")
    for i, row in enumerate(rows, 1):
        if int(row["round"]) != i:
            raise InputError(f"row {i} is round {row['round']}, expected {i}; run 09 with gr_restart=True",
                             file=drv.GENERATOR_ROUNDS)
        flag = accepted_flag(row["accepted"])
        if flag is None:
            raise InputError(f"row {i}: accepted must be True or False, not {row['accepted']!r}",
                             file=drv.GENERATOR_ROUNDS)
        row["accepted"] = flag
    return rows


def newest_accepted(rows: list[dict], first: str) -> str:
    """The checkpoint the next round starts from: the newest accepted round's, else the first run's."""
    return next((str(r["run_name"]) for r in reversed(rows) if r["accepted"]), first)


def write_table(root: str | Path, rows: list[dict]) -> pd.DataFrame:
    """metrics/generator_rounds.csv (atomic) and its plot."""
    table = pd.DataFrame(rows).reindex(columns=ROUND_COLUMNS)
    write_csv(table, Path(root, drv.GENERATOR_ROUNDS))
    rounds_png(table, Path(root, drv.GENERATOR_ROUNDS_PNG))
    return table


def rounds_png(table: pd.DataFrame, path: Path) -> Path:
    """Held-out vs choosing judge (the over-optimisation check), distinct-2 and test loss per round; round 0 is the
    first round's base."""
    from matplotlib.figure import Figure

    from ..discriminators.metrics import save_png

    fig = Figure(figsize=(12, 3.5))
    axes = fig.subplots(1, 3)
    if len(table):
        x = np.r_[0, table["round"].astype(int)]
        col = lambda c: np.r_[float(table[f"{c}_base"].iloc[0]), table[c].astype(float)]  # noqa: E731
        acc = table["accepted"].map(accepted_flag).fillna(False).astype(bool)
        if "gold_auc" in table and table["gold_auc"].notna().any():  # the gold measure: lower is harder to catch
            axes[0].plot(x[1:], table["gold_auc_base"].astype(float), "o--", label="fresh judge AUC: base")
            axes[0].plot(x[1:], table["gold_auc_placebo"].astype(float), "^:", label="fresh judge AUC: placebo")
            axes[0].plot(x[1:], table["gold_auc"].astype(float), "s-", label="fresh judge AUC: candidate")
            axes[0].plot(x[1:][~acc.to_numpy()], table["gold_auc"].astype(float)[~acc], "x", color="red", ms=10,
                         label="not accepted")
        axes[1].plot(x, col("distinct_2"), "o-")
        axes[2].plot(x, col("test_loss"), "o-")
        for ax in axes:
            ax.set_xticks(list(x))
    axes[0].set(xlabel="round", ylabel="AUC (lower: harder to catch)", title="fresh judge, held-out comments")
    if axes[0].get_legend_handles_labels()[0]:
        axes[0].legend(fontsize=7)
    axes[1].set(xlabel="round", ylabel="distinct-2 (matched)", title="diversity")
    axes[2].set(xlabel="round", ylabel="loss on real test replies", title="fit to real text")
    fig.tight_layout()
    return save_png(fig, path)
