"""Stage 09's data: which prompts a round samples, which candidate the reward keeps, and the round's training set.

The training set is what the generator learns from, so it is where the rules live: prompts come from the train split
only; a candidate enters only if it passed 06's filters and realism threshold (its ``rejected`` is ""); a reply a
person did not approve or Reddit removed never enters, not even as an identical candidate; real train pairs make up
the asked replay share, so the generator stays anchored to real Reddit text.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from .. import drive as drv
from ..data import comment_sample
from ..errors import ConfigError, InputError
from ..files import read_csv
from ..filters import words

log = logging.getLogger(__name__)

REWARDS = ("select", "combined")
TRAIN_COLUMNS = ["comment", "reply", "comment_id", "source", "weight"]
REMOVED_STATES = ("removed", "deleted")


def pick_prompts(generate: pd.DataFrame, k: int, n: int, seed: int) -> pd.DataFrame:
    """Round k's prompts: n comments of the train split (never validation or test), a fresh seeded sample per round."""
    return comment_sample.pick(generate, "train", n, [int(seed), int(k), 9], nonempty=True,
                               none="no comment in the train split to use as a prompt")


def pick_eval_comments(generate: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """The held-out comments every round is measured on: n of the test split (validation if test is empty), the same
    sample every round so rounds compare."""
    return comment_sample.pick(generate, "held", n, [int(seed), 0, 9],
                               none="no comment in the test or validation split to measure on")


def reward_key(filtered: pd.DataFrame, reward: str) -> pd.Series:
    """The number a passing candidate is ranked by (higher is better): 06's expected_score, or prob_real x it."""
    if reward not in REWARDS:
        raise ConfigError(f"gr_reward must be one of {REWARDS}, not {reward!r}")
    score = pd.to_numeric(filtered["expected_score"], errors="coerce")
    return score if reward == "select" else score * pd.to_numeric(filtered["prob_real"], errors="coerce")


def best_per_prompt(filtered: pd.DataFrame, reward: str = "select", blocked: set[str] = frozenset()) -> pd.DataFrame:
    """The best candidate per prompt (comment_id) among those 06's selection allows (``rejected`` == "") and no person
    turned down (``blocked`` texts), ranked by the reward, ties by prob_real as 06 does; prompts with no allowed
    candidate give nothing."""
    ok = filtered[(filtered["rejected"].fillna("").astype(str) == "")
                  & ~filtered["proposed_reply"].map(norm).isin(blocked)].copy()
    ok["reward"] = reward_key(ok, reward)
    ok = ok.sort_values(["reward", "prob_real", "comment_id"], ascending=[False, False, True], kind="mergesort")
    return ok.groupby("comment_id", sort=False).head(1).reset_index(drop=True)


def norm(text) -> str:
    """A reply's words, lower-cased: how a blocked reply is recognised again in another frame."""
    return " ".join(words("" if text is None or (isinstance(text, float) and text != text) else str(text)))


def human_signal(root: str | Path, human_weight: int = 2) -> tuple[pd.DataFrame, set[str], dict]:
    """Replies a person approved in 06's review sheets (weight ``human_weight`` when 07 saw one reach score >= 2),
    and the blocked texts: every reply a sheet holds unapproved, and every approved one Reddit removed or deleted.
    No review sheet: nothing (the offline start)."""
    from ..live.select import is_true, read_review

    root = Path(root)
    pat = drv.dated_name(drv.REVIEW_SHEET)
    sheets = sorted(p for p in Path(root, drv.REVIEW_SHEET).parent.glob("*") if pat.match(p.name))
    rows = [read_review(p).assign(_sheet=p.name) for p in sheets]
    sheet = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["comment", "reply", "comment_id",
                                                                                   "approved"])
    approved = sheet["approved"].map(is_true) if len(sheet) else pd.Series(dtype=bool)
    blocked = {norm(t) for t in sheet.loc[~approved, "reply"]} if len(sheet) else set()
    ok = sheet[approved].copy() if len(sheet) else sheet.iloc[0:0].copy()
    outcomes_path = Path(root, drv.OUTCOMES)
    removed, good = set(), set()
    if outcomes_path.exists():
        out = read_csv(outcomes_path, required=["comment_id", "state", "score"])
        ids = out["comment_id"].astype(str)
        removed = set(ids[out["state"].astype(str).isin(REMOVED_STATES)])
        good = set(ids[pd.to_numeric(out["score"], errors="coerce") >= 2]) - removed
    gone = ok["comment_id"].astype(str).isin(removed)
    blocked |= {norm(t) for t in ok.loc[gone, "reply"]}
    ok = ok[~gone]
    ok = ok.drop_duplicates(subset=["comment_id", "reply"])
    weight = np.where(ok["comment_id"].astype(str).isin(good), int(human_weight), 1)
    human = pd.DataFrame({"comment": ok["comment"].astype(str), "reply": ok["reply"].astype(str),
                          "comment_id": ok["comment_id"].astype(str), "source": "human", "weight": weight})
    stats = {"sheets": len(sheets), "approved": int(approved.sum()) if len(sheet) else 0,
             "removed": int(gone.sum()), "weighted_up": int((weight > 1).sum())}
    return human.reset_index(drop=True), blocked - {""}, stats


