"""Reply quality, measured: the same metrics on every candidate, on the selected replies and on real replies, and the
selection lift (selected minus candidates, selected minus real), so a run shows what selection buys.

Metrics (words are lower-cased, punctuation dropped, as in helpers.filters):
- ``distinct_1``/``distinct_2``: distinct word uni-/bigrams over all n-grams of the set (Li et al. 2016): bland
  replies that fit anywhere ("This comment is great.") pull it down. It falls as a set grows, so a few selected
  replies beat hundreds of candidates for free: ``distinct_1_matched``/``distinct_2_matched`` measure every group at
  the same size (``matched_size``, the selected set's; mean of seeded draws), which is what the lift should be read on;
- ``repeated_trigram_rate``: of all word trigrams in the set, the share that repeat an earlier trigram of the SAME
  reply (GPT-2 looping on a phrase);
- ``parrot_rate``: share of replies at least ``parrot_threshold`` similar to their comment or post title;
- ``length_mean``/``length_std``: words per reply (population std);
- ``prob_real``/``expected_score``: the classifiers' mean scores, where the frame has them.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .drive import EVALUATE_QUALITY, FAKES_QUALITY, QUALITY_METRICS
from .filters import ngrams, similarity, words

METRICS = ["n", "distinct_1", "distinct_2", "distinct_1_matched", "distinct_2_matched", "repeated_trigram_rate",
           "parrot_rate", "length_mean", "length_std", "prob_real", "expected_score"]
GROUPS = ["candidates", "selected", "real"]


def quality_path(run_date: str) -> str:
    return QUALITY_METRICS.format(date=run_date)


def evaluate_path(run_date: str) -> str:
    return EVALUATE_QUALITY.format(date=run_date)


def fakes_path() -> str:
    return FAKES_QUALITY


def distinct_n(texts: Sequence[str], n: int) -> float | None:
    grams = [g for t in texts for g in ngrams(words(t), n)]
    return len(set(grams)) / len(grams) if grams else None


def distinct_n_at(texts: Sequence[str], n: int, size: int, draws: int = 20, seed: int = 0) -> float | None:
    """distinct-n of ``size`` replies drawn without replacement, averaged over seeded draws (None if too few)."""
    texts = list(texts)
    if size < 1 or len(texts) < size:
        return None
    if len(texts) == size:
        return distinct_n(texts, n)
    rng = np.random.default_rng(seed)
    vals = [distinct_n([texts[i] for i in rng.choice(len(texts), size, replace=False)], n) for _ in range(draws)]
    vals = [v for v in vals if v is not None]
    return float(np.mean(vals)) if vals else None


def repeated_trigram_rate(texts: Sequence[str]) -> float | None:
    total = repeats = 0
    for t in texts:
        grams = ngrams(words(t), 3)
        total += len(grams)
        repeats += len(grams) - len(set(grams))
    return repeats / total if total else None


def parrot_rate(replies: Sequence[str], comments: Sequence[str], titles: Sequence[str] | None = None,
                threshold: float = 0.9) -> float | None:
    if not len(replies):
        return None
    titles = titles if titles is not None else [""] * len(replies)
    hits = sum(max(similarity(r, c), similarity(r, t) if t else 0.0) >= threshold
               for r, c, t in zip(replies, comments, titles))
    return hits / len(replies)


def _mean(values: pd.Series) -> float | None:
    v = pd.to_numeric(values, errors="coerce").dropna()
    return float(v.mean()) if len(v) else None


def quality_metrics(df: pd.DataFrame, reply_col: str = "reply", comment_col: str = "comment",
                    title_col: str = "title", parrot_threshold: float = 0.9, matched_size: int = 0) -> dict:
    """The metrics of one set of replies (rows with an empty reply are left out); ``matched_size``: the set size
    of the ``*_matched`` distinct-n (0: not measured)."""
    text = df[reply_col].fillna("").astype(str) if reply_col in df.columns else pd.Series(dtype=str)
    keep = text.str.strip() != ""
    d, text = df[keep], text[keep].tolist()
    col = lambda c: d[c].fillna("").astype(str).tolist() if c in d.columns else [""] * len(d)  # noqa: E731
    lengths = pd.Series([len(words(t)) for t in text], dtype=float)
    return {
        "n": len(text),
        "distinct_1": distinct_n(text, 1), "distinct_2": distinct_n(text, 2),
        "distinct_1_matched": distinct_n_at(text, 1, matched_size),
        "distinct_2_matched": distinct_n_at(text, 2, matched_size),
        "repeated_trigram_rate": repeated_trigram_rate(text),
        "parrot_rate": parrot_rate(text, col(comment_col), col(title_col), parrot_threshold),
        "length_mean": float(lengths.mean()) if len(text) else None,
        "length_std": float(lengths.std(ddof=0)) if len(text) else None,
        "prob_real": _mean(d["prob_real"]) if "prob_real" in d.columns else None,
        "expected_score": _mean(d["expected_score"]) if "expected_score" in d.columns else None,
    }


def lift(a: dict, b: dict) -> dict:
    """a minus b on each metric both have (None where either lacks it)."""
    out = {}
    for k in METRICS[1:]:
        x, y = a.get(k), b.get(k)
        out[k] = None if x is None or y is None or math.isnan(x) or math.isnan(y) else x - y
    return out


def quality_summary(groups: dict[str, dict], parrot_threshold: float = 0.9, **extra) -> dict:
    """The JSON written to metrics/: each group's metrics and the selection lift."""
    out = {"parrot_threshold": parrot_threshold, **extra, "groups": groups, "lift": {}}
    if "selected" in groups and "candidates" in groups:
        out["lift"]["selected_vs_candidates"] = lift(groups["selected"], groups["candidates"])
    if "selected" in groups and "real" in groups:
        out["lift"]["selected_vs_real"] = lift(groups["selected"], groups["real"])
    if "candidates" in groups and "real" in groups and "selected" not in groups:
        out["lift"]["candidates_vs_real"] = lift(groups["candidates"], groups["real"])
    return out


