"""Source csv: the seed's raw CSVs (pandas to_csv with its index column), and every kind of bad input."""

import pandas as pd
import pytest

from helpers.data.csv_source import find_raw_csvs, read_raw_csvs, read_seed_csv
from helpers.data.prepare import clean_pairs
from helpers.errors import ConfigError, InputError
from helpers.schema import ISSUE, RAW_COLUMNS, SEED_COLUMNS

SEED_ROWS = [
    ["writing", "My post", "First line\nsecond line, with a comma", 'She said "hi", then left', 10, 5, 2,
     "op", "alice", "bob"],
    ["writing", "My post", "First line\nsecond line, with a comma", "Another reply", 10, 5, -1, "op", "alice", "carl"],
    ["scifi", "Other post", "Ships?", "Generation ships, yes.", 4, 3, 7, "op2", "dan", "erin"],
]


def seed_csv(path, rows=SEED_ROWS):
    """Exactly what the seed's get_reddit_from_gbq.py did: DataFrame.to_csv with the index."""
    pd.DataFrame(rows, columns=SEED_COLUMNS).to_csv(path)
    return path


def test_seed_format_with_index_column_multiline_and_quotes(tmp_path):
    df = read_seed_csv(seed_csv(tmp_path / "2018_01.csv"))
    assert list(df.columns) == RAW_COLUMNS + [ISSUE]
    assert df.loc[0, "comment"] == "First line\nsecond line, with a comma"
    assert df.loc[0, "reply"] == 'She said "hi", then left'
    # ids derived from the text: one thread and comment for the first two rows, distinct replies
    assert df.loc[0, "thread_id"] == df.loc[1, "thread_id"] != df.loc[2, "thread_id"]
    assert df.loc[0, "comment_id"] == df.loc[1, "comment_id"] and df["reply_id"].is_unique
    assert df.equals(read_seed_csv(tmp_path / "2018_01.csv"))  # stable ids across reads
    kept, drops, _ = clean_pairs(df)
    assert len(kept) == 3 and not drops and list(kept["reply_score"]) == [2, -1, 7]


def test_our_raw_files_keep_their_ids(tmp_path):
    p = tmp_path / "raw.csv"
    pd.DataFrame([r + ["t9", "c9", f"r{i}"] for i, r in enumerate(SEED_ROWS)], columns=RAW_COLUMNS).to_csv(
        p, index=False)
    df = read_seed_csv(p)
    assert list(df["thread_id"]) == ["t9"] * 3 and list(df["reply_id"]) == ["r0", "r1", "r2"]


def test_nan_bodies_are_counted_drops(tmp_path):
    rows = [list(SEED_ROWS[0]), list(SEED_ROWS[2])]
    rows[0][3] = None  # pandas writes NaN as an empty field
    df = read_seed_csv(seed_csv(tmp_path / "nan.csv", rows))
    kept, drops, _ = clean_pairs(df)
    assert len(kept) == 1 and dict(drops) == {"empty_text": 1}


def test_a_text_that_reads_NA_is_kept(tmp_path):
    rows = [list(SEED_ROWS[2])]
    rows[0][3] = "NA"
    df = read_seed_csv(seed_csv(tmp_path / "na.csv", rows))
    assert df.loc[0, "reply"] == "NA"


def test_non_utf8_rows_are_dropped_and_named(tmp_path, capsys):
    p = seed_csv(tmp_path / "latin1.csv")
    data = p.read_bytes().replace("Ships?".encode(), "Ships caf\xe9?".encode("latin-1"))
    p.write_bytes(data)
    df = read_seed_csv(p)
    assert list(df[ISSUE]) == ["", "", "non_utf8"]
    assert "\ufffd" in df.loc[2, "comment"]
    out = capsys.readouterr().out
    assert "latin1.csv" in out and "rows [3]" in out
    kept, drops, _ = clean_pairs(df)
    assert len(kept) == 2 and dict(drops) == {"source_issue:non_utf8": 1}


def test_missing_columns_name_the_file(tmp_path):
    p = tmp_path / "short.csv"
    pd.DataFrame(SEED_ROWS, columns=SEED_COLUMNS).drop(columns=["reply_score"]).to_csv(p)
    with pytest.raises(InputError, match=r"short\.csv.*missing column\(s\) \['reply_score'\]"):
        read_seed_csv(p)


def test_empty_and_broken_files_are_clear_errors(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match=r"empty\.csv: file is empty"):
        read_seed_csv(tmp_path / "empty.csv")
    broken = tmp_path / "broken.csv"
    broken.write_text(",".join([""] + SEED_COLUMNS) + '\n0,a,"unclosed quote,b\n')
    with pytest.raises(InputError, match=r"broken\.csv"):
        read_seed_csv(broken)
    header_only = tmp_path / "header.csv"
    header_only.write_text(",".join([""] + SEED_COLUMNS) + "\n")
    assert read_raw_csvs([header_only]).empty


def test_raw_glob(tmp_path):
    (tmp_path / "raw").mkdir()
    seed_csv(tmp_path / "raw" / "a.csv")
    seed_csv(tmp_path / "raw" / "b.csv")
    paths = find_raw_csvs("raw/*.csv", base=tmp_path)
    assert [p.name for p in paths] == ["a.csv", "b.csv"]
    assert len(read_raw_csvs(paths)) == 6
    with pytest.raises(ConfigError, match="matched no files"):
        find_raw_csvs("nothing/*.csv", base=tmp_path)
