"""Stage 09, generator rounds: reward-ranked fine-tuning (RAFT; ReST and Llama 2's rejection sampling are the same
family), with the gain counted only where a judge that did not choose sees it.

One round k: (1) n_candidates candidates for gr_prompts train-split comments from the current generator (the newest
accepted round's checkpoint, else 01's); (2) scored by 06's judges and selected by 06's filters and threshold, the best
passing candidate per prompt kept by the reward; (3) + human-approved replies + real train pairs as replay
(rounds_data); (4) fine-tuned a few steps into checkpoint/<run_name>_g<k>, and a placebo (real train pairs only, same
steps and size); (5) base, candidate and placebo measured by fresh judges trained against each one's own samples
(helpers.rounds.arms), with paired CIs, the noise floor and the power sums; (6) accepted only if the candidate beats
base and placebo on every gold judge (gr_gold_judges), CI clear of gr_min_gain, and the drift guards hold
(helpers.rounds.guards). The row goes to
metrics/generator_rounds.csv last: every file before it is reused by a re-run, so a killed run redoes at most the
unfinished part of the round it was in.
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
from ..live.text_rules import TextRules
from . import arms, fresh_judge, gold_judges, guards, placebo, stats
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
    text_rules: TextRules = field(default_factory=TextRules)  # 06's blocklist, max_reply_chars, allow_links
    min_gain: float = default("gr_min_gain", "09")
    gold_judges: tuple = tuple(default("gr_gold_judges", "09"))
    bert_base: str = default("bert_base", "09")
    max_distinct2_drop: float = default("gr_max_distinct2_drop", "09")
    max_test_loss_rise: float = default("gr_max_test_loss_rise", "09")
    heldout_judge: str = default("heldout_judge", "09")
    judge_prompts: int = default("gr_judge_prompts", "09")
    max_copy_rise: float = default("gr_max_copy_rise", "09")
    max_length_drift: float = default("gr_max_length_drift", "09")
    bootstrap: int = default("gr_bootstrap", "09")
    eval_candidates: int = default("gr_eval_candidates", "09")
    seed: int = default("seed", "09")


@dataclass
class Tools:
    """What a round does outside pandas, swappable in tests: sample (run_name, comments, out, seed, n per comment)
    -> seconds;
    finetune (base, new, train_csv, out_json) -> {"test_loss", "test_loss_base", ...}; score (candidates) -> +
    prob_real, expected_score, score_error under the choosing judges; heldout (candidates) -> the held-out judge's
    prob_real per row; alternate (generator run_name, round folder) -> the refreshed classifier's AUC on its newest
    fakes (None: no alternation)."""

    sample: Callable[[str, pd.DataFrame, Path, int, int], float]
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
        if placebo.is_round_checkpoint(old.name, run_name):
            shutil.rmtree(old, ignore_errors=True)
    for rel in (drv.GENERATOR_ROUNDS, drv.GENERATOR_ROUNDS_PNG):
        Path(root, rel).unlink(missing_ok=True)


def select(tools: Tools, raw: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Every candidate scored by the choosing judges, with 06's ``rejected`` reason ("" when it may be chosen); each
    comment is its own post, as in `evaluate`."""
    from ..live.select import select_candidates

    scored = tools.score(raw.rename(columns={"reply": "proposed_reply"}).assign(
        post_id=lambda d: d["comment_id"].astype(str), title=""))
    rules = s.text_rules
    filtered, _, _ = select_candidates(scored, s.min_prob_real, rules.max_length, rules.blocklist,
                                       quality=FilterSettings(), allow_links=rules.allow_links)
    return filtered


def judged(tools: Tools, df: pd.DataFrame) -> pd.DataFrame:
    """An arm's eval candidates with the choosing judges' prob_real and expected_score and the held-out judge's
    prob_real (``heldout``) per row. 06's filters are left out here: their repeat check is quadratic in the comments,
    and the measure only needs the judges' view."""
    scored = tools.score(df.rename(columns={"reply": "proposed_reply"}).assign(
        post_id=lambda d: d["comment_id"].astype(str), title=""))
    held = np.asarray(tools.heldout(scored.rename(columns={"proposed_reply": "reply"})), dtype=float)
    return scored.assign(heldout=held, prob_real=pd.to_numeric(scored["prob_real"], errors="coerce"),
                         expected_score=pd.to_numeric(scored["expected_score"], errors="coerce"))


