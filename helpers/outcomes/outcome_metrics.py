"""Stage 07's numbers: the fraction of posted replies with at least one upvote, actual vs predicted upvote bin,
calibration of P(score >= 2), tables per subreddit and per week, and the figures (shown in the run report by
helpers.report.view07).

Input is ``outcomes`` (helpers.outcomes.outcomes.track): the latest check per posted reply joined with its prediction.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import drive as drv
from .. import files
from ..files import write_csv
from ..schema import NUM_RATING_BINS
from ..seed_figures import seed_upvoted_text

UPVOTE_DEFINITION = "score >= 2 (Reddit starts a comment at 1: its author's own vote)"


# ---- the report ---------------------------------------------------------------------------------------------------
def _rates(g: pd.DataFrame) -> dict:
    scored = g[g["state"] != "missing"]
    return {"replies": int(len(g)), "upvoted": int(scored["upvoted"].astype(bool).sum()),
            "fraction_upvoted": float(scored["upvoted"].astype(bool).mean()) if len(scored) else None,
            "mean_score": float(scored["score"].mean()) if len(scored) else None,
            "removed_or_deleted": int(g["state"].isin(["removed", "deleted"]).sum()),
            "mean_predicted_p_upvoted": float(g["p_upvoted"].mean()) if g["p_upvoted"].notna().any() else None}


def week_of(posted_at: pd.Series) -> pd.Series:
    """The Monday (YYYY-MM-DD) of each posting's ISO week."""
    t = pd.to_datetime(posted_at.astype(str), utc=True, format="ISO8601", errors="coerce")
    return (t.dt.tz_localize(None).dt.normalize() - pd.to_timedelta(t.dt.weekday, unit="D")).dt.strftime("%Y-%m-%d")


def group_table(outcomes: pd.DataFrame, by: str) -> pd.DataFrame:
    if outcomes.empty:
        return pd.DataFrame(columns=[by, "replies", "upvoted", "fraction_upvoted", "mean_score",
                                     "removed_or_deleted", "mean_predicted_p_upvoted"])
    keys = week_of(outcomes["posted_at"]).rename("week") if by == "week" else outcomes[by]
    rows = [{by: k, **_rates(g)} for k, g in outcomes.groupby(keys, sort=True)]
    return pd.DataFrame(rows)


def confusion(outcomes: pd.DataFrame) -> np.ndarray:
    """Rows: actual bin, columns: predicted bin, over replies that have both."""
    d = outcomes.dropna(subset=["actual_bin", "predicted_bin"])
    cm = np.zeros((NUM_RATING_BINS, NUM_RATING_BINS), dtype=int)
    for a, p in zip(d["actual_bin"].astype(int), d["predicted_bin"].astype(int)):
        cm[a, p] += 1
    return cm


def calibration(outcomes: pd.DataFrame, n_bins: int = 5) -> pd.DataFrame:
    """Predicted P(score >= 2) in equal-width buckets vs the observed fraction upvoted."""
    d = outcomes[(outcomes["state"] != "missing") & outcomes["p_upvoted"].notna()]
    edges = np.linspace(0, 1, n_bins + 1)
    bucket = np.clip(np.digitize(d["p_upvoted"].to_numpy(float), edges[1:-1]), 0, n_bins - 1)
    rows = []
    for b in range(n_bins):
        g = d[bucket == b]
        rows.append({"bucket": f"{edges[b]:.1f}-{edges[b + 1]:.1f}", "replies": int(len(g)),
                     "mean_predicted": float(g["p_upvoted"].mean()) if len(g) else None,
                     "observed_fraction": float(g["upvoted"].astype(bool).mean()) if len(g) else None})
    return pd.DataFrame(rows)


def summarize(outcomes: pd.DataFrame, history: pd.DataFrame | None = None) -> dict:
    """The metrics JSON: overall rates, actual-vs-predicted bins, calibration, per subreddit and per week."""
    cm = confusion(outcomes)
    both = int(cm.sum())
    d = outcomes[(outcomes["state"] != "missing") & outcomes["p_upvoted"].notna()]
    brier = float(((d["p_upvoted"] - d["upvoted"].astype(float)) ** 2).mean()) if len(d) else None
    return {
        "upvote_definition": UPVOTE_DEFINITION,
        **_rates(outcomes),
        "states": {str(k): int(v) for k, v in outcomes["state"].value_counts().items()},
        "checks": int(history["checked_at"].nunique()) if history is not None and len(history) else 0,
        "with_prediction": both,
        "bin_accuracy": float(np.trace(cm) / both) if both else None,
        "confusion_actual_by_predicted": cm.tolist(),
        "brier_p_upvoted": brier,
        "calibration": calibration(outcomes).to_dict("records"),
        "per_subreddit": group_table(outcomes, "subreddit").to_dict("records"),
        "per_week": group_table(outcomes, "week").to_dict("records"),
        "seed_for_comparison": seed_upvoted_text(),
    }


def calibration_png(outcomes: pd.DataFrame, path: str | Path) -> Path:
    from ..discriminators.metrics import figure, save_png

    cal = calibration(outcomes)
    fig, ax = figure()
    ax.plot([0, 1], [0, 1], "--", color="grey", linewidth=1, label="perfect calibration")
    got = cal.dropna(subset=["mean_predicted"])
    if len(got):
        ax.plot(got["mean_predicted"], got["observed_fraction"], "o-", label="posted replies")
        for r in got.itertuples():
            ax.annotate(str(r.replies), (r.mean_predicted, r.observed_fraction), textcoords="offset points",
                        xytext=(4, 4), fontsize=8)
    else:
        ax.text(0.5, 0.5, "no posted reply with a prediction yet", ha="center")
    ax.set(xlabel="predicted P(score >= 2) = p2 + p3", ylabel="observed fraction with score >= 2",
           title="Upvote calibration (n per point)", xlim=(0, 1), ylim=(-0.02, 1.02))
    ax.legend(loc="upper left", fontsize=8)
    return save_png(fig, path)


def growth_png(history: pd.DataFrame, path: str | Path, max_lines: int = 40) -> Path:
    """Each reply's score against hours since posting, one line per reply, one point per check."""
    from ..discriminators.metrics import figure, save_png

    fig, ax = figure((6, 4))
    h = history.dropna(subset=["score"]).sort_values("checked_at")
    for _, g in list(h.groupby("reply_id", sort=False))[:max_lines]:
        ax.plot(g["hours_since_post"], g["score"], "o-", linewidth=1, markersize=3)
    ax.axhline(2, color="grey", linestyle="--", linewidth=1)
    ax.set(xlabel="hours since posting", ylabel="score", title=f"Score per check ({h['reply_id'].nunique()} replies)")
    return save_png(fig, path)


def write_outputs(root: str | Path, history: pd.DataFrame, outcomes: pd.DataFrame) -> dict:
    """outcomes.csv, the metrics JSON and the three figures, all atomically."""
    from ..discriminators.metrics import confusion_png, json_safe

    root = Path(root)
    write_csv(outcomes.drop(columns=["body"], errors="ignore"), root / drv.OUTCOMES)
    summary = json_safe(summarize(outcomes, history))
    files.write_json(summary, root / drv.OUTCOME_METRICS)
    confusion_png(summary["confusion_actual_by_predicted"], root / drv.OUTCOME_CONFUSION,
                  labels=["<1", "1", "2-4", ">=5"], title="Posted replies: actual bin (rows) vs predicted (columns)")
    calibration_png(outcomes, root / drv.OUTCOME_CALIBRATION)
    growth_png(history, root / drv.OUTCOME_GROWTH)
    return summary
