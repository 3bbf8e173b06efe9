"""Generator rounds (09) without models: stand-in tools sample, score, judge and "fine-tune", so the rules of a round
are checked exactly: what may enter the training set, the replay share, resuming a killed run, and the guards."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import drive as drv
from helpers.files import read_csv, write_csv
from helpers.generator.lineage import done_rounds
from helpers.rounds import generator_rounds as gr
from helpers.rounds import rounds_data

HUMAN_OK = "I planted tomatoes in the shade and they did fine honestly."
HUMAN_GOOD = "Great tip about the mulch layer, it kept the roots cool all summer."
HUMAN_NO = "Sure, this reply was never approved by a person at all, so never train on it."
HUMAN_REMOVED = "Sure, this approved reply was removed by the subreddit moderators later on."
WORDS = ("apple birch cedar daisy elm fern ginger hazel iris juniper kale lily mint nettle oak pine quince rose sage "
         "thyme umbra violet willow yarrow zinnia").split()


def corpus(root: Path) -> None:
    """gpt2_generate.csv and bert_gan_real.csv: 12 train, 4 validation, 4 test comments, one real reply each."""
    rows = []
    for i in range(20):
        split = "train" if i < 12 else "validation" if i < 16 else "test"
        rows.append({"comment": f"comment number {i} about gardens and books", "comment_id": f"c{i}",
                     "thread_id": f"t{i}", "subreddit": "gardening", "split": split,
                     "reply": f"real reply {i} with several honest words in it.", "real": 1})
    df = pd.DataFrame(rows)
    write_csv(df[["comment", "comment_id", "thread_id", "subreddit", "split"]], root / drv.GPT2_GENERATE)
    write_csv(df, root / drv.BERT_GAN_REAL)


def human(root: Path) -> None:
    """A review sheet with an approved, an approved-and-upvoted, an unapproved and an approved-then-removed reply."""
    sheet = pd.DataFrame({"post_id": ["p1", "p2", "p3", "p4"], "comment_id": ["h1", "h2", "h3", "h4"],
                          "comment": ["live comment"] * 4, "reply": [HUMAN_OK, HUMAN_GOOD, HUMAN_NO, HUMAN_REMOVED],
                          "approved": ["yes", "TRUE", "", "x"]})
    write_csv(sheet, root / drv.REVIEW_SHEET.format(date="2026-01-02"))
    write_csv(pd.DataFrame({"comment_id": ["h1", "h2", "h4"], "state": ["ok", "ok", "removed"], "score": [1, 3, 5]}),
              root / drv.OUTCOMES)


class Fake:
    """Stand-in tools. A reply's words decide its scores: "sure" makes the choosing judge confident (prob_real 0.95),
    "nice" makes the held-out judge like it. ``replies[run]``: what checkpoint ``run`` samples for every prompt ({u}:
    a few words of its own per prompt, so 06's repeat_in_run leaves them alone)."""

    def __init__(self, replies: dict[str, list[str]], losses: dict[str, float], fail_finetune: set[str] = ()):
        self.replies, self.losses, self.fail = replies, losses, set(fail_finetune)
        self.sampled: list[str] = []
        self.finetuned: list[str] = []

    def sample(self, run, comments, out, seed):
        self.sampled.append(f"{run}->{Path(out).parent.name}/{Path(out).name}")
        if Path(out).exists():
            return 0.0
        texts = self.replies[run] if run in self.replies else self.replies["*"]
        rows = [c | {"reply": t.format(u=" ".join(WORDS[4 * i:4 * i + 4])), "real": 0}
                for i, c in enumerate(comments.to_dict("records")) for t in texts]
        write_csv(pd.DataFrame(rows), out)
        return 0.1

    def finetune(self, base, new, train_csv, out_json):
        self.finetuned.append(new)
        if new in self.fail:
            self.fail.discard(new)
            raise RuntimeError(f"killed while fine-tuning {new}")
        out = {"test_loss_base": self.losses[base], "test_loss": self.losses[new]}
        Path(out_json).write_text(json.dumps(out))
        return out

    @staticmethod
    def score(df):
        reply = df["proposed_reply"].astype(str)
        return df.assign(prob_real=np.where(reply.str.contains("sure", case=False), 0.95, 0.5),
                         expected_score=reply.str.len() / 100.0, score_error="")

    @staticmethod
    def heldout(df):
        return np.where(df["reply"].astype(str).str.contains("nice"), 0.8, 0.3)

    def tools(self) -> gr.Tools:
        return gr.Tools(sample=self.sample, finetune=self.finetune, score=self.score, heldout=self.heldout)


BASE_REPLIES = ["sure thing, {u} works well for most gardens", "{u} I think so too but not always",
                "ok", "comment number 3 about gardens and books sure"]  # too_short, and one under the threshold


@pytest.fixture
def root(tmp_path) -> Path:
    corpus(tmp_path)
    human(tmp_path)
    return tmp_path


def settings(**kw) -> gr.Settings:
    return gr.Settings(**({"prompts": 6, "eval_comments": 4, "min_prob_real": 0.9, "replay_share": 0.5} | kw))


def test_prompts_only_from_the_train_split(root):
    generate = read_csv(root / drv.GPT2_GENERATE)
    for k in range(1, 6):
        picked = rounds_data.pick_prompts(generate, k, 50, seed=1)
        assert set(picked["split"]) == {"train"} and len(picked) == 12
    assert set(rounds_data.pick_eval_comments(generate, 3, 1)["split"]) == {"test"}


def test_training_set_holds_only_what_may_be_learned(root):
    tempting = ["sure, ask u/gardener_bob about {u} because that account knows everything there is to know",
                "{u} this long reply lacks the magic word so the choosing judge doubts it, though it is the longest"]
    fake = Fake({"*": BASE_REPLIES + tempting + [HUMAN_NO, HUMAN_REMOVED]},
                {"run1": 4.0, "run1_g1": 4.0})
    gr.run_rounds(root, settings(rounds=1), fake.tools(), progress=lambda *a: None)
    d = gr.round_dir(root, 1)
    cands = read_csv(d / "candidates.csv")
    train = read_csv(d / "train.csv")
    generate = read_csv(root / drv.GPT2_GENERATE)
    train_ids = set(generate.loc[generate["split"] == "train", "comment_id"])
    # every candidate in the set passed 06's filters and the realism threshold, and is its prompt's best of those no
    # person turned down (the two blocked texts score best and pass every filter)
    from_cands = train[train["source"] == "candidate"]
    assert len(from_cands) == 6
    ok = cands[(cands["rejected"].fillna("") == "") & ~cands["proposed_reply"].isin([HUMAN_NO, HUMAN_REMOVED])]
    for _, r in from_cands.iterrows():
        same = cands[(cands["comment_id"] == r["comment_id"]) & (cands["proposed_reply"] == r["reply"])]
        assert len(same) == 1 and same["rejected"].fillna("").iloc[0] == ""
        assert float(same["prob_real"].iloc[0]) > 0.9
        best = ok[ok["comment_id"] == r["comment_id"]]["expected_score"].max()
        assert float(same["expected_score"].iloc[0]) == best
    # the best-scored candidates fail a filter (mention) or the threshold: never in the set
    assert set(cands.loc[cands["proposed_reply"].str.contains("gardener_bob"), "rejected"]) == {"mention"}
    assert not train["reply"].str.contains("gardener_bob|magic word").any()
    # no validation/test prompt; replay pairs are train pairs only
    assert set(train.loc[train["source"] != "human", "comment_id"]) <= train_ids
    # the person's signal: approved kept (upvoted one twice); unapproved and removed never, not even as a candidate
    texts = " | ".join(train["reply"].astype(str))
    assert HUMAN_NO not in texts and HUMAN_REMOVED not in texts
    hum = train[train["source"] == "human"].set_index("reply")["weight"].to_dict()
    assert hum == {HUMAN_OK: 1, HUMAN_GOOD: 2}
    # the replay share asked for, weights counted: 6 candidates + 3 human documents -> 9 replay pairs
    docs = train["weight"].sum()
    assert (train["source"] == "replay").sum() == 9 and (train["source"] == "replay").sum() / docs == 0.5


@pytest.mark.slow
@pytest.mark.parametrize("share", [0.0, 0.25, 0.75])
def test_replay_share_is_the_one_asked(root, share):
    fake = Fake({"*": BASE_REPLIES}, {"run1": 4.0, "run1_g1": 4.0})
    gr.run_rounds(root, settings(rounds=1, replay_share=share), fake.tools(), progress=lambda *a: None)
    train = read_csv(gr.round_dir(root, 1) / "train.csv")
    body = train.loc[train["source"] != "replay", "weight"].sum()
    assert (train["source"] == "replay").sum() == round(body * share / (1 - share))


def good_round_fake(**kw) -> Fake:
    return Fake({"run1": BASE_REPLIES, "*": ["nice {u} sure",
                                             "sure {u} nice answer"]},
                {"run1": 4.0, "run1_g1": 4.0, "run1_g2": 4.0}, **kw)


def test_a_killed_run_resumes_without_redoing_finished_rounds(root):
    fake = good_round_fake(fail_finetune={"run1_g2"})
    with pytest.raises(RuntimeError, match="killed"):
        gr.run_rounds(root, settings(rounds=2), fake.tools(), progress=lambda *a: None)
    rows = done_rounds(root)
    assert [r["round"] for r in rows] == [1] and rows[0]["accepted"]
    assert fake.finetuned == ["run1_g1", "run1_g2"]
    first = read_csv(root / drv.GENERATOR_ROUNDS)
    fake.sampled.clear()
    fake.finetuned.clear()
    gr.run_rounds(root, settings(rounds=2), fake.tools(), progress=lambda *a: None)
    assert fake.finetuned == ["run1_g2"]  # round 1 is not fine-tuned again
    assert not any("round_01" in s for s in fake.sampled)  # nor its candidates sampled again
    table = read_csv(root / drv.GENERATOR_ROUNDS)
    assert table["round"].tolist() == [1, 2] and table["base"].tolist() == ["run1", "run1_g1"]
    pd.testing.assert_frame_equal(table.iloc[:1].astype(str), first.astype(str))  # its row, timings included
    fake.finetuned.clear()
    gr.run_rounds(root, settings(rounds=2), fake.tools(), progress=lambda *a: None)
    assert fake.finetuned == []  # all done: nothing redone


def test_a_round_improving_the_held_out_judge_within_the_guards_is_accepted(root):
    fake = good_round_fake()
    table = gr.run_rounds(root, settings(rounds=1), fake.tools(), progress=lambda *a: None)
    row = table.iloc[0]
    assert bool(row["accepted"]) and row["reason"] == "" or pd.isna(row["reason"])
    assert row["heldout_prob_real"] > row["heldout_prob_real_base"]
    assert row["choosing_prob_real"] > row["choosing_prob_real_base"]


@pytest.mark.parametrize("case, why", [
    ("collapse", "distinct-2 fell"), ("loss", "test loss rose"), ("no_gain", "held-out judge did not improve")])
@pytest.mark.slow
def test_a_round_failing_a_guard_is_not_accepted(root, case, why):
    collapsed = ["nice sure nice sure nice sure"]  # held-out judge likes it, but one text for every prompt
    replies = {"collapse": collapsed, "loss": None, "no_gain": ["sure answer {u} without the magic word"]}[case]
    fake = good_round_fake()
    if replies:
        fake.replies["*"] = replies
    if case == "loss":
        fake.losses["run1_g1"] = 4.0 * 1.06  # over the allowed 5 % rise
    table = gr.run_rounds(root, settings(rounds=2), fake.tools(), progress=lambda *a: None)
    first = table.iloc[0]
    assert not bool(first["accepted"]) and why in first["reason"]
    assert table.iloc[1]["base"] == "run1"  # the rejected checkpoint is never built on
    assert read_csv(root / drv.GENERATOR_ROUNDS)["accepted"].tolist()[0] in (False, "False")


def test_decide_names_every_failed_guard():
    s = settings()
    base = {"heldout_prob_real": 0.5, "distinct_2": 0.8}
    assert gr.decide({"heldout_prob_real": 0.6, "distinct_2": 0.78, "test_loss_base": 4.0, "test_loss": 4.1}, base,
                     s) == ""
    why = gr.decide({"heldout_prob_real": 0.5, "distinct_2": 0.7, "test_loss_base": 4.0, "test_loss": 4.3}, base, s)
    assert "held-out" in why and "distinct-2" in why and "test loss" in why
    assert gr.decide({"heldout_prob_real": None, "distinct_2": 0.8, "test_loss_base": 4.0, "test_loss": 4.0}, base,
                     s).startswith("held-out")


def test_alternation_refreshes_the_judge_after_each_round_with_the_generator_in_use(root):
    fake = good_round_fake()
    fake.replies["run1_g2"] = ["sure answer {u} without the magic word"]  # round 2 fails the held-out judge
    seen = []
    tools = fake.tools()
    tools.alternate = lambda generator, round_dir: seen.append((generator, round_dir.name)) or 0.75
    table = gr.run_rounds(root, settings(rounds=2), tools, progress=lambda *a: None)
    assert table["accepted"].tolist() == [True, False]
    # after round 2 (rejected) the refresh uses the accepted run1_g1; each round asks for its own 08 round
    assert seen == [("run1_g1", "round_01"), ("run1_g1", "round_02")]
    assert table["adv_auc_newest"].tolist() == [0.75, 0.75]
