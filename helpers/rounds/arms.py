"""Stage 09's measurement of one round's three generators (base, candidate, placebo) on the same comments.

Each arm samples once for the fresh judge's train-split prompts and the held-out eval comments together (one GPT-2
process per arm), in the round's own folder: the base is sampled afresh every round, never reused from the round that
accepted it (an accepted checkpoint's lucky eval sample would otherwise be the next round's bar: winner's curse). The
base samples the eval comments a second time with another seed: the noise floor, a difference no fine-tune made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..files import read_csv
from . import stats
from .fresh_judge import gold_matrix
from .guards import drift

ARMS = ("base", "new", "placebo")


def sample_arm(sample: Callable, run: str, comments: pd.DataFrame, out: Path, seed: int,
               n: int) -> tuple[pd.DataFrame, float]:
    """Checkpoint ``run``'s ``n`` candidates per comment (kept when ``out`` exists: resume) and the seconds spent."""
    seconds = sample(run, comments.drop_duplicates("comment_id").reset_index(drop=True), out, seed, n)
    df = read_csv(out, required=["comment", "reply", "comment_id"])
    return df.assign(comment_id=df["comment_id"].astype(str), reply=df["reply"].fillna("").astype(str)), seconds


def by_comment(df: pd.DataFrame, values: np.ndarray, ids: list[str]) -> np.ndarray:
    """The mean of ``values`` per comment in ``ids`` order (NaN where a comment has none)."""
    means = pd.Series(np.asarray(values, float), index=df["comment_id"].astype(str).to_numpy()).groupby(level=0).mean()
    return means.reindex(ids).to_numpy(float)


def prefix(judge: str) -> str:
    """A gold judge's columns: the TF-IDF judge keeps the plain gold_* names, another is gold_<name>_*."""
    return "gold_" if judge == "tfidf" else f"gold_{judge}_"


def gold(samples: dict[str, pd.DataFrame], judge_ids: set[str], eval_ids: list[str], real: pd.DataFrame,
         min_gain: float, draws: int, seed: int, judges: dict[str, Callable] | None = None) -> dict:
    """Each fresh judge's AUCs per arm (trained on real train replies vs the arm's samples for the judge prompts,
    tested on the eval comments' real replies vs the arm's candidates there), the paired gains of the candidate over
    base and placebo and of the base's second sample over its first (noise floor), with CIs and the power sums.
    ``judges``: name -> pair-matrix maker (helpers.rounds.fresh_judge.judges); the TF-IDF one alone by default."""
    judges = judges or {"tfidf": gold_matrix}
    train = real[real["split"].astype(str) == "train"]
    real_train = train.loc[~train["comment_id"].astype(str).isin(eval_ids), "reply"].fillna("").astype(str).tolist()
    real_test = real[real["comment_id"].astype(str).isin(eval_ids)].assign(
        comment_id=lambda d: d["comment_id"].astype(str))[["comment_id", "reply"]]
    mats: dict[str, dict] = {name: {} for name in judges}
    for name, make in judges.items():
        for arm in ARMS:
            df = samples[arm]
            fake_train = df.loc[df["comment_id"].isin(judge_ids), "reply"].tolist()
            test = df[df["comment_id"].isin(eval_ids)]
            mats[name][arm] = make(real_train, fake_train, real_test, test, eval_ids, seed)
            if arm == "base":
                second = samples["base_seed2"]
                mats[name]["base_seed2"] = make(real_train, fake_train, real_test,
                                                second[second["comment_id"].isin(eval_ids)], eval_ids, seed)
    ok = stats.usable(*(m for per in mats.values() for m in per.values()))
    out: dict = {"_gains": {}}
    need = 0.0
    for name, per in mats.items():
        per = {k: m[np.ix_(ok, ok)] for k, m in per.items()}
        out |= judge_columns(per, prefix(name), draws, seed)
        gains = {"base": stats.auc_gain(per["base"], per["new"], draws, seed),
                 "placebo": stats.auc_gain(per["placebo"], per["new"], draws, seed),
                 "noise": stats.auc_gain(per["base"], per["base_seed2"], draws, seed)}
        for g_name, g in gains.items():
            g["n_needed"] = stats.n_needed(g["sd"], min_gain)
            out |= {f"{prefix(name)}gain_vs_{g_name}{s}": g[k] for s, k in (("", "gain"), ("_lo", "lo"), ("_hi", "hi"))}
        sd = max(gains["base"]["sd"], gains["placebo"]["sd"])
        out[f"{prefix(name)}sd_diff"] = sd
        need = max(need, stats.n_needed(sd, min_gain))
        out["_gains"][name] = gains
    return out | {"eval_n": int(ok.sum()), "eval_n_needed": need}


def judge_columns(per: dict[str, np.ndarray], pre: str, draws: int, seed: int) -> dict:
    """One judge's AUC with its bootstrap CI per arm."""
    out = {}
    for arm, suffix in (("base", "_base"), ("new", ""), ("placebo", "_placebo"), ("base_seed2", "_base_seed2")):
        a = stats.auc_ci(per[arm], draws, seed)
        out |= {f"{pre}auc{suffix}": a["auc"], f"{pre}auc{suffix}_lo": a["lo"], f"{pre}auc{suffix}_hi": a["hi"]}
    return out


def drifts(samples: dict[str, pd.DataFrame], train_replies: list[str]) -> dict[str, dict]:
    """drift() of every arm at one size: the fewest replies any arm has (at most all of them)."""
    size = min(len(samples[a]) for a in ARMS)
    return {a: drift(samples[a]["reply"].tolist(), train_replies, size) | {"diversity_replies": size} for a in ARMS}