def quality_table(summary: dict) -> pd.DataFrame:
    """Metric rows, one column per group then per lift: what the notebook, the report and evaluate print."""
    groups = summary.get("groups", {})
    cols = {g: groups[g] for g in sorted(groups, key=lambda g: (GROUPS + [g]).index(g))}  # JSON sorts its keys
    cols.update({f"lift {k.replace('_vs_', ' vs ')}": v for k, v in summary.get("lift", {}).items()})
    table = pd.DataFrame({name: [vals.get(m) for m in METRICS] for name, vals in cols.items()}, index=METRICS)
    return table.rename_axis("metric")


# The lift's measures in a person's words, in the order a summary line shows them.
LIFT_WORDS = {"prob_real": "realism", "expected_score": "expected score", "distinct_2_matched": "distinct-2",
              "parrot_rate": "parrot rate", "repeated_trigram_rate": "repeated trigrams", "length_mean": "length"}


def summary_line(summary: dict, what: str = "candidates") -> str:
    """One line for the run summary and the report: the selection lift (chosen replies minus all candidates) in
    words, else ``what`` (e.g. 02's fakes) minus real replies, else why there is nothing to compare."""
    lifts = summary.get("lift", {})
    if lifts.get("selected_vs_candidates"):
        lf, head = lifts["selected_vs_candidates"], "chosen replies minus all candidates"
    elif lifts.get("candidates_vs_real"):
        lf, head = lifts["candidates_vs_real"], f"{what} minus real replies"
    else:
        return f"nothing to compare: no reply was chosen and no real replies were measured next to the {what}"
    shown = [(name, lf.get(k)) for k, name in LIFT_WORDS.items()]
    return f"{head}: " + ", ".join(f"{name} {v:+.3g}" for name, v in shown if v is not None)


def real_replies(real: pd.DataFrame, split: str = "test", max_rows: int = 500, seed: int = 1234) -> pd.DataFrame:
    """Real replies of one split of bert_gan_real.csv (a seeded sample of at most max_rows), for comparison."""
    part = real[real["split"].astype(str) == split] if "split" in real.columns else real
    if max_rows and len(part) > max_rows:
        part = part.sample(max_rows, random_state=seed).sort_index()
    return part.reset_index(drop=True)


def fakes_quality(fakes: pd.DataFrame, real: pd.DataFrame | None) -> dict:
    """02's fakes against real replies: the test split's when there are test fakes (the classifier's held-out threads),
    else all; distinct-n of both measured at the same set size."""
    split = "test" if (fakes["split"].astype(str) == "test").any() else "all"
    measured = fakes[fakes["split"].astype(str) == "test"] if split == "test" else fakes
    real_rows = real_replies(real, split="test", max_rows=0) if real is not None else None
    matched = min(len(measured), len(real_rows)) if real_rows is not None else 0
    groups = {"candidates": quality_metrics(measured, "reply", matched_size=matched)}
    if real_rows is not None:
        groups["real"] = quality_metrics(real_rows, "reply", matched_size=matched)
    return quality_summary(groups, split=split, matched_size=matched)


def selection_quality(candidates: pd.DataFrame, selected: pd.DataFrame, real: pd.DataFrame | None,
                      score: Callable[[pd.DataFrame], pd.DataFrame] | None = None, parrot_threshold: float = 0.9,
                      **extra) -> dict:
    """06's metrics/quality_<date>.json: every candidate, the selected replies and (when given) real replies scored by
    the same classifiers (``score``), distinct-n of all three at the selected set's size."""
    same = {"parrot_threshold": parrot_threshold, "matched_size": len(selected)}
    groups = {"candidates": quality_metrics(candidates, "proposed_reply", **same),
              "selected": quality_metrics(selected, "reply", **same)}
    if real is not None and len(real):
        groups["real"] = quality_metrics(score(real) if score else real, "reply", **same)
    return quality_summary(groups, parrot_threshold, matched_size=len(selected), **extra)
