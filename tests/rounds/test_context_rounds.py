"""08, 09 and `evaluate` carry the thread context too: their prompts keep it (08's and evaluate's as the context
column the generation child and the scorer read, 09's inside the comment it prompts, judges and trains on), so a
round's documents are 01's documents."""

import pandas as pd

from helpers.context import format_document
from helpers.generator.worker import weighted_documents
from helpers.pipeline.evaluate import pick_test_comments
from helpers.rounds import rounds_data
from helpers.rounds.adversarial_fakes import pick_comments

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
    assert weighted_documents(train)[0] == want
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


def test_09_human_replies_carry_the_context_05_generated_them_from(tmp_path, caplog):
    """Approved replies come back from the review sheet without their thread: at depth >= 1 the documents need the
    context 05 prompted with (proposed_replies' `context`, by comment_id); one whose context is missing is a counted
    drop with a warning, never a context-free document slipped in."""
    import json

    from helpers import drive as drv
    from helpers.files import write_csv

    (tmp_path / drv.DATA_SUMMARY).write_text(json.dumps({"rows_out": 6, "context_depth": 1}), encoding="utf-8")
    write_csv(pd.DataFrame({"post_id": ["p1", "p2"], "comment_id": ["h1", "h2"], "comment": ["Add salt?", "[SEP] no"],
                            "reply": ["A pinch, at the end.", "Taste first."], "approved": ["yes", "yes"]}),
              tmp_path / drv.REVIEW_SHEET.format(date="2026-01-02"))
    write_csv(pd.DataFrame({"comment_id": ["h1", "h1", "x9"], "comment": ["Add salt?"] * 3,
                            "proposed_reply": ["a", "b", "c"], "context": [CTX, CTX, CTX]}),
              tmp_path / drv.PROPOSED_REPLIES.format(date="2026-01-02"))
    with caplog.at_level("WARNING"):
        human, _, stats = rounds_data.human_signal(tmp_path)
    assert human["comment"].tolist() == [CTX + "Add salt?"]
    assert weighted_documents(human) == [format_document("Soup tips?", ["Lower the heat."], "Add salt?",
                                                         "A pinch, at the end.", 1)]
    assert stats["dropped_no_context"] == 1 and "h2" in caplog.text and "proposed_replies" in caplog.text
    (tmp_path / drv.DATA_SUMMARY).write_text(json.dumps({"rows_out": 6}), encoding="utf-8")  # depth 0: as before
    human, _, stats = rounds_data.human_signal(tmp_path)
    assert human["comment"].tolist() == ["Add salt?", "[SEP] no"] and stats["dropped_no_context"] == 0
