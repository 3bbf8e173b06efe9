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


def verdict_line(table: pd.DataFrame) -> str:
    """One line: did any round make the bot harder to catch (a fresh judge's AUC below its base's and placebo's, CI
    clear)? With the last round's gold numbers."""
    if table.empty or "gold_auc" not in table:
        return "Harder to catch: not measured (no round with a fresh judge yet)."
    acc = table["accepted"].map(accepted_flag).fillna(False).astype(bool)
    last = table.iloc[-1]
    nums = (f"last round: fresh-judge AUC base {last['gold_auc_base']:.3f}, candidate {last['gold_auc']:.3f}, "
            f"placebo {last['gold_auc_placebo']:.3f} on {last['eval_n']:.0f} held-out comments")
    if acc.any():
        return f"Harder to catch: yes, {int(acc.sum())} round(s) beat base and placebo ({nums})."
    return f"Harder to catch: no, no round beat both its base and its placebo ({nums})."
