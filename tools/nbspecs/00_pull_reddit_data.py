TITLE = "Pull and prepare Reddit comment → reply pairs"
ABOUT = """
Gets comment → reply pairs and prepares the seed's three training files. Sources (parameter `source`); the first two
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
  streamed, never loaded whole.
- `csv`: CSVs in the seed's format (its `get_reddit_from_gbq.py` output, index column included) found by `raw_glob`.

Preparation cleans the text (HTML entities, `[deleted]`/`[removed]`, bot authors, empty or link-only text, overlong
text cut to `max_chars`), splits by thread into train / validation / test (no comment sits in two splits), bins reply
scores like the seed (0 if < 1, 1 if 1, 2 if < 5, else 3), and prints what it dropped and why.
"""
READS = ["raw/reddit/<sub>/<post_id>.csv (posts already pulled)",
         "raw/arctic_shift/<sub>/<month>_<kind>.ndjson (months already pulled)",
         "raw/bigquery/<YYYY_MM>.csv (months already pulled)", "<raw_glob> (source csv)",
         "<dump_glob> (source pushshift)", "Reddit or Arctic Shift (sources reddit, arctic_shift)"]
WRITES = ["raw/reddit/<sub>/<post_id>.csv", "raw/arctic_shift/<sub>/<month>_<kind>.ndjson",
          "raw/bigquery/<YYYY_MM>.csv or raw/pushshift/pairs.csv", "gpt2_finetune.csv", "gpt2_generate.csv",
          "bert_gan_real.csv", "data_summary.json"]
RUNTIME = "CPU"
PARAMETERS = '''
source = "sample"  # reddit | arctic_shift (both work today) | sample (bundled, offline) | bigquery | pushshift | csv
subreddits = []  # empty: every subreddit in the sample/CSVs; the other sources need a list, e.g. ["writing", "scifi"]
praw_site = "bot"  # reddit: the praw.ini site (client id + secret suffice), else praw_* env vars, else Colab secrets
praw_ini = ""  # reddit: a praw.ini file to read praw_site from ("": the praw.ini files PRAW itself finds)
reddit_listing = "top"  # reddit: top | controversial | hot | new
reddit_time_filter = "year"  # reddit, top/controversial: all | year | month | week
reddit_posts_per_subreddit = 200  # reddit: posts per subreddit (listed 100 per request)
reddit_replace_more_limit = 8  # reddit: at most this many "load more" requests per post (0: none)
months = ["2018_01"]  # bigquery, arctic_shift: months as "YYYY_MM"; saved per month as each arrives
after = ""  # arctic_shift: a YYYY-MM-DD date; with before, used instead of months
before = ""  # arctic_shift: a YYYY-MM-DD date (exclusive)
arctic_shift_url = "https://arctic-shift.photon-reddit.com"  # arctic_shift: the API's base URL
arctic_shift_interval_s = 1.0  # arctic_shift: seconds between requests (be polite: it is a free service)
comments_table = "fh-bigquery.reddit_comments.{month}"  # bigquery: comments table template (the public tables may be gone)
posts_table = "fh-bigquery.reddit_posts.{month}"  # bigquery: submissions table template
bq_project = ""  # bigquery: the Google Cloud project billed for the queries
max_bytes_billed = 53_687_091_200  # bigquery: 50 GiB; refuse a month whose dry run scans more bytes than this
dump_glob = ""  # pushshift: glob of .zst dumps, absolute or under the Drive root, e.g. "dumps/*.zst"
raw_glob = "raw/csv/*.csv"  # csv: glob of seed-format CSVs, absolute or under the Drive root
max_chars = 1000  # comments and replies longer than this are cut at a word boundary (counted as truncated)
validation_fraction = 0.1  # share of threads for validation (split by thread, stratified by subreddit)
test_fraction = 0.1  # share of threads for test
bot_authors = ["AutoModerator"]  # authors dropped as bots, besides names ending in Bot / _bot
seed = 1234  # reproducibility: the thread split
'''
CELLS = [
    '''from helpers import drive as drv
from helpers.drive import open_drive
from helpers.files import read_csv
from helpers.data.prepare import DEFAULT_BOTS, prepare
from helpers.data.sources import load_raw

drive = open_drive(drive_root, drive_backend, gdrive_folder)
bots = sorted(set(DEFAULT_BOTS) | set(bot_authors))''',
    '''reddit_options = {"praw_site": praw_site, "praw_ini": praw_ini, "listing": reddit_listing,
                  "time_filter": reddit_time_filter, "posts_per_subreddit": reddit_posts_per_subreddit,
                  "replace_more_limit": reddit_replace_more_limit}
arctic_shift_options = {"base_url": arctic_shift_url, "after": after, "before": before,
                        "interval_s": arctic_shift_interval_s}
raw, source_stats = load_raw(source, drive, subreddits=subreddits, months=months, comments_table=comments_table,
                             posts_table=posts_table, bq_project=bq_project, max_bytes_billed=max_bytes_billed,
                             dump_glob=dump_glob, raw_glob=raw_glob, reddit=reddit_options,
                             arctic_shift=arctic_shift_options)
print(f"{len(raw)} raw comment/reply rows from {source}")
raw.head(3)''',
    '''summary = prepare(raw, drive, source=source, max_chars=max_chars, validation_fraction=validation_fraction,
                  test_fraction=test_fraction, seed=seed, bots=bots, source_stats=source_stats)''',
    '''for name in (drv.GPT2_FINETUNE, drv.GPT2_GENERATE, drv.BERT_GAN_REAL):
    df = read_csv(drive.path(name))
    print(f"{name}: {len(df)} rows, columns {list(df.columns)}")
read_csv(drive.path(drv.BERT_GAN_REAL)).head(5)''',
    '''drive.push(drv.RAW_PUSHSHIFT, drv.GPT2_FINETUNE, drv.GPT2_GENERATE, drv.BERT_GAN_REAL, drv.DATA_SUMMARY)''',
]
