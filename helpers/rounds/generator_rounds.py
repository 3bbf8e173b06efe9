"""Stage 09, generator rounds: reward-ranked fine-tuning (RAFT; ReST and Llama 2's rejection sampling are the same
family), with the gain counted only where a judge that did not choose sees it.

One round k: (1) n_candidates candidates for gr_prompts train-split comments from the current generator (the newest
accepted round's checkpoint, else 01's); (2) scored by 06's judges and selected by 06's filters and threshold, the best
passing candidate per prompt kept by the reward; (3) + human-approved replies + real train pairs as replay
(rounds_data); (4) fine-tuned a few steps into checkpoint/<run_name>_g<k>; (5) base and new checkpoint both sample
candidates for the same held-out test comments, measured by the choosing judges, the held-out judge, 06's selection,
distinct-2, parrot and repetition rates, and the loss on real test replies; (6) accepted only if the held-out judge
improves and the guards hold. The row goes to metrics/generator_rounds.csv last: every file before it is reused by a
re-run, so a killed run redoes at most the unfinished part of the round it was in.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from .. import drive as drv
from .. import files, quality, words
from ..contract import default
from ..files import read_csv, write_csv
from ..filters import FilterSettings
from ..generator.lineage import done_rounds, newest_accepted
from . import rounds_data as data
from .rounds_table import write_table

# A round's training set, as its progress line says it.
TRAIN_WORDS = {"candidate_docs": "chosen candidates", "human_docs": "approved replies (weighted)",
               "replay_docs": "real train pairs", "replay_share": "real share"}


@dataclass(frozen=True)
class Settings:
    """The rounds' parameters; the defaults are notebook 09's (helpers.contract)."""

    run_name: str = default("run_name", "09")
    rounds: int = default("gr_rounds", "09")
    prompts: int = default("gr_prompts", "09")
    eval_comments: int = default("gr_eval_comments", "09")
    n_candidates: int = default("n_candidates", "09")
    reward: str = default("gr_reward", "09")
    replay_share: float = default("gr_replay_share", "09")
    human_weight: int = default("gr_human_weight", "09")
    min_prob_real: float = default("min_prob_real", "09")
    max_reply_chars: int = default("max_reply_chars", "09")
    blocklist: tuple = tuple(default("blocklist", "09"))
    allow_links: bool = default("allow_links", "09")
    min_gain: float = default("gr_min_gain", "09")
    max_distinct2_drop: float = default("gr_max_distinct2_drop", "09")
    max_test_loss_rise: float = default("gr_max_test_loss_rise", "09")
    heldout_judge: str = default("heldout_judge", "09")
    seed: int = default("seed", "09")


@dataclass
class Tools:
    """What a round does outside pandas, swappable in tests: sample (run_name, comments, out, seed) -> seconds;
    finetune (base, new, train_csv, out_json) -> {"test_loss", "test_loss_base", ...}; score (candidates) -> +
    prob_real, expected_score, score_error under the choosing judges; heldout (candidates) -> the held-out judge's
    prob_real per row; alternate (generator run_name, round folder) -> the refreshed classifier's AUC on its newest
    fakes (None: no alternation)."""

    sample: Callable[[str, pd.DataFrame, Path, int], float]
    finetune: Callable[[str, str, Path, Path], dict]
    score: Callable[[pd.DataFrame], pd.DataFrame]
    heldout: Callable[[pd.DataFrame], np.ndarray]
    alternate: Callable[[str, Path], Any] | None = None
    calls: dict = field(default_factory=dict)


def round_dir(root: str | Path, k: int) -> Path:
    return Path(root, drv.GENERATOR_ROUNDS_DIR, f"round_{k:02d}")


def restart(root: str | Path, run_name: str) -> None:
    """Forget every round: the table, the rounds' files and their checkpoints (01's checkpoint is untouched): a
    round of the new start must never take an old round's checkpoint for its own resumed one."""
    root = Path(root)
    shutil.rmtree(root / drv.GENERATOR_ROUNDS_DIR, ignore_errors=True)
    for old in Path(root, drv.CHECKPOINT_DIR).glob(f"{run_name}_g*"):
        if old.name[len(run_name) + 2:].isdigit():
            shutil.rmtree(old, ignore_errors=True)
    for rel in (drv.GENERATOR_ROUNDS, drv.GENERATOR_ROUNDS_PNG):
        Path(root, rel).unlink(missing_ok=True)