def training_set(kept: pd.DataFrame, real: pd.DataFrame, human: pd.DataFrame, blocked: set[str],
                 held_out_ids: set[str], replay_share: float, seed: int) -> tuple[pd.DataFrame, dict]:
    """Kept candidates + human replies + real train pairs making up ``replay_share`` of the documents (weights
    counted). Drops, counted: a row whose reply is blocked, a row whose comment is a validation/test comment."""
    if not 0 <= replay_share < 1:
        raise ConfigError(f"gr_replay_share must be in [0, 1), not {replay_share!r}")
    cand = pd.DataFrame({"comment": kept["comment"].astype(str), "reply": kept["proposed_reply"].astype(str),
                         "comment_id": kept["comment_id"].astype(str), "source": "candidate", "weight": 1})
    body = pd.concat([cand, human.reindex(columns=TRAIN_COLUMNS)], ignore_index=True)
    is_blocked = body["reply"].map(norm).isin(blocked)
    is_held = body["comment_id"].astype(str).isin(held_out_ids)
    stats = {"dropped_blocked": int(is_blocked.sum()), "dropped_held_out": int((is_held & ~is_blocked).sum())}
    for what, n in stats.items():
        if n:
            log.warning("training set: %s %d row(s)", what, n)
    body = body[~is_blocked & ~is_held]
    n_body = int(body["weight"].sum())
    pool = real[(real["split"].astype(str) == "train") & ~real["reply"].map(norm).isin(blocked)
                & ~real["comment_id"].astype(str).isin(held_out_ids)]
    want = int(round(n_body * replay_share / (1 - replay_share))) if n_body else 0
    if want > len(pool):
        log.warning("training set: %d replay pairs asked, only %d real train pairs: some are repeated", want, len(pool))
    if want and not len(pool):
        raise InputError("no real train pair to replay", file=drv.BERT_GAN_REAL)
    rng = np.random.default_rng([int(seed), 7])
    take = np.sort(rng.choice(len(pool), want, replace=want > len(pool))) if want else np.zeros(0, dtype=int)
    replay = pd.DataFrame({"comment": pool["comment"].astype(str).to_numpy()[take],
                           "reply": pool["reply"].astype(str).to_numpy()[take],
                           "comment_id": pool["comment_id"].astype(str).to_numpy()[take],
                           "source": "replay", "weight": 1})
    out = pd.concat([body, replay], ignore_index=True)[TRAIN_COLUMNS]
    docs = out["weight"].sum()
    stats |= {"candidate_docs": int((out["source"] == "candidate").sum()),
              "human_docs": int(out.loc[out["source"] == "human", "weight"].sum()), "replay_docs": len(replay),
              "replay_share": float(len(replay) / docs) if docs else None}
    return out, stats
