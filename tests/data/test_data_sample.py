"""The bundled corpus: big and varied enough for the later stages, reproducible, and visibly dirty in places."""

import pandas as pd

from helpers.data.csv_source import load_sample
from helpers.data.prepare import clean_pairs
from helpers.offline.sample import build_sample, data_path
from helpers.schema import RAW_COLUMNS


def test_committed_sample_is_what_the_generator_writes():
    committed = pd.read_csv(data_path("sample_pairs.csv"), dtype=str, keep_default_na=False)
    fresh = build_sample().astype(str)
    assert list(committed.columns) == RAW_COLUMNS
    pd.testing.assert_frame_equal(committed, fresh, check_dtype=False)


def test_sample_is_large_varied_and_scored():
    kept, drops, notes = clean_pairs(load_sample())
    assert len(kept) >= 500 and kept["subreddit"].nunique() >= 6
    assert kept["thread_id"].nunique() >= 60
    per_comment = kept.groupby("comment_id")["reply_score"].agg(["size", "nunique"])
    assert (per_comment["size"] >= 3).mean() > 0.95 and (per_comment["nunique"] >= 2).mean() > 0.95  # for 04
    assert kept["reply"].nunique() > 300  # varied text, not a handful of lines repeated
    bins = pd.cut(kept["reply_score"], [-100, 0, 1, 4, 1000]).value_counts()
    assert (bins > 60).all()  # every one of the seed's four rating bins is well represented
    assert {"deleted", "bot_author", "link_only", "empty_text", "duplicate", "bad_score"} <= set(drops)
    assert notes["truncated"] >= 1
    assert kept["comment"].str.contains("\n").any()  # multi-line text survives


def test_sample_text_is_clean_after_preparation():
    kept, _, _ = clean_pairs(load_sample())
    text = pd.concat([kept["comment"], kept["reply"]])
    assert not text.str.contains("&amp;|&gt;|&#x200B;|\u200b", regex=True).any()