def measure(tools: Tools, samples: dict, ids: list[str], s: Settings) -> dict:
    """The judges that chose and the held-out judge on each arm's eval candidates: means per arm, and the candidate's
    paired gain over the base with its bootstrap CI over comments (comments resampled, not candidates)."""
    out, per = {}, {}
    for arm, suffix in (("base", "_base"), ("new", ""), ("placebo", "_placebo")):
        df = samples[arm]
        j = judged(tools, df[df["comment_id"].isin(ids)].reset_index(drop=True))
        j = j.assign(comment_id=j["comment_id"].astype(str))
        per[arm] = {c: arms.by_comment(j, j[c].to_numpy(float), ids) for c in ("prob_real", "heldout")}
        out |= {f"choosing_prob_real{suffix}": float(np.nanmean(j["prob_real"])) if len(j) else None,
                f"choosing_expected_score{suffix}": float(np.nanmean(j["expected_score"])) if len(j) else None,
                f"heldout_prob_real{suffix}": float(np.nanmean(j["heldout"])) if len(j) else None,
                f"pass_share{suffix}": float((j["prob_real"] >= s.min_prob_real).mean()) if len(j) else None}
    for col, name in (("heldout", "heldout"), ("prob_real", "choosing")):
        g = stats.mean_gain(per["base"][col], per["new"][col], s.bootstrap, s.seed)
        out |= {f"{name}_gain_lo": g["lo"], f"{name}_gain_hi": g["hi"]}
    return out


def decide(new: dict, base: dict, gold: dict, s: Settings) -> tuple[str, str]:
    """accepted | rejected | inconclusive and why: the guards (helpers.rounds.guards) and the gold measure against
    base and placebo, CI's lower bound above gr_min_gain, on as many eval comments as 80% power needs."""
    fails = guards.guard_failures(new, base, s)
    need = gold.get("eval_n_needed", float("inf"))
    per = {name: tuple(g.get(k, {}) | {"n_needed": need} for k in ("base", "placebo"))
           for name, g in gold.get("_gains", {}).items()}
    return guards.verdict_all(per, fails, s.min_gain)


