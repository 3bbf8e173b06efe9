"""Evaluation of the discriminators: the seed's binary metrics, ROC figures, 4-bin metrics, and pairwise accuracy.

Pairwise accuracy is how DialogRPT measures upvote prediction: over pairs of replies to the same comment with
different scores, how often the model ranks the higher-scored reply higher (DialogRPT's updown model: 0.683; a
reply-length baseline: 0.531). We report it next to the length baseline on the very same pairs.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..contract import default
from ..files import write_bytes

BINARY_KEYS = ("auc", "accuracy", "f1", "precision", "recall", "tp", "tn", "fp", "fn")


def _auc(y: np.ndarray, score: np.ndarray) -> float | None:
    """ROC AUC, or None when y holds a single class (undefined, not 0.5)."""
    from sklearn.metrics import roc_auc_score

    if len(np.unique(y)) < 2:
        return None
    return float(roc_auc_score(y, score))


def binary_metrics(y_true: Sequence[int], prob_pos: Sequence[float], threshold: float = 0.5) -> dict:
    """The seed's realism metrics (positive class = real): auc, accuracy, f1, precision, recall, tp, tn, fp, fn."""
    y = np.asarray(y_true, dtype=int)
    p = np.asarray(prob_pos, dtype=float)
    pred = (p >= threshold).astype(int)
    tp, tn = int(((pred == 1) & (y == 1)).sum()), int(((pred == 0) & (y == 0)).sum())
    fp, fn = int(((pred == 1) & (y == 0)).sum()), int(((pred == 0) & (y == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"auc": _auc(y, p), "accuracy": (tp + tn) / len(y) if len(y) else None, "f1": f1,
            "precision": precision, "recall": recall, "tp": tp, "tn": tn, "fp": fp, "fn": fn,
            "n": int(len(y)), "positives": int((y == 1).sum()), "threshold": threshold}


def multiclass_metrics(y_true: Sequence[int], probs: np.ndarray, num_classes: int = 4) -> dict:
    """Accuracy, one-vs-rest AUC per class, their macro mean (over classes present), and the confusion matrix."""
    from sklearn.metrics import confusion_matrix

    y = np.asarray(y_true, dtype=int)
    probs = np.asarray(probs, dtype=float)
    per_class = {str(k): _auc((y == k).astype(int), probs[:, k]) for k in range(num_classes)}
    defined = [v for v in per_class.values() if v is not None]
    cm = confusion_matrix(y, probs.argmax(axis=1), labels=list(range(num_classes))) if len(y) else \
        np.zeros((num_classes, num_classes), dtype=int)
    return {"accuracy": float((probs.argmax(axis=1) == y).mean()) if len(y) else None,
            "macro_auc": float(np.mean(defined)) if defined else None, "per_class_auc": per_class,
            "confusion": cm.astype(int).tolist(), "n": int(len(y)),
            "class_counts": {str(k): int((y == k).sum()) for k in range(num_classes)}}


def pairwise_accuracy(df: pd.DataFrame, pred_col: str = "expected_score", score_col: str = "reply_score",
                      group_col: str = "comment_id", reply_col: str = "reply",
                      min_gap: float = default("pairwise_min_gap", "04")) -> dict:
    """DialogRPT-style: pairs of replies to one comment whose scores differ by >= min_gap; ties count half."""
    d = df[[group_col, score_col, pred_col, reply_col]].dropna(subset=[group_col, score_col, pred_col]).copy()
    d["_len"] = d[reply_col].astype(str).str.split().str.len()
    d["_i"] = np.arange(len(d))
    pairs = d.merge(d, on=group_col, suffixes=("_a", "_b"))
    pairs = pairs[(pairs["_i_a"] < pairs["_i_b"]) &
                  ((pairs[f"{score_col}_a"] - pairs[f"{score_col}_b"]).abs() >= min_gap)]
    if pairs.empty:
        return {"pairs": 0, "groups": 0, "model_accuracy": None, "length_baseline_accuracy": None,
                "min_gap": min_gap}
    sign = np.sign(pairs[f"{score_col}_a"] - pairs[f"{score_col}_b"]).to_numpy()

    def agree(col: str) -> float:
        s = np.sign(pairs[f"{col}_a"] - pairs[f"{col}_b"]).to_numpy()
        return float(np.where(s == 0, 0.5, (s == sign).astype(float)).mean())

    return {"pairs": int(len(pairs)), "groups": int(pairs[group_col].nunique()), "model_accuracy": agree(pred_col),
            "length_baseline_accuracy": agree("_len"), "min_gap": min_gap}


def save_png(fig, path: str | Path) -> Path:
    """Rendered in memory and written atomically, so a killed run never leaves half a PNG."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return write_bytes(buf.getvalue(), path)


def figure(figsize=(5, 5)):
    """A pyplot-free Figure: nothing is shown twice in notebooks, no GUI backend is needed."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


def roc_png(y_true: Sequence[int], prob_pos: Sequence[float], path: str | Path, title: str = "ROC") -> Path:
    from sklearn.metrics import roc_curve

    fig, ax = figure()
    y = np.asarray(y_true, dtype=int)
    auc = _auc(y, np.asarray(prob_pos))
    if auc is not None:
        fpr, tpr, _ = roc_curve(y, prob_pos)
        ax.plot(fpr, tpr, label=f"AUC = {auc:.3f}")
    else:
        ax.text(0.5, 0.5, "single class: ROC undefined", ha="center")
    _decorate(ax, title)
    return save_png(fig, path)


def per_class_roc_png(y_true: Sequence[int], probs: np.ndarray, path: str | Path, title: str = "ROC per rating bin",
                      labels: Sequence[str] | None = None) -> Path:
    """One curve per class (one-vs-rest) in one figure, like the seed's upvote ROC figure."""
    from sklearn.metrics import roc_curve

    y = np.asarray(y_true, dtype=int)
    probs = np.asarray(probs, dtype=float)
    labels = labels or [f"bin {k}" for k in range(probs.shape[1])]
    fig, ax = figure()
    for k in range(probs.shape[1]):
        auc = _auc((y == k).astype(int), probs[:, k])
        if auc is None:
            ax.plot([], [], label=f"{labels[k]}: undefined (one class)")
            continue
        fpr, tpr, _ = roc_curve((y == k).astype(int), probs[:, k])
        ax.plot(fpr, tpr, label=f"{labels[k]}: AUC = {auc:.3f}")
    _decorate(ax, title)
    return save_png(fig, path)


def _decorate(ax, title: str) -> None:
    ax.plot([0, 1], [0, 1], "--", color="grey", linewidth=1)
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title=title, xlim=(0, 1), ylim=(0, 1.02))
    if ax.get_legend_handles_labels()[1]:
        ax.legend(loc="lower right", fontsize=8)


def confusion_png(confusion: Sequence[Sequence[int]], path: str | Path, labels: Sequence[str] | None = None,
                  title: str = "Confusion matrix (rows: true, columns: predicted)") -> Path:
    cm = np.asarray(confusion, dtype=int)
    labels = labels or [str(k) for k in range(len(cm))]
    fig, ax = figure((5, 4.5))
    ax.imshow(cm, cmap="Blues")
    for (i, j), v in np.ndenumerate(cm):
        ax.text(j, i, str(v), ha="center", va="center", color="black")
    ax.set(xticks=range(len(cm)), yticks=range(len(cm)), xticklabels=labels, yticklabels=labels,
           xlabel="predicted", ylabel="true", title=title)
    return save_png(fig, path)


def json_safe(obj):
    """NaN -> None, recursively, so metrics JSON stays valid JSON."""
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, float) and math.isnan(obj):
        return None
    return obj
