"""Gets comment → reply pairs and prepares the seed's three training files. Sources (parameter `source`); the first two
work for anyone today:

- `reddit`: Reddit's own API through PRAW, read-only (a script app's client id and secret; no username or password).
  For each of `subreddits`, `reddit_posts_per_subreddit` posts of the `reddit_listing` (top, controversial, hot, new;
  `reddit_time_filter` for top/controversial), each post's comment tree expanded (`reddit_replace_more_limit` "load
  more" requests at most), every reply to a top-level comment by neither that comment's nor the post's author. Posts
  without selftext are kept, with their title as the submission. Saved per post to `raw/reddit/<sub>/<post_id>.csv`;
  a re-run skips saved posts. Credentials as in 05: praw.ini site `praw_site`, `praw_*` variables or Colab secrets.
- `arctic_shift`: the Arctic Shift archive API (`arctic_shift_url`), posts and comments of each subreddit over
  `months` (or `after`/`before` dates), paced one request per `arctic_shift_interval_s`, retried on 429/5xx. Saved per
  subreddit and month to `raw/arctic_shift/<sub>/`; a re-run skips saved months. Paired like the Pushshift dumps.
- `sample` (default, offline): a bundled corpus written for this project (8 subreddits, ~650 pairs, a few dirty rows).
- `bigquery`: the seed's query (each top-level comment joined to its replies and its submission; replies by neither
  the comment's nor the submission's author; submissions with a selftext) for a list of `months`, in the tables named
  by `comments_table` / `posts_table` (the public `fh-bigquery` tables answer "Access Denied" since 2025: point these
  at your own copy). Each month is dry-run first (the bytes it will scan are printed and checked
  against `max_bytes_billed`) and saved to `raw/bigquery/<month>.csv` as it arrives; a re-run skips saved months.
- `pushshift`: Reddit dump files (`RC_/RS_YYYY-MM.zst` or `<sub>_comments/_submissions.zst`) found by `dump_glob`,
  streamed, never loaded whole; the pairs are saved to `raw/pushshift/pairs.csv`.
- `csv`: CSVs in the seed's format (its `get_reddit_from_gbq.py` output, index column included) found by `raw_glob`.

Raw files are sent to Drive as each is saved (gdrive backend), so a disconnect loses no finished post or month.
Thread context (`context_depth`, drive_layout.md): 0 (default) writes the seed's `comment [SEP] reply` lines; d also
pairs comments with up to d comments above them and puts the post's title and those comments, tagged, before the
comment in every document, prompt and judge input. Set 05's `context_depth` the same.

Preparation cleans the text (HTML entities, `[deleted]`/`[removed]`, bot authors, empty or link-only text, overlong
text cut to `max_chars`), splits by thread into train / validation / test (no comment sits in two splits), bins reply
scores like the seed (0 if < 1, 1 if 1, 2 if < 5, else 3), and prints what it dropped and why. The code is
`helpers/data/` (`sources.py` picks the reader, `prepare.py` cleans and splits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import drive as drv
from ..contract import Params
from ..files import read_csv
from ..stage import StageRun, open_stage, push_outputs
from .prepare import bot_list, prepare
from .sources import load_raw

KEY = "00"
OUTPUTS = (drv.GPT2_FINETUNE, drv.GPT2_GENERATE, drv.BERT_GAN_REAL)


@dataclass
class DataRun(StageRun):
    """A 00 run in progress: the raw pairs and what the source reported, then the preparation's summary."""

    raw: pd.DataFrame = field(default_factory=pd.DataFrame)
    source_stats: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


def start(p: Params) -> DataRun:
    return DataRun(p, open_stage(KEY, p))


def load(run: DataRun) -> pd.DataFrame:
    """Raw comment/reply pairs from the chosen `source` (raw files saved, and sent to Drive, as they arrive); the first
    rows."""
    p = run.p
    reddit = {"praw_site": p.praw_site, "praw_ini": p.praw_ini, "listing": p.reddit_listing,
              "time_filter": p.reddit_time_filter, "posts_per_subreddit": p.reddit_posts_per_subreddit,
              "replace_more_limit": p.reddit_replace_more_limit}
    arctic_shift = {"base_url": p.arctic_shift_url, "after": p.after, "before": p.before,
                    "interval_s": p.arctic_shift_interval_s}
    run.raw, run.source_stats = load_raw(p.source, run.drive, subreddits=p.subreddits, months=p.months,
                                         comments_table=p.comments_table, posts_table=p.posts_table,
                                         bq_project=p.bq_project, max_bytes_billed=p.max_bytes_billed,
                                         dump_glob=p.dump_glob, raw_glob=p.raw_glob, reddit=reddit,
                                         arctic_shift=arctic_shift, context_depth=p.context_depth)
    print(f"{len(run.raw)} raw comment/reply rows from {p.source}")
    return run.raw.head(3)


def prepare_files(run: DataRun) -> None:
    """Clean, split by thread and bin the pairs; write the three training files and data_summary.json, and print what
    was dropped and why."""
    p = run.p
    run.summary = prepare(run.raw, run.drive, source=p.source, max_chars=p.max_chars,
                          validation_fraction=p.validation_fraction, test_fraction=p.test_fraction, seed=p.seed,
                          bots=bot_list(p.bot_authors), source_stats=run.source_stats, context_depth=p.context_depth)


def check_files(run: DataRun) -> pd.DataFrame:
    """Each training file's rows and columns, and the first real replies as 02, 03 and 04 will read them."""
    for name in OUTPUTS:
        df = read_csv(run.drive.path(name))
        print(f"{name}: {len(df)} rows, columns {list(df.columns)}")
    return read_csv(run.drive.path(drv.BERT_GAN_REAL)).head(5)


def push(run: DataRun) -> None:
    """Send the training files and data_summary.json to Drive (gdrive backend; elsewhere already there); the raw
    posts, months and Pushshift pairs went as each was saved."""
    push_outputs(KEY, run.p, run.drive)  # the raw files are synced=False in the contract: not sent twice


STEPS = (load, prepare_files, check_files, push)