def run_round(root: Path, k: int, base: str, s: Settings, tools: Tools, inputs: dict,
              on_write: Callable[[], Any] = lambda: None, progress=print) -> dict:
    """Round k from checkpoint ``base``; every file it writes before its row is reused when the round is resumed."""
    t0 = time.time()
    d, new = round_dir(root, k), f"{s.run_name}_g{k}"
    d.mkdir(parents=True, exist_ok=True)
    prompts = data.pick_prompts(inputs["generate"], k, s.prompts, s.seed)
    gen_s = tools.sample(base, prompts, d / "candidates_raw.csv", s.seed + k, s.n_candidates)
    on_write()
    scored = d / "candidates.csv"
    if not scored.exists():
        chosen = select(tools, read_csv(d / "candidates_raw.csv", required=["comment", "reply", "comment_id"]), s)
        if s.reward == "fresh":  # chosen by a judge trained against this very generator
            real = inputs["real"][inputs["real"]["split"].astype(str) == "train"]["reply"].tolist()
            chosen["fresh_prob_real"] = fresh_judge.cross_fit_prob_real(
                real, chosen.rename(columns={"proposed_reply": "reply"}), seed=s.seed + k)
        write_csv(chosen, scored)
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
        return row | {"accepted": False, "verdict": "rejected", "reason": "no candidate passed the reward and no "
                      "human signal: nothing to learn from", "seconds_generate": gen_s, "seconds": time.time() - t0}
    t1 = time.time()
    ft = tools.finetune(base, new, train_csv, d / "finetune.json")
    on_write()
    pl_csv, pl_name = d / "placebo_train.csv", placebo.placebo_name(s.run_name, k)
    if not pl_csv.exists():
        write_csv(placebo.placebo_set(inputs["real"], int(train["weight"].sum()), inputs["held_out_ids"], blocked,
                                      s.seed + k, drv.BERT_GAN_REAL), pl_csv)
    ft_p = tools.finetune(base, pl_name, pl_csv, d / "finetune_placebo.json")
    ft_s = time.time() - t1
    on_write()
    t2 = time.time()
    judge_prompts = data.pick_prompts(inputs["generate"], 1000 + k, s.judge_prompts, s.seed)
    ids = inputs["eval_comments"]["comment_id"].astype(str).tolist()
    both = pd.concat([judge_prompts, inputs["eval_comments"]], ignore_index=True)
    samples, sample_s = {}, gen_s
    for arm, run in (("base", base), ("new", new), ("placebo", pl_name)):
        samples[arm], sec = arms.sample_arm(tools.sample, run, both, d / f"gold_{arm}.csv", s.seed + 1000 + k,
                                             s.eval_candidates)
        sample_s += sec
        on_write()
    samples["base_seed2"], sec = arms.sample_arm(tools.sample, base, inputs["eval_comments"],
                                                 d / "gold_base_seed2.csv", s.seed + 2000 + k, s.eval_candidates)
    on_write()
    gold = arms.gold(samples, set(judge_prompts["comment_id"].astype(str)), ids, inputs["real"], s.min_gain,
                     s.bootstrap, s.seed, gold_judges.judges(s.gold_judges, s.bert_base, root / drv.BERT_BASE_DIR))
    drift = arms.drifts(samples, train["reply"].astype(str).tolist())
    ref = inputs.get("test_loss_ref")
    ref = ft.get("test_loss_base") if ref is None or (isinstance(ref, float) and math.isnan(ref)) else ref
    m1 = drift["new"] | {"test_loss": ft.get("test_loss"), "test_loss_ref": ref}
    verdict, reason = decide(m1, drift["base"], gold, s)
    row |= {"accepted": verdict == "accepted", "verdict": verdict, "reason": reason,
            "test_loss_ref": ref, "test_loss_base": ft.get("test_loss_base"), "test_loss": ft.get("test_loss"),
            "test_loss_placebo": ft_p.get("test_loss"), "diversity_replies": drift["new"]["diversity_replies"],
            **{f"{c}{suf}": drift[a][c] for a, suf in (("base", "_base"), ("new", ""), ("placebo", "_placebo"))
               for c in ("distinct_2", "copy_share", "mean_words")},
            **{c: v for c, v in gold.items() if not c.startswith("_")}, **measure(tools, samples, ids, s)}
    q = quality.quality_metrics(samples["new"][samples["new"]["comment_id"].isin(ids)], "reply")
    row |= {"parrot_rate": q["parrot_rate"], "repetition_rate": q["repeated_trigram_rate"],
            "seconds_generate": sample_s + sec, "seconds_finetune": ft_s, "seconds_measure": time.time() - t2}
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
    return {"generate": generate, "real": real, "held_out_ids": held_ids, "test_loss_ref": None,
            "eval_comments": data.pick_eval_comments(generate, s.eval_comments, s.seed)}


def run1_loss(rows: list[dict]) -> float | None:
    """The first checkpoint's loss on real test replies, as the first round that fine-tuned measured it: every round's
    test loss is held to it, so the loss cannot creep a little each round."""
    vals = pd.to_numeric(pd.Series([r.get("test_loss_ref") for r in rows], dtype=object), errors="coerce").dropna()
    return float(vals.iloc[0]) if len(vals) else None


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
        inputs["test_loss_ref"] = run1_loss(rows)
        row = run_round(root, k, base, s, tools, inputs, on_write, progress)
        rows.append(row)
        write_table(root, rows)
        on_write()
        progress(f"round {k}: {row['run_name']} from {base}: " + ("ACCEPTED" if row["accepted"] else
                 f"{row['verdict']} ({row['reason']})") + f" in {row['seconds']:.0f} s")
    return write_table(root, rows)
