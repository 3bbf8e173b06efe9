"""Preparation: counted drops, cleaning, the thread split, the seed's rating bins, the three files' contract."""

import json

import pandas as pd
import pytest

from helpers import drive as drv
from helpers.data.prepare import assign_splits, build_outputs, clean_pairs, is_bot, prepare, rating_bin, truncate
from helpers.errors import ConfigError
from helpers.schema import FINETUNE_COLUMNS, GENERATE_COLUMNS, RAW_COLUMNS, REAL_COLUMNS


def row(**kw):
    base = {"subreddit": "writing", "submission": "A post", "comment": "A comment", "reply": "A reply",
            "submission_score": 3, "comment_score": 2, "reply_score": 1, "submission_author": "s",
            "comment_author": "c", "reply_author": "r", "thread_id": "t1", "comment_id": "c1", "reply_id": "r1"}
    base.update(kw)
    return base


def frame(*rows):
    return pd.DataFrame(list(rows), columns=RAW_COLUMNS)


@pytest.mark.parametrize("score,expected", [(-5, 0), (0, 0), (0.5, 0), (1, 1), (2, 2), (4, 2), (4.9, 2), (5, 3),
                                            (1000, 3)])
def test_rating_bins_are_the_seeds(score, expected):
    assert rating_bin(score) == expected


def test_each_dropped_row_is_counted_under_its_first_reason():
    raw = frame(
        row(reply_id="ok", reply="Kept &amp;#x200B; reply"),
        row(reply_id="a", reply="[deleted]"),
        row(reply_id="b", comment="[removed]"),
        row(reply_id="c", reply_author="AutoModerator", reply="Removed."),
        row(reply_id="d", reply_author="WikiTextBot", reply="Summary."),
        row(reply_id="e", reply=None),
        row(reply_id="f", reply="   "),
        row(reply_id="g", reply="https://example.com/x"),
        row(reply_id="h", reply="[link](https://example.com/y)"),
        row(reply_id="i", reply_score="lots"),
        row(reply_id="j", reply="&#x200B;"),  # empty only after cleaning
        row(reply_id="ok", reply="Kept &amp;#x200B; reply"),  # same reply id again
        row(reply_id="k", reply="[deleted]", reply_author="AutoModerator"),  # first reason wins: deleted
    )
    kept, drops, notes = clean_pairs(raw)
    assert list(kept["reply_id"]) == ["ok"]
    assert kept.loc[0, "reply"] == "Kept reply"
    assert dict(drops) == {"deleted": 3, "bot_author": 2, "empty_text": 3, "link_only": 2, "bad_score": 1,
                           "duplicate": 1}
    assert sum(drops.values()) + len(kept) == len(raw)


def test_source_issues_are_drops_with_their_reason():
    raw = frame(row(reply_id="a"), row(reply_id="b")).assign(source_issue=["", "non_utf8"])
    kept, drops, _ = clean_pairs(raw)
    assert list(kept["reply_id"]) == ["a"] and dict(drops) == {"source_issue:non_utf8": 1}


def test_overlong_text_is_cut_at_a_word_and_counted():
    long = "word " * 300
    kept, drops, notes = clean_pairs(frame(row(reply=long)), max_chars=100)
    assert len(kept) == 1 and not drops and notes["truncated"] == 1
    assert len(kept.loc[0, "reply"]) <= 100 and kept.loc[0, "reply"].endswith("word")
    assert truncate("abc", 10) == "abc"


def test_bot_names():
    assert is_bot("AutoModerator") and is_bot("automoderator") and is_bot("RemindMeBot") and is_bot("timee_bot")
    assert not is_bot("Talbot") and not is_bot("abbot") and not is_bot("") and not is_bot(None)
    assert is_bot("helper", bots=["helper"])


def test_missing_raw_columns_is_a_config_error():
    with pytest.raises(ConfigError, match="reply_id"):
        clean_pairs(frame(row()).drop(columns=["reply_id"]))


def _threads(n_subs=3, n_threads=10, replies=3):
    rows = []
    for s in range(n_subs):
        for t in range(n_threads):
            for r in range(replies):
                rows.append(row(subreddit=f"sub{s}", thread_id=f"s{s}t{t}", comment_id=f"s{s}t{t}c",
                                reply_id=f"s{s}t{t}r{r}", comment=f"comment {s} {t}", reply=f"reply {s} {t} {r}"))
    return frame(*rows)


def test_split_is_by_thread_stratified_and_deterministic():
    df = _threads()
    split = assign_splits(df, 0.1, 0.2, seed=7)
    per_thread = df.assign(split=split).groupby("thread_id")["split"].nunique()
    assert (per_thread == 1).all()  # no thread (so no comment) sits in two splits
    threads = df.assign(split=split).drop_duplicates("thread_id")
    assert threads["split"].value_counts().to_dict() == {"train": 21, "test": 6, "validation": 3}
    assert set(threads.loc[threads["split"] == "test", "subreddit"]) == {"sub0", "sub1", "sub2"}
    assert split.equals(assign_splits(df, 0.1, 0.2, seed=7))
    assert not split.equals(assign_splits(df, 0.1, 0.2, seed=8))


def test_small_data_still_gets_validation_and_test():
    split = assign_splits(_threads(n_subs=1, n_threads=3), 0.1, 0.1)
    assert set(split) == {"train", "validation", "test"}
    with pytest.raises(ConfigError, match="fraction"):
        assign_splits(_threads(), 0.6, 0.5)


def test_outputs_follow_the_contract():
    df = _threads(n_subs=2, n_threads=4, replies=2).assign(reply_score=[0, 1, 3, 9] * 4)
    df["split"] = assign_splits(df)
    out = build_outputs(df)
    ft, gen, real = out[drv.GPT2_FINETUNE], out[drv.GPT2_GENERATE], out[drv.BERT_GAN_REAL]
    assert list(ft.columns) == FINETUNE_COLUMNS and list(gen.columns) == GENERATE_COLUMNS
    assert list(real.columns) == REAL_COLUMNS
    assert ft.loc[0, "text"] == "comment 0 0 [SEP] reply 0 0 0"
    assert len(gen) == 8 and gen["comment"].is_unique
    assert list(real["rating"][:4]) == [0, 1, 2, 3] and (real["real"] == 1).all()


def test_prepare_writes_files_and_a_summary_that_adds_up(tmp_path, capsys):
    drive = drv.open_drive(tmp_path, "local")
    raw = pd.concat([_threads(), frame(row(thread_id="x", reply="[deleted]"))], ignore_index=True)
    s = prepare(raw, drive, source="test", seed=1)
    assert s["rows_in"] == 91 and s["dropped"] == {"deleted": 1} and s["rows_out"] == 90
    assert sum(s["rows_per_split"].values()) == 90
    assert sum(sum(v.values()) for v in s["rows_per_subreddit"].values()) == 90
    assert json.loads(drive.path(drv.DATA_SUMMARY).read_text()) == s
    printed = capsys.readouterr().out
    assert "deleted: 1" in printed and "sub2" in printed and "rows out: 90" in printed
    real = pd.read_csv(drive.path(drv.BERT_GAN_REAL))
    assert real["rating"].dtype.kind == "i" and len(real) == 90
    assert not list(tmp_path.glob(".*.tmp"))


def test_prepare_with_nothing_usable_says_why(tmp_path):
    with pytest.raises(ConfigError, match="deleted"):
        prepare(frame(row(reply="[deleted]")), drv.open_drive(tmp_path, "local"))
