TITLE = "Score, select, review and post replies"
ABOUT = """
Scores every candidate from 05 with both BERT classifiers, picks at most one reply per post, asks a person to approve,
and posts the approved replies with PRAW (the seed's steps 6 and 7).

- **Score:** `prob_real` (realism classifier: 03's, or 08's refreshed one once a refresh round has run — parameter
  `realism_model`) and `expected_score` = Σ k·p_k over the upvote bins (04).
- **Select** (the seed's rule, every threshold a parameter): `prob_real > min_prob_real`, fewer than
  `max_reply_chars` characters, no word or phrase of `blocklist`, no link unless `allow_links`, then the highest
  `expected_score`, one per post.
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
         "live/posting_ledger.csv"]
WRITES = ["live/reply_score_predictions_<date>.csv", "live/review_<date>.csv", "live/review_<date>.bak.csv",
          "live/would_post_<date>.csv", "live/posting_ledger.csv", "live/posting_lease.json (while posting)"]
RUNTIME = "GPU"
ALWAYS_RUN = True
PARAMETERS = '''
reddit = "recorded"  # recorded (offline demo: bundled threads on a loopback server; always a dry run) | live (praw_site)
praw_site = "bot"  # live: the praw.ini site with the bot's credentials (else praw_* env vars, else Colab secrets)
run_date = ""  # which day's live/proposed_replies_<date>.csv to use, YYYY-MM-DD; empty: today (UTC)
realism_model = "auto"  # auto: 08's refreshed classifier when a round has finished, else 03's | bert_realism | a folder
min_prob_real = 0.9  # keep replies the realism classifier finds this likely to be human (the seed's 0.9)
max_reply_chars = 1000  # keep replies shorter than this many characters (the seed's 1000)
blocklist = ["kill yourself", "kys", "http://", "https://", "as an ai", "i am a bot"]  # words/phrases that remove a candidate (whole words, any case; an entry like "https://" matches the start of a URL)
allow_links = False  # False: a reply with a link (URL, www., a bare domain, a markdown link) is rejected with reason "link"
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
from helpers import live, posting, select, sheets
from helpers.drive import open_drive, read_csv
from helpers.lease import posting_lock
from helpers.reddit_client import connect, describe

drive = open_drive(drive_root, drive_backend, gdrive_folder)
date = live.today(run_date)
paths = {"proposed": live.proposed_path(date), "scores": select.predictions_path(date),
         "review": select.review_path(date), "would_post": posting.would_post_path(date), "ledger": posting.LEDGER}
paths["review_bak"] = paths["review"].removesuffix(".csv") + ".bak.csv"
really_dry = bool(dry_run) or reddit == "recorded"  # the offline demo never posts
_ = drive.pull(paths["proposed"], paths["review"], paths["ledger"], drv.BERT_REALISM, drv.ADVERSARIAL_MODEL,
               drv.BERT_UPVOTE)''',
    '''from helpers.scoring import Scorer, realism_model_dir

proposed = read_csv(drive.path(paths["proposed"]), required=["post_id", "comment_id", "comment", "proposed_reply"],
                    hint="run 05_generate_replies for this run_date")
realism_dir = realism_model_dir(drive.root, realism_model)
print("realism classifier:", drive.rel(realism_dir))
scorer = Scorer.load(realism_dir, drive.path(drv.BERT_UPVOTE))
scored = scorer.score(proposed, comment_col="comment", reply_col="proposed_reply")
sheets.write_sheet(scored, drive.path(paths["scores"]))
scored[["comment", "proposed_reply", "prob_real", "expected_score"]].head(10)''',
    '''review, selection = select.build_review(scored, min_prob_real=min_prob_real, max_length=max_reply_chars,
                                        blocklist=blocklist, n_runner_ups=n_runner_ups, allow_links=allow_links)
# a sheet that cannot be read stops here (an error naming the file), so a person's marks are never rebuilt over
previous = select.read_review(drive.path(paths["review"])) if drive.path(paths["review"]).exists() else None
review = select.approve(select.merge_approvals(review, previous), approve_ids)
sheets.backup(drive.path(paths["review"]))  # the sheet as the person left it: live/review_<date>.bak.csv
sheets.write_sheet(review, drive.path(paths["review"]))
print(selection)
print(f"review sheet: {paths['review']} ({int(review['approved'].sum()) if len(review) else 0} approved)")
review.head(10)''',
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
    '''drive.push(paths["scores"], paths["review"], paths["review_bak"], paths["would_post"], paths["ledger"])
if server is not None:
    server.stop()''',
]
