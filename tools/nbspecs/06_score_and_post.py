TITLE = "Score, select, review and post replies"
ABOUT = """
Scores every candidate from 05 with both BERT classifiers, picks at most one reply per post, asks a person to approve,
and posts the approved replies with PRAW (the seed's steps 6 and 7).

- **Score:** `prob_real` (realism classifier: 03's, or 08's refreshed one once a refresh round has run — parameter
  `realism_model`) and `expected_score` = Σ k·p_k over the upvote bins (04).
- **Select** (the seed's rule, every threshold a parameter): `prob_real > min_prob_real`, fewer than
  `max_reply_chars` characters, no word or phrase of `blocklist`, no link unless `allow_links`, then the highest
  `expected_score`, one per post.
- **Quality filters** (each a parameter; the reason is named in the predictions file's `rejected` column, in the
  review sheet's `rejected_for_post` and in the report): `parrot` (at least `parrot_threshold` similar to its comment
  or the post title), `repetition` (loops on a phrase or a word), `unfinished` (marker fragments, or cut at the length
  limit), `too_short` (fewer than `min_reply_words` words), `mention` (u/… or r/… unless `allow_mentions`),
  `posted_before` (what the bot already posted within `repeat_window_days`, from the ledger; `repeat_in_run`: one
  text chosen for two posts of this run keeps only the better-scored one) and, optionally,
  `toxicity:<label>` (`toxicity_model`, per-label `toxicity_thresholds`).
- **Quality measured:** distinct-1/2, repeated-trigram rate, parrot rate, length, `prob_real` and `expected_score`
  of all candidates, of the selected replies and of real test-split replies, and the selection lift, written to
  `metrics/quality_<date>.json` and shown in the report.
- **Review:** `live/review_<date>.csv` holds the chosen reply, runner-ups, scores and an `approved` column. Approve by
  writing `True` (or yes / y / 1 / x / ✓ / approved, any case) there on Drive, or list comment ids in `approve_ids`
  here, and run this notebook again. Only approved rows are posted, unless `auto_approve = True` is set explicitly.
  The sheet may be saved by Excel or Google Sheets (comma, semicolon or tab; any header case); cells that a
  spreadsheet would run as formulas are written with a `'` prefix, removed again on reading. Before the sheet is
  rewritten the previous one is kept as `live/review_<date>.bak.csv`.
- **Post:** `dry_run = True` (default) sends nothing and writes what would be posted to `live/would_post_<date>.csv`.
  A real run re-checks each comment just before posting (still there, thread open, no reply from the bot yet), waits a
  random `delay_min_s`..`delay_max_s` between posts, stops at `max_posts_per_run` and
  `max_posts_per_subreddit_per_day`, and can add a `disclosure_footer`. The posting ledger records every attempt
  before and after the API call, so a run killed at any point and run again never posts a reply twice and never drops
  an approved one; Reddit errors (rate limit: waits as told up to `max_rate_limit_wait_s`; 5xx; deleted comment;
  locked thread; banned) are recorded per row and the batch goes on. An outcome Reddit's answer does not tell (5xx,
  timeout, a non-JSON answer, a 401 that persists) is "unknown" and re-checked on Reddit first by the next run.
- **Safety:** posting holds the Drive root's posting lock (a second run refuses, naming the holder; `break_lease`
  takes over a lease a dead run left on Drive). Where a reply goes comes from Reddit, not from the sheet: only
  comments 05 proposed are posted, one per post and the caps use Reddit's post and subreddit, and an edited reply
  passes the same blocklist, link and length checks as selection.

`reddit = "recorded"` (the offline demo) re-checks against the bundled recorded threads and is always a dry run.
Please post responsibly: tell the subreddit's moderators, respect each subreddit's rules on bots, and keep a footer.
"""
READS = ["live/proposed_replies_<date>.csv", "models/bert_realism/", "models/bert_realism_refreshed/",
         "models/bert_upvote/", "live/review_<date>.csv",
         "live/posting_ledger.csv", "bert_gan_real.csv"]
WRITES = ["live/reply_score_predictions_<date>.csv", "live/review_<date>.csv", "live/review_<date>.bak.csv",
          "live/would_post_<date>.csv", "live/posting_ledger.csv", "live/posting_lease.json (while posting)",
          "metrics/quality_<date>.json"]
