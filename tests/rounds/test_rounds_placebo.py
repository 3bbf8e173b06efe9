"""09's acceptance cannot be fooled: whole rounds with stand-in generators whose styles are known.

Real replies are word salad from one vocabulary; run1 gives itself away with a tic (its last word is "lol"). A
fine-tune that changes nothing (learning rate ~0) samples run1's style again with other seeds; a placebo-equivalent
round samples exactly what the placebo does. Neither may ever be accepted, over several seeds; a candidate that truly
writes like the real replies, with enough eval comments, is."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import drive as drv
from helpers.files import read_csv, write_csv
from helpers.generator.lineage import done_rounds
from helpers.rounds import generator_rounds as gr

VOCAB = [f"word{i}" for i in range(300)]
SEEDS = [1, *(pytest.param(s, marks=pytest.mark.slow) for s in (2, 3, 4, 5))]  # fast lane: one seed


def line(rng, tic: float) -> str:
    ws = list(rng.choice(VOCAB, rng.integers(6, 10)))
    if rng.random() < tic:
        ws[-1] = "lol"
    return " ".join(ws)


def corpus(root: Path, n_train: int, n_test: int) -> None:
    rng = np.random.default_rng(0)
    rows = [{"comment": f"comment {i} " + line(rng, 0), "comment_id": f"c{i}", "thread_id": f"t{i}",
             "subreddit": "s", "split": "train" if i < n_train else "test", "reply": line(rng, 0), "real": 1}
            for i in range(n_train + n_test)]
    df = pd.DataFrame(rows)
    write_csv(df[["comment", "comment_id", "thread_id", "subreddit", "split"]], root / drv.GPT2_GENERATE)
    write_csv(df, root / drv.BERT_GAN_REAL)


class Styles:
    """``tic[run]``: the share of run's replies ending in "lol" (run1: 1.0). Each (run, seed) samples its own words;
    ``kill``: fine-tunes that die once (a killed process), ``trained``: the fine-tunes that really ran."""

    def __init__(self, tic: dict[str, float], kill: set[str] = ()):
        self.tic, self.kill, self.trained, self.sampled = tic, set(kill), [], []

    def sample(self, run, comments, out, seed, n=None):
        if Path(out).exists():
            return 0.0
        self.sampled.append(Path(out).name)
        rng = np.random.default_rng([seed, zlib.crc32(run.encode())])
        rows = [c | {"reply": line(rng, self.tic[run]), "real": 0} for c in comments.to_dict("records")
                for _ in range(2)]
        write_csv(pd.DataFrame(rows), out)
        return 0.0

    def finetune(self, base, new, train_csv, out_json):
        if Path(out_json).exists():
            return json.loads(Path(out_json).read_text())
        if new in self.kill:
            self.kill.discard(new)
            raise RuntimeError(f"killed while fine-tuning {new}")
        self.trained.append(new)
        out = {"test_loss_base": 4.0, "test_loss": 4.0}
        Path(out_json).write_text(json.dumps(out))
        return out

    @staticmethod
    def score(df):
        return df.assign(prob_real=0.95, expected_score=df["proposed_reply"].astype(str).str.len() / 100.0,
                         score_error="")

    def tools(self) -> gr.Tools:
        return gr.Tools(sample=self.sample, finetune=self.finetune, score=self.score,
                        heldout=lambda df: np.where(df["reply"].astype(str).str.contains("lol"), 0.2, 0.6))


def settings(seed: int, **kw) -> gr.Settings:
    return gr.Settings(**({"rounds": 1, "prompts": 8, "eval_comments": 200, "judge_prompts": 100, "min_prob_real": 0.9,
                           "bootstrap": 300, "seed": seed} | kw))


def one_round(tmp_path: Path, seed: int, tic: dict, n_test: int = 200, **kw) -> dict:
    root = tmp_path / f"seed{seed}"
    root.mkdir()
    corpus(root, 300, n_test)
    gr.run_rounds(root, settings(seed, **kw), Styles(tic).tools(), progress=lambda *_: None)
    return done_rounds(root)[0]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_round_whose_fine_tune_changes_nothing_is_never_accepted(tmp_path, seed):
    """Learning rate ~0: run1_g1 writes as run1 does; the placebo moved a little (the fine-tune on real text)."""
    row = one_round(tmp_path, seed, {"run1": 1.0, "run1_g1": 1.0, "run1_g1_placebo": 0.9})
    assert row["accepted"] is False and row["verdict"] in ("rejected", "inconclusive")
    assert row["gold_gain_vs_base_lo"] < 0.02, row["reason"]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_placebo_equivalent_round_is_never_accepted(tmp_path, seed):
    """The candidate is as much better than run1 as the placebo is, no more: it beats the base, clearly, yet it is
    what fine-tuning on real text alone gives."""
    row = one_round(tmp_path, seed, {"run1": 1.0, "run1_g1": 0.3, "run1_g1_placebo": 0.3})
    assert row["gold_gain_vs_base_lo"] > 0.02, "the base comparison alone would accept it"
    assert row["accepted"] is False and row["verdict"] in ("rejected", "inconclusive")
    assert "vs placebo" in row["reason"]


def test_a_round_that_truly_writes_like_real_replies_is_accepted(tmp_path):
    row = one_round(tmp_path, 1, {"run1": 1.0, "run1_g1": 0.0, "run1_g1_placebo": 0.9}, min_gain=0.05)
    assert row["verdict"] == "accepted", row["reason"]
    assert row["gold_auc"] < row["gold_auc_base_lo"] and row["gold_auc"] < row["gold_auc_placebo_lo"]
    assert row["eval_n"] >= row["eval_n_needed"]


def test_too_few_eval_comments_are_never_accepted(tmp_path):
    """The same truly better candidate, measured on 16 comments: power says more are needed."""
    row = one_round(tmp_path, 1, {"run1": 1.0, "run1_g1": 0.0, "run1_g1_placebo": 0.9}, n_test=16,
                    eval_comments=16)
    assert row["accepted"] is False and row["eval_n"] == 16
    assert "needed" in row["reason"] or "lower bound" in row["reason"]


def test_a_kill_in_the_placebo_arm_resumes_without_redoing_the_candidate(tmp_path):
    root = tmp_path
    corpus(root, 300, 60)
    styles = Styles({"run1": 1.0, "run1_g1": 0.5, "run1_g1_placebo": 0.5}, kill={"run1_g1_placebo"})
    s = settings(1, eval_comments=60, judge_prompts=60)
    with pytest.raises(RuntimeError, match="placebo"):
        gr.run_rounds(root, s, styles.tools(), progress=lambda *_: None)
    assert done_rounds(root) == [] and styles.trained == ["run1_g1"]
    placebo_train = read_csv(gr.round_dir(root, 1) / "placebo_train.csv")
    first = list(styles.sampled)
    table = gr.run_rounds(root, s, styles.tools(), progress=lambda *_: None)
    assert styles.trained == ["run1_g1", "run1_g1_placebo"], "the candidate's fine-tune is not redone"
    assert first == ["candidates_raw.csv"] and styles.sampled[1:] == [
        "gold_base.csv", "gold_new.csv", "gold_placebo.csv", "gold_base_seed2.csv"]
    pd.testing.assert_frame_equal(read_csv(gr.round_dir(root, 1) / "placebo_train.csv"), placebo_train)
    assert len(table) == 1 and set(placebo_train["source"]) == {"placebo"}
    assert len(placebo_train) == int(table["train_docs"].iloc[0])


def test_the_fresh_reward_keeps_the_candidates_a_judge_of_this_generator_finds_real(tmp_path):
    """gr_reward = "fresh": run1 gives itself away half the time ("lol"); a judge trained against run1's own candidates
    learns that, so the kept candidates are the ones without it."""
    root = tmp_path
    corpus(root, 300, 40)
    styles = Styles({"run1": 0.5, "run1_g1": 0.5, "run1_g1_placebo": 0.5})
    gr.run_rounds(root, settings(1, prompts=120, n_candidates=2, eval_comments=40, judge_prompts=40, reward="fresh"),
                  styles.tools(), progress=lambda *_: None)
    cands = read_csv(gr.round_dir(root, 1) / "candidates.csv")
    assert cands["fresh_prob_real"].between(0, 1).all()
    kept = read_csv(gr.round_dir(root, 1) / "train.csv").query("source == 'candidate'")
    lol = cands.assign(lol=cands["proposed_reply"].str.endswith("lol"))
    forced = lol.groupby("comment_id")["lol"].all()  # prompts whose every candidate has the tic
    assert kept["reply"].str.endswith("lol").sum() <= forced.sum() + 2 and lol["lol"].mean() > 0.4


def test_restart_forgets_placebo_checkpoints_and_keeps_run1(tmp_path):
    from helpers.rounds.placebo import is_round_checkpoint

    for name in ("run1", "run1_g1", "run1_g1_placebo", "run1_g12_placebo", "run1_gx", "run1_g1_placebo_old"):
        (tmp_path / drv.CHECKPOINT_DIR / name).mkdir(parents=True)
    gr.restart(tmp_path, "run1")
    left = sorted(p.name for p in (tmp_path / drv.CHECKPOINT_DIR).iterdir())
    assert left == ["run1", "run1_g1_placebo_old", "run1_gx"]
    assert not is_round_checkpoint("run10_g1", "run1") and is_round_checkpoint("run1_g3_placebo", "run1")