def select(tools: Tools, raw: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Every candidate scored by the choosing judges, with 06's ``rejected`` reason ("" when it may be chosen); each
    comment is its own post, as in `evaluate`."""
    from ..live.select import select_candidates

    scored = tools.score(raw.rename(columns={"reply": "proposed_reply"}).assign(
        post_id=lambda d: d["comment_id"].astype(str), title=""))
    filtered, _, _ = select_candidates(scored, s.min_prob_real, s.max_reply_chars, s.blocklist,
                                       quality=FilterSettings(), allow_links=s.allow_links)
    return filtered


def measure(root: Path, tools: Tools, run_name: str, comments: pd.DataFrame, s: Settings) -> dict:
    """A checkpoint on the held-out test comments: its candidates (sampled once, kept) scored now by both kinds of
    judge, the share 06's selection allows, and their diversity, parrot and repetition rates."""
    path = Path(root, drv.GENERATOR_ROUNDS_EVAL.format(run_name))
    seconds = tools.sample(run_name, comments, path, s.seed)
    filtered = select(tools, read_csv(path, required=["comment", "reply", "comment_id"]), s)
    held = np.asarray(tools.heldout(filtered.rename(columns={"proposed_reply": "reply"})), dtype=float)
    q = quality.quality_metrics(filtered, "proposed_reply", matched_size=len(comments))
    mean = lambda v: float(np.nanmean(v)) if np.isfinite(v).any() else None  # noqa: E731
    return {"choosing_prob_real": mean(pd.to_numeric(filtered["prob_real"], errors="coerce").to_numpy(float)),
            "choosing_expected_score": mean(pd.to_numeric(filtered["expected_score"], errors="coerce").to_numpy(float)),
            "heldout_prob_real": mean(held), "pass_share": float((filtered["rejected"] == "").mean()),
            "distinct_2": q["distinct_2_matched"], "parrot_rate": q["parrot_rate"],
            "repetition_rate": q["repeated_trigram_rate"], "seconds_generate": seconds}


def _num(x) -> float:
    return float("nan") if x is None else float(x)


def decide(new: dict, base: dict, s: Settings) -> str:
    """Why the round is rejected ("" when accepted): the held-out judge must rise by more than gr_min_gain, distinct-2
    may fall by at most gr_max_distinct2_drop, the test loss may rise by at most gr_max_test_loss_rise of the base's."""
    why = []
    h0, h1 = _num(base["heldout_prob_real"]), _num(new["heldout_prob_real"])
    if not (h1 - h0 > s.min_gain):
        why.append(f"held-out judge did not improve ({h0:.4f} -> {h1:.4f}, needs > +{s.min_gain:g})")
    d0, d1 = _num(base["distinct_2"]), _num(new["distinct_2"])
    if math.isnan(d1) or d0 - d1 > s.max_distinct2_drop:
        why.append(f"distinct-2 fell {d0:.3f} -> {d1:.3f} (allowed drop {s.max_distinct2_drop:g})")
    l0, l1 = _num(new.get("test_loss_base")), _num(new.get("test_loss"))
    if math.isnan(l1) or l1 > l0 * (1 + s.max_test_loss_rise):
        why.append(f"test loss rose {l0:.4f} -> {l1:.4f} (allowed +{s.max_test_loss_rise:.0%})")
    return "; ".join(why)


def run_round(root: Path, k: int, base: str, s: Settings, tools: Tools, inputs: dict,
              on_write: Callable[[], Any] = lambda: None, progress=print) -> dict:
    """Round k from checkpoint ``base``; every file it writes before its row is reused when the round is resumed."""
    t0 = time.time()
    d, new = round_dir(root, k), f"{s.run_name}_g{k}"
    d.mkdir(parents=True, exist_ok=True)
    prompts = data.pick_prompts(inputs["generate"], k, s.prompts, s.seed)
    gen_s = tools.sample(base, prompts, d / "candidates_raw.csv", s.seed + k)
    on_write()
    scored = d / "candidates.csv"
    if not scored.exists():
        write_csv(select(tools, read_csv(d / "candidates_raw.csv", required=["comment", "reply", "comment_id"]), s),
                  scored)
    filtered = read_csv(scored, required=["comment_id", "proposed_reply", "rejected", "prob_real", "expected_score"])
    human, blocked, hstats = data.human_signal(root, s.human_weight)
    kept = data.best_per_prompt(filtered, s.reward, blocked)
    train_csv = d / "train.csv"
    if not train_csv.exists():
        train, tstats = data.training_set(kept, inputs["real"], human, blocked, inputs["held_out_ids"],
                                          s.replay_share, s.seed + k)
        files.write_json({"human": hstats, "train": tstats}, d / "train_stats.json")
        write_csv(train, train_csv)
    train = read_csv(train_csv, required=data.TRAIN_COLUMNS)
    tstats = json.loads((d / "train_stats.json").read_text())["train"]
    progress(f"round {k}: {len(prompts)} prompts, {len(filtered)} candidates, {len(kept)} prompt(s) with a passing "
             f"one; training set: {words.fields(tstats, TRAIN_WORDS)}")
    row = {"round": k, "run_name": new, "base": base, "reward": s.reward, "prompts": len(prompts),
           "candidates": len(filtered), "prompts_kept": len(kept), "train_docs": int(train["weight"].sum()),
           **{c: tstats[c] for c in ("candidate_docs", "human_docs", "replay_docs", "replay_share")},
           "heldout_judge": s.heldout_judge}
    if tstats["candidate_docs"] + tstats["human_docs"] == 0:
        return row | {"accepted": False, "reason": "no candidate passed the reward and no human signal: nothing to "
                      "learn from", "seconds_generate": gen_s, "seconds": time.time() - t0}
    t1 = time.time()
    ft = tools.finetune(base, new, train_csv, d / "finetune.json")
    ft_s = time.time() - t1
    on_write()
    t2 = time.time()
    m0 = measure(root, tools, base, inputs["eval_comments"], s)
    m1 = measure(root, tools, new, inputs["eval_comments"], s) | {k_: ft.get(k_) for k_ in ("test_loss",
                                                                                           "test_loss_base")}
    reason = decide(m1, m0, s)
    row |= {"accepted": reason == "", "reason": reason, "test_loss_base": ft.get("test_loss_base"),
            "test_loss": ft.get("test_loss"), **{f"{c}_base": m0[c] for c in ("choosing_prob_real",
            "choosing_expected_score", "heldout_prob_real", "pass_share", "distinct_2")},
            **{c: m1[c] for c in ("choosing_prob_real", "choosing_expected_score", "heldout_prob_real", "pass_share",
                                  "distinct_2", "parrot_rate", "repetition_rate")}}
    row |= {"seconds_generate": gen_s + m0["seconds_generate"] + m1["seconds_generate"], "seconds_finetune": ft_s,
            "seconds_measure": time.time() - t2}
    if tools.alternate is not None:
        row["adv_auc_newest"] = tools.alternate(new if row["accepted"] else base, d)
    row["seconds"] = time.time() - t0
    return row


def load_inputs(root: Path, s: Settings) -> dict:
    """The prompts' source, the real pairs replay draws from, the held-out comment ids, the fixed test comments."""
    generate = read_csv(root / drv.GPT2_GENERATE, required=["comment", "comment_id", "split"], hint="run 00 first")
    real = read_csv(root / drv.BERT_GAN_REAL, required=["comment", "reply", "comment_id", "split"], hint="run 00")
    held = pd.concat([generate, real])
    held_ids = set(held.loc[held["split"].astype(str) != "train", "comment_id"].astype(str))
    return {"generate": generate, "real": real, "held_out_ids": held_ids,
            "eval_comments": data.pick_eval_comments(generate, s.eval_comments, s.seed)}


def run_rounds(root: str | Path, s: Settings, tools: Tools, on_write: Callable[[], Any] = lambda: None,
               progress=print) -> pd.DataFrame:
    """Rounds len(done)+1 .. s.rounds; returns the whole table. Each row is written (and on_write() pushes it) the
    moment its round ends."""
    root = Path(root)
    rows = done_rounds(root)
    if len(rows) >= s.rounds:
        progress(f"{len(rows)} round(s) already done; nothing to do (raise gr_rounds for more)")
        return write_table(root, rows)
    inputs = load_inputs(root, s)
    for k in range(len(rows) + 1, s.rounds + 1):
        base = newest_accepted(rows, s.run_name)
        row = run_round(root, k, base, s, tools, inputs, on_write, progress)
        rows.append(row)
        write_table(root, rows)
        on_write()
        progress(f"round {k}: {row['run_name']} from {base}: " + ("ACCEPTED" if row["accepted"] else
                 f"rejected ({row['reason']})") + f" in {row['seconds']:.0f} s")
    return write_table(root, rows)
