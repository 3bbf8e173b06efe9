"""The stage's front door: the `source` parameter picks a reader; a subreddit filter is counted, not silent."""

import pandas as pd
import pytest

from helpers import drive as drv
from helpers.data.prepare import prepare
from helpers.data.sources import load_raw
from helpers.errors import ConfigError
from helpers.schema import ISSUE, RAW_COLUMNS, SEED_COLUMNS


def test_sample_with_a_subreddit_filter(tmp_path):
    drive = drv.open_drive(tmp_path, "local")
    df, stats = load_raw("sample", drive, subreddits=["r/Writing", "scifi"])
    assert set(df["subreddit"]) == {"writing", "scifi"} and list(df.columns) == RAW_COLUMNS + [ISSUE]
    assert stats["other_subreddit_rows_skipped"] > 400 and stats["rows"] == len(df)
    s = prepare(df, drive, source="sample", source_stats=stats, verbose=False)
    assert set(s["rows_per_subreddit"]) == {"writing", "scifi"}
    assert s["source_stats"]["other_subreddit_rows_skipped"] == stats["other_subreddit_rows_skipped"]


def test_csv_source_reads_seed_files_under_the_drive_root(tmp_path):
    drive = drv.open_drive(tmp_path, "local")
    (tmp_path / "raw" / "csv").mkdir(parents=True)
    rows = [["writing", "post", f"comment {i}", f"reply {i}", 1, 2, i, "op", "a", "b"] for i in range(4)]
    pd.DataFrame(rows, columns=SEED_COLUMNS).to_csv(tmp_path / "raw" / "csv" / "2017_05.csv")
    df, stats = load_raw("csv", drive, raw_glob="raw/csv/*.csv")
    assert len(df) == 4 and stats["files"] == [str(tmp_path / "raw" / "csv" / "2017_05.csv")]
    with pytest.raises(ConfigError, match="raw_glob 'raw/none/\\*.csv' matched no files"):
        load_raw("csv", drive, raw_glob="raw/none/*.csv")


def test_unknown_source_and_missing_settings(tmp_path):
    drive = drv.open_drive(tmp_path, "local")
    with pytest.raises(ConfigError,
                       match="source must be one of reddit, arctic_shift, sample, bigquery, pushshift, csv"):
        load_raw("praw", drive)
    with pytest.raises(ConfigError, match="source 'reddit' needs subreddits"):
        load_raw("reddit", drive)
    with pytest.raises(ConfigError, match="source 'arctic_shift' needs subreddits"):
        load_raw("arctic_shift", drive)
    with pytest.raises(ConfigError, match="dump_glob"):
        load_raw("pushshift", drive, subreddits=["writing"])
