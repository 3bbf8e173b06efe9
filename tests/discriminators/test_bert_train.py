"""Code tests for the discriminators' data handling: counted drops, clipping, splits, class weights (no TF)."""

import numpy as np
import pandas as pd
import pytest

from helpers.discriminators import bert_inputs
from helpers.discriminators import bert_train as bt
from helpers.errors import InputError


def _real(n=12):
    return pd.DataFrame({
        "comment": [f"comment {i}" for i in range(n)], "reply": [f"reply {i}" for i in range(n)],
        "rating": [i % 4 for i in range(n)], "reply_score": list(range(n)),
        "thread_id": [f"t{i % 3}" for i in range(n)], "comment_id": [f"c{i // 2}" for i in range(n)],
        "split": ["train", "validation", "test"] * (n // 3)})


def test_check_pairs_gives_a_reason_per_bad_row_and_clips_long_text():
    long = "word " * 10_000
    c, r, why, clipped = bert_inputs.check_pairs(["a", "b", "c", "d", None, "f", long],
                                        [np.nan, "", "  \n", 7, "ok", "fine", long], sequence_length=8)
    assert why == ["reply is missing (NaN)", "reply is empty", "reply is empty", "reply is not text (int)",
                   "comment is missing (NaN)", "", ""]
    assert clipped == 1 and len(c[6]) == len(r[6]) == bert_inputs.max_chars(8)
    assert r[5] == "fine"


def test_realism_frame_counts_drops_and_labels_real_and_fake():
    real = _real()
    real.loc[0, "reply"] = np.nan
    fake = pd.DataFrame({"comment": ["comment 1", "comment 2", "x"], "reply": ["fake a", "", "fake c"],
                         "thread_id": ["t1", "t2", "t0"], "comment_id": ["c0", "c1", "c2"],
                         "split": ["train", "train", "test"]})
    df, stats = bt.realism_frame(real, fake, 16)
    assert stats["reply is missing (NaN)"] == 1 and stats["reply is empty"] == 1
    assert len(df) == 12 - 1 + 3 - 1
    assert set(df["label"]) == {0, 1} and (df[df["reply"].str.startswith("fake")]["label"] == 0).all()
    # a fake takes its thread's split from the real data (t0's real rows are train)
    assert df.loc[df["reply"] == "fake c", "split"].item() == "train"


def test_realism_frame_holds_out_fakes_when_02_wrote_train_only():
    real = _real(30)
    fake = pd.DataFrame({"comment": [f"comment {i}" for i in range(20)], "reply": [f"fake {i}" for i in range(20)],
                         "thread_id": ["t0"] * 20, "comment_id": [f"c{i}" for i in range(20)], "split": "train"})
    df, stats = bt.realism_frame(real, fake, 16)
    fakes = df[df["label"] == 0]
    assert stats["fake_held_out"] > 0
    assert {"validation", "test"} <= set(fakes["split"]) and (fakes["split"] == "train").any()
    assert fakes.groupby("comment")["split"].nunique().max() == 1


def test_empty_fake_set_is_a_clear_error():
    with pytest.raises(InputError, match="no fake replies.*run 02"):
        bt.realism_frame(_real(), pd.DataFrame(columns=bt.FAKE_COLUMNS))


def test_upvote_frame_drops_ratings_outside_the_bins():
    real = _real()
    real["rating"] = real["rating"].astype(object)
    real.loc[1, "rating"], real.loc[2, "rating"] = 7, "high"
    df, stats = bt.upvote_frame(real, 16)
    assert stats["rating outside 0..3"] == 1 and stats["rating is not a number"] == 1
    assert len(df) == 10 and df["label"].between(0, 3).all()


def test_split_rejects_a_single_class_and_samples_keeping_every_class():
    df = pd.DataFrame({"comment": "c", "reply": "r", "label": [0] * 50 + [1] * 5, "split": "train"})
    parts = bt.split(df, 2, max_train_rows=11, seed=1)
    assert len(parts["train"]) == 11 and set(parts["train"]["label"]) == {0, 1}
    with pytest.raises(InputError, match="single class"):
        bt.split(df.assign(label=1), 2)
    with pytest.raises(InputError, match="no training rows"):
        bt.split(df.assign(split="test"), 2)


def test_class_weights_balance_the_classes():
    w = bt.class_weights([0] * 90 + [1] * 10, 2)
    assert w[0] * 90 == pytest.approx(w[1] * 10) == pytest.approx(50)
    w4 = bt.class_weights([0, 0, 1, 3], 4)
    assert w4[2] == 0.0 and w4[0] * 2 == pytest.approx(w4[1])


def test_base_corpus_uses_train_texts_only():
    texts = bt.base_corpus(_real())
    assert "comment 0" in texts and "reply 0" in texts and "comment 1" not in texts
