"""The judges see what GPT-2 saw: with thread context (00's context_depth >= 1) 02 prompts with context + comment and
its fakes keep the context column, and the realism and upvote data (03, 04, 08 training; 06 scoring) put context +
comment in the first BERT segment; files without the column (depth 0, older files) are read as before."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.context import format_document
from helpers.discriminators import bert_train
from helpers.discriminators.scoring import Scorer
from helpers.files import read_csv
from helpers.generator.fakes import generate_fakes, select_comments

CTX = ["[TITLE] Soup tips? [PARENT] Lower the heat. [COMMENT] ", "[TITLE] Soup tips? [COMMENT] "]


def real(context: bool = True) -> pd.DataFrame:
    df = pd.DataFrame({"comment": ["And stir more.", "Salt early."], "reply": ["Stirring helps.", "Late, not early."],
                       "real": 1, "rating": [3, 0], "reply_score": [9, 0], "comment_score": [5, 2],
                       "subreddit": "Cooking", "thread_id": ["t1", "t2"], "comment_id": ["c1", "c2"],
                       "reply_id": ["r1", "r2"], "split": ["train", "train"]})
    return df.assign(context=CTX) if context else df


class RecordingEngine:
    checkpoint, seed = "checkpoint/run1/model-10", 1

    def __init__(self):
        self.prompts, self.last_stats = [], {}

    def generate(self, comments, n=1, on_comment=None, **kw):
        self.prompts += list(comments)
        rows = [(i, k, c, "A fake reply.", True) for i, c in enumerate(comments) for k in range(n)]
        return pd.DataFrame(rows, columns=["comment_idx", "candidate_idx", "comment", "reply", "generation_ended"])


def test_02_prompts_with_the_context_and_its_fakes_keep_it(tmp_path):
    generate = real().drop(columns=["reply", "real", "rating", "reply_score", "comment_score", "reply_id"])
    engine = RecordingEngine()
    generate_fakes(engine, select_comments(generate, split="train"), tmp_path, chunk_size=10, n=1, progress=False)
    assert engine.prompts == [c + t for c, t in zip(CTX, generate["comment"])]
    fakes = read_csv(tmp_path / "bert_gan_fake_0000.csv")
    assert list(fakes["context"]) == CTX and list(fakes["comment"]) == list(generate["comment"])


def test_realism_and_upvote_data_put_the_context_before_the_comment():
    fake = real().assign(reply=["Fake one.", "Fake two."], real=0)
    df, _ = bert_train.realism_frame(real(), fake, seed=1)
    assert set(df["comment"]) == {c + t for c, t in zip(CTX, real()["comment"])}
    doc = format_document("Soup tips?", ["Lower the heat."], "And stir more.", "Stirring helps.", 1)
    assert doc.split(" [SEP] ")[0] in set(df["comment"])  # the very text GPT-2 was trained on before [SEP]
    up, _ = bert_train.upvote_frame(real())
    assert list(up["comment"]) == [c + t for c, t in zip(CTX, real()["comment"])]
    assert "[TITLE] Soup tips?" in " ".join(bert_train.base_corpus(real()))
    old, _ = bert_train.upvote_frame(real(context=False))
    assert list(old["comment"]) == list(real()["comment"])


class SeeingScorer(Scorer):
    """The real Scorer.score with the two models replaced by a record of what they were given."""

    def __init__(self):
        self.num_bins, self.seen, self.batch_size, self.last_stats = 4, [], 8, {}

    @property
    def sequence_length(self) -> int:
        return 64

    def predict(self, comments, replies):
        self.seen += list(comments)
        return np.tile([0.1, 0.9], (len(comments), 1)), np.tile([0.25] * 4, (len(comments), 1))


def test_06_scores_proposals_with_their_context():
    proposed = real().rename(columns={"reply": "proposed_reply"})
    scorer = SeeingScorer()
    scorer.score(proposed, comment_col="comment", reply_col="proposed_reply")
    assert scorer.seen == [c + t for c, t in zip(CTX, proposed["comment"])]
    scorer.seen = []
    scorer.score(proposed.drop(columns="context"), comment_col="comment", reply_col="proposed_reply")
    assert scorer.seen == list(proposed["comment"])
