"""Stage 00's row of the contract: pull comment → reply pairs and prepare the seed's three training files."""

from __future__ import annotations

from .. import drive as drv
from .generator import CONTEXT_DEPTH
from .spec import File, P, Stage

STAGE_00 = Stage(
    key="00", name="pull_reddit_data", part="data", title="Pull and prepare Reddit comment → reply pairs",
    runtime="CPU",
    reads=(File(f"{drv.RAW_REDDIT}/<sub>/<post_id>.csv", "posts already pulled"),
           File(f"{drv.RAW_ARCTIC_SHIFT}/<sub>/<month>_<kind>.ndjson", "months already pulled"),
           File(f"{drv.RAW_BIGQUERY}/<YYYY_MM>.csv", "months already pulled"),
           File("<raw_glob>", "source csv"), File("<dump_glob>", "source pushshift")),
    # the raw files are pushed by the sources the moment each is saved (a post, a month), not again at the end
    writes=(File(f"{drv.RAW_REDDIT}/<sub>/<post_id>.csv", "source reddit", synced=False),
            File(f"{drv.RAW_ARCTIC_SHIFT}/<sub>/<month>_<kind>.ndjson", "source arctic_shift", synced=False),
            File(f"{drv.RAW_BIGQUERY}/<YYYY_MM>.csv", "source bigquery", synced=False),
            File(drv.RAW_PUSHSHIFT, "source pushshift", synced=False),
            File(drv.GPT2_FINETUNE), File(drv.GPT2_GENERATE), File(drv.BERT_GAN_REAL), File(drv.DATA_SUMMARY)),
    reads_also="Reddit or Arctic Shift (sources reddit, arctic_shift)",
    params=(
    P("source", "sample",
      "reddit | arctic_shift (both work today) | sample (bundled, offline) | bigquery | pushshift | csv"),
    P("subreddits", [],
      "empty: every subreddit in the sample/CSVs; the other sources need a list, e.g. [\"writing\", \"scifi\"]"),
    P("praw_site", "bot",
      "reddit: the praw.ini site (client id + secret suffice), else praw_* env vars, else Colab secrets"),
    P("praw_ini", "", 'reddit: a praw.ini file to read praw_site from ("": the praw.ini files PRAW itself finds)'),
    P("reddit_listing", "top", "reddit: top | controversial | hot | new"),
    P("reddit_time_filter", "year", "reddit, top/controversial: all | year | month | week"),
    P("reddit_posts_per_subreddit", 200, "reddit: posts per subreddit (listed 100 per request)"),
    P("reddit_replace_more_limit", 8, 'reddit: at most this many "load more" requests per post (0: none)'),
    P("months", ["2018_01"], 'bigquery, arctic_shift: months as "YYYY_MM"; saved per month as each arrives'),
    P("after", "", "arctic_shift: a YYYY-MM-DD date; with before, used instead of months"),
    P("before", "", "arctic_shift: a YYYY-MM-DD date (exclusive)"),
    P("arctic_shift_url", "https://arctic-shift.photon-reddit.com", "arctic_shift: the API's base URL"),
    P("arctic_shift_interval_s", 1.0, "arctic_shift: seconds between requests (be polite: it is a free service)"),
    P("comments_table", "fh-bigquery.reddit_comments.{month}",
      "bigquery: comments table template (the public tables may be gone)"),
    P("posts_table", "fh-bigquery.reddit_posts.{month}", "bigquery: submissions table template"),
    P("bq_project", "", "bigquery: the Google Cloud project billed for the queries"),
    P("max_bytes_billed", 53_687_091_200,
      "bigquery: 50 GiB; refuse a month whose dry run scans more bytes than this", low=0),
    P("dump_glob", "", 'pushshift: glob of .zst dumps, absolute or under the Drive root, e.g. "dumps/*.zst"'),
    P("raw_glob", "raw/csv/*.csv", "csv: glob of seed-format CSVs, absolute or under the Drive root"),
    P("max_chars", 1000,
      "comments and replies longer than this are cut at a word boundary (counted as truncated)", low=1),
    CONTEXT_DEPTH,
    P("validation_fraction", 0.1,
      "share of threads for validation (split by thread, stratified by subreddit)", low=0, high=1, high_open=True),
    P("test_fraction", 0.1, "share of threads for test", low=0, high=1, high_open=True),
    P("bot_authors", ["AutoModerator"], "authors dropped as bots, besides names ending in Bot / _bot"),
    P("seed", 1234, "reproducibility: the thread split", low=0),
    ),
)
