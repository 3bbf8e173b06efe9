"""Stage 09 writes its rounds table (metrics/generator_rounds.csv, one row per finished round) and draws its plot.

The table's columns, its reader and what "accepted" means live with its readers in helpers.generator.lineage.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import drive as drv
from ..files import write_csv
from ..generator.lineage import ROUND_COLUMNS, accepted_flag


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
        axes[0].plot(x, col("choosing_prob_real"), "o--", label="choosing judge (06's realism)")
        axes[0].plot(x, col("heldout_prob_real"), "s-", label="held-out judge")
        axes[0].plot(x[1:][~acc.to_numpy()], table["heldout_prob_real"].astype(float)[~acc], "x", color="red",
                     ms=10, label="rejected round")
        axes[1].plot(x, col("distinct_2"), "o-")
        axes[2].plot(x, col("test_loss"), "o-")
        for ax in axes:
            ax.set_xticks(list(x))
    axes[0].set(xlabel="round", ylabel="mean prob_real of test candidates", title="judges")
    axes[0].legend(fontsize=7)
    axes[1].set(xlabel="round", ylabel="distinct-2 (matched)", title="diversity")
    axes[2].set(xlabel="round", ylabel="loss on real test replies", title="fit to real text")
    fig.tight_layout()
    return save_png(fig, path)