RUNTIME = "GPU"
ALWAYS_RUN = True
PARAMETERS = '''
reddit = "recorded"  # recorded (offline demo: bundled threads on a loopback server; always a dry run) | live (praw_site)
praw_site = "bot"  # live: the praw.ini site with the bot's credentials (else praw_* env vars, else Colab secrets)
run_date = ""  # which day's live/proposed_replies_<date>.csv to use, YYYY-MM-DD; empty: the newest one 05 wrote
realism_model = "auto"  # auto: 08's refreshed classifier when a round has finished, else 03's | bert_realism | a folder
min_prob_real = 0.9  # keep replies the realism classifier finds this likely to be human (the seed's 0.9)
max_reply_chars = 1000  # keep replies shorter than this many characters (the seed's 1000)
blocklist = ["kill yourself", "kys", "http://", "https://", "as an ai", "i am a bot"]  # words/phrases that remove a candidate (whole words, any case; an entry like "https://" matches the start of a URL)
allow_links = False  # False: a reply with a link (URL, www., a bare domain, a markdown link) is rejected with reason "link"
parrot_threshold = 0.9  # reject a reply at least this similar (0..1) to its comment or the post title (ssi-bot: 0.95)
max_repeated_trigrams = 0.3  # reject a reply whose word trigrams repeat an earlier one of it more often than this share
max_word_run = 3  # reject a reply with one word more often than this in a row
min_reply_words = 2  # reject replies with fewer words (too_short)
unfinished_min_words = 40  # a reply this long that ends mid-sentence was cut at the length limit (unfinished)
allow_mentions = False  # False: reject replies naming u/users or r/subreddits
repeat_window_days = 30  # reject what the bot already posted (same or nearly the same text) within this many days
posted_before_threshold = 0.9  # similarity (0..1) to an earlier posted reply that counts as the same text
toxicity_model = ""  # "" (off) | "detoxify:original" (pip install detoxify; Colab has torch) | a local scorer file
toxicity_thresholds = {"toxicity": 0.5}  # with toxicity_model: reject when a label's score reaches its threshold
quality_real_max = 500  # real test-split replies of bert_gan_real.csv scored for the quality comparison (0: none)
n_runner_ups = 2  # runner-up replies shown beside the chosen one in the review sheet
approve_ids = []  # comment ids to approve from this notebook (or mark them True in the approved column of live/review_<date>.csv)
auto_approve = False  # True: post every chosen reply WITHOUT a person's approval; only if you mean it
dry_run = True  # True: send nothing; what would be posted goes to live/would_post_<date>.csv
max_posts_per_run = 5  # at most this many replies per run; the rest wait for the next run
max_posts_per_subreddit_per_day = 3  # at most this many replies per subreddit per UTC day (counted in the ledger)
delay_min_s = 60  # random pause between posts: at least this many seconds (the seed's 60 s)
delay_max_s = 660  # ... and at most this many (the seed's 60 s plus up to 10 min)
disclosure_footer = ""  # appended to every reply, e.g. "^(I am a bot; replies are written by GPT-2 and picked by BERT.)"
max_rate_limit_wait_s = 900  # a rate limit asking for a longer wait leaves the rest for the next run instead
break_lease = False  # True: take over a posting lease another run left on Drive (only when that run is surely gone)
seed = 1234  # reproducibility of the random delays
'''
CELLS = [
    '''from helpers import drive as drv
from helpers.live import proposals as live
from helpers.live import posting
from helpers.live import select
from helpers.live import sheets
from helpers.drive import open_drive
from helpers.files import read_csv
from helpers.live.lease import posting_lock
from helpers.reddit.client import connect, describe

drive = open_drive(drive_root, drive_backend, gdrive_folder)
_ = drive.pull(live.proposed_path(run_date or "*"))
date = live.latest_proposals_date(drive.root, run_date)  # not "today": 05 may have run before midnight (UTC)
paths = {"proposed": live.proposed_path(date), "scores": select.predictions_path(date),
         "review": select.review_path(date), "would_post": posting.would_post_path(date), "ledger": posting.LEDGER}
paths["review_bak"] = paths["review"].removesuffix(".csv") + ".bak.csv"
really_dry = bool(dry_run) or reddit == "recorded"  # the offline demo never posts
_ = drive.pull(paths["proposed"], paths["review"], paths["ledger"], drv.BERT_REALISM, drv.ADVERSARIAL_MODEL,
               drv.BERT_UPVOTE, drv.BERT_GAN_REAL)''',
    '''from helpers.discriminators.scoring import Scorer, realism_model_dir

proposed = read_csv(drive.path(paths["proposed"]), required=["post_id", "comment_id", "comment", "proposed_reply"],
                    hint="run 05_generate_replies for this run_date")
realism_dir = realism_model_dir(drive.root, realism_model)
print("realism classifier:", drive.rel(realism_dir))
scorer = Scorer.load(realism_dir, drive.path(drv.BERT_UPVOTE))
scored = scorer.score(proposed, comment_col="comment", reply_col="proposed_reply")
scored[["comment", "proposed_reply", "prob_real", "expected_score"]].head(10)''',
    '''from helpers import filters
from helpers.live.toxicity import load_toxicity_scorer

settings = filters.FilterSettings(
    parrot_threshold=parrot_threshold, max_repeated_trigrams=max_repeated_trigrams, max_word_run=max_word_run,
    min_words=min_reply_words, unfinished_min_words=unfinished_min_words, allow_mentions=allow_mentions,
    repeat_window_days=repeat_window_days, posted_before_threshold=posted_before_threshold,
    toxicity_thresholds=dict(toxicity_thresholds) if toxicity_model else {})
posted_recently = filters.recent_posts(drive.path(paths["ledger"]), repeat_window_days)
filtered, review, selection = select.select_candidates(
    scored, min_prob_real=min_prob_real, max_length=max_reply_chars, blocklist=blocklist, n_runner_ups=n_runner_ups,
    quality=settings, posted=posted_recently, toxicity=load_toxicity_scorer(toxicity_model), allow_links=allow_links)
sheets.write_sheet(filtered, drive.path(paths["scores"]))  # every candidate with its scores and `rejected` reason
# a sheet that cannot be read stops here (an error naming the file), so a person's marks are never rebuilt over
previous = select.read_review(drive.path(paths["review"])) if drive.path(paths["review"]).exists() else None
review = select.approve(select.merge_approvals(review, previous), approve_ids)
sheets.backup(drive.path(paths["review"]))  # the sheet as the person left it: live/review_<date>.bak.csv
sheets.write_sheet(review, drive.path(paths["review"]))
print(selection)
print(f"review sheet: {paths['review']} ({int(review['approved'].sum()) if len(review) else 0} approved)")
review.head(10)''',
    '''from helpers import quality
from helpers.files import write_json

real = None
if quality_real_max and drive.path(drv.BERT_GAN_REAL).exists():
    real = quality.real_replies(read_csv(drive.path(drv.BERT_GAN_REAL), required=["comment", "reply", "split"]),
                                max_rows=quality_real_max, seed=seed)
quality_summary = quality.selection_quality(
    filtered, review, real, lambda df: scorer.score(df, comment_col="comment", reply_col="reply"),
    parrot_threshold, date=date, rejected=selection["rejected"])
write_json(quality_summary, drive.path(quality.quality_path(date)))
print(quality.summary_line(quality_summary))
quality.quality_table(quality_summary)''',
    '''client, source, server = connect(reddit, praw_site)
print("Reddit:", source, "| dry run" if really_dry else "| POSTING FOR REAL")
describe(client)  # user agent and account; never a secret''',
    '''import contextlib

# one writer at a time: a second run refuses here, naming the holder and when its lease expires
lock = contextlib.nullcontext() if really_dry else posting_lock(drive, "06 score_and_post", break_lease=break_lease)
with lock as lk:
    _ = drive.pull(paths["ledger"])  # the ledger as it is now, read under the lock
    def after_ledger_write():
        drive.push(paths["ledger"])
        lk.heartbeat()
    ledger = posting.Ledger(drive.path(paths["ledger"]), on_write=None if really_dry else after_ledger_write)
    results = posting.post_replies(
        client, review, ledger, bot_username=str(client.user.me()), dry_run=really_dry, auto_approve=auto_approve,
        max_posts_per_run=max_posts_per_run, max_posts_per_subreddit_per_day=max_posts_per_subreddit_per_day,
        delay_min_s=delay_min_s, delay_max_s=delay_max_s, footer=disclosure_footer, seed=seed,
        proposed_ids=set(proposed["comment_id"].astype(str)), max_rate_limit_wait_s=max_rate_limit_wait_s,
        text_rules={"blocklist": blocklist, "max_length": max_reply_chars, "allow_links": allow_links},
        heartbeat=None if really_dry else lk.heartbeat)
sheets.write_sheet(results, drive.path(paths["would_post"]))
print(results["status"].value_counts().to_dict())
results''',
    '''drive.push(paths["scores"], paths["review"], paths["review_bak"], paths["would_post"], paths["ledger"],
           quality.quality_path(date))
if server is not None:
    server.stop()''',
]
