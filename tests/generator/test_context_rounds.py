"""08, 09 and `evaluate` carry the thread context too: their prompts keep it (08's and evaluate's as the context
column the generation child and the scorer read, 09's inside the comment it prompts, judges and trains on), so a
round's documents are 01's documents."""

import pandas as pd

from helpers.context import format_document
from helpers.pipeline.evaluate import pick_test_comments
from helpers.tracking import rounds_data
from helpers.tracking.adversarial_fakes import pick_comments

CTX = "[TITLE] Soup tips? [PARENT] Lower the heat. [COMMENT] "


def generate(context: bool = True) -> pd.DataFrame:
    df = pd.DataFrame({"comment": [f"Comment {i}." for i in range(6)], "comment_id": [f"c{i}" for i in range(6)],
                       "thread_id": [f"t{i}" for i in range(6)], "subreddit": "Cooking",
                       "split": ["train", "train", "train", "test", "test", "validation"]})
    return df.assign(context=CTX) if context else df


def test_09_prompts_and_documents_are_01s_documents():
    prompts = rounds_data.pick_prompts(generate(), k=1, n=2, seed=3)
    assert prompts["comment"].str.startswith(CTX).all() and "context" not in prompts.columns
    held = rounds_data.pick_eval_comments(generate(), n=2, seed=3)
    assert held["comment"].str.startswith(CTX).all()
    train = pd.DataFrame({"comment": prompts["comment"], "reply": "Stir more.", "weight": 1})
    want = format_document("Soup tips?", ["Lower the heat."], prompts["comment"][0][len(CTX):], "Stir more.", 1)
    assert rounds_data.documents(train)[0] == want
    assert rounds_data.pick_prompts(generate(False), k=1, n=2, seed=3)["comment"].str.startswith("Comment").all()


def test_09_replays_real_pairs_with_their_context():
    real = generate().assign(reply="Real reply.")
    kept = pd.DataFrame({"comment": [CTX + "Comment 0."], "proposed_reply": ["A candidate."], "comment_id": ["c0"]})
    out, _ = rounds_data.training_set(kept, real, pd.DataFrame(columns=rounds_data.TRAIN_COLUMNS), set(), set(),
                                      replay_share=0.5, seed=1)
    assert out["comment"].str.startswith(CTX).all()


def test_08_and_evaluate_keep_the_context_column_for_the_generation_child():
    assert (pick_comments(generate(), k=1, n_train=2, n_eval=1, seed=2)["context"] == CTX).all()
    assert (pick_test_comments(generate(), n=2, seed=2)["context"] == CTX).all()
    assert "context" not in pick_test_comments(generate(False), n=2, seed=2).columns
