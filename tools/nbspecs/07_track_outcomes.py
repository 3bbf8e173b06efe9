TITLE = "Track what happened to the posted replies"
ABOUT = """
For every reply the bot posted (the posting ledger of 06), fetch its current **score**, its **number of replies** and
whether it was **removed or deleted**, append one row per reply to `live/outcome_history.csv` (so each run adds a
check and the growth over time stays visible), and set the outcome beside what the models predicted for the very
text that was posted.

- "At least one upvote" means **score ≥ 2**: Reddit starts a comment at 1, its author's own vote. The seed, judging by
  hand, found 24 of 80 replies (30%) with at least one upvote.
- **Actual vs predicted bin** (the seed's bins: < 1, 1, 2–4, ≥ 5) as a confusion matrix, and **calibration** of the
  upvote classifier's P(score ≥ 2) = p2 + p3 against the observed fraction.
- Tables **per subreddit** and **per week** of posting; everything also goes into the run report.

Scores are read in batches of 100 through Reddit's `/api/info`; counting replies costs one request per reply
(`count_replies`). Run it again later (hours, days) to add a check. `reddit = "recorded"` (the offline demo) talks to
the loopback server with the recorded threads; since 06 never posts there, it reports that nothing was posted yet.
"""
READS = ["live/posting_ledger.csv", "live/reply_score_predictions_<date>.csv", "live/review_<date>.csv",
         "live/outcome_history.csv", "Reddit (the bot's replies)"]
WRITES = ["live/outcome_history.csv", "live/outcomes.csv", "metrics/outcome_metrics.json",
          "metrics/outcome_confusion.png", "metrics/outcome_calibration.png", "metrics/outcome_growth.png",
          "report.html"]
RUNTIME = "CPU"
ALWAYS_RUN = True
PARAMETERS = '''
reddit = "recorded"  # recorded (offline demo: bundled threads on a loopback server) | live (Reddit via praw_site)
praw_site = "bot"  # live: the praw.ini site with the bot's credentials (else praw_* env vars, else Colab secrets)
praw_ini = ""  # live: a praw.ini file to read praw_site from ("": the praw.ini files PRAW itself finds)
count_replies = True  # also count each reply's replies (one request per reply; scores alone are batched by 100)
break_lease = False  # True: take over a posting lease another run left on Drive (only when that run is surely gone)
'''
CELLS = [
    '''from IPython.display import Image, display

from helpers import drive as drv
from helpers.tracking import outcomes
from helpers.pipeline import report
from helpers.reddit.client import connect, describe

from helpers.drive import open_drive

drive = open_drive(drive_root, drive_backend, gdrive_folder)
_ = drive.pull(drv.POSTING_LEDGER, drv.OUTCOME_HISTORY, "live/reply_score_predictions_*.csv",
               "live/review_*.csv")''',
    '''client, source, server = connect(reddit, praw_site, praw_ini or None)
print("Reddit:", source)
describe(client)  # user agent and account; never a secret''',
    '''from helpers.live.lease import posting_lock

with posting_lock(drive, "07 track_outcomes", break_lease=break_lease):  # the history has one writer at a time
    _ = drive.pull(drv.POSTING_LEDGER, drv.OUTCOME_HISTORY)  # as they are now, read under the lock
    table, summary = outcomes.track(client, drive.root, count_replies=count_replies, recorded=reddit == "recorded")
    _ = drive.push(drv.OUTCOME_HISTORY)
print(f"{summary['replies']} posted replies tracked over {summary['checks']} check(s); "
      f"with at least one upvote ({summary['upvote_definition']}): {summary['upvoted']} "
      f"= {summary['fraction_upvoted'] if summary['fraction_upvoted'] is not None else 'n/a'}")
table.drop(columns=["body"], errors="ignore").head(20)''',
    '''{k: summary[k] for k in ("states", "bin_accuracy", "brier_p_upvoted", "mean_predicted_p_upvoted",
                          "per_subreddit", "per_week")}''',
    '''for rel in (drv.OUTCOME_CONFUSION, drv.OUTCOME_CALIBRATION, drv.OUTCOME_GROWTH):
    display(Image(filename=str(drive.path(rel))))''',
    '''print("report:", report.build_report(drive.root))
_ = drive.push(drv.OUTCOME_HISTORY, drv.OUTCOMES, drv.OUTCOME_METRICS, drv.OUTCOME_CONFUSION,
               drv.OUTCOME_CALIBRATION, drv.OUTCOME_GROWTH, drv.REPORT_HTML)
if server is not None:
    server.stop()''',
]
