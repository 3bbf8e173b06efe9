TITLE = "Fetch live comments and generate candidate replies"
ABOUT = """
Fetches fresh comments with PRAW and writes ~10 GPT-2 candidate replies for each (the seed's step 3 and 4).

For each subreddit in `subreddits`: the top `posts_per_subreddit` **rising** posts. A post where the bot account has
already commented is skipped whole; so are locked and archived threads. Kept: comments with a score above
`min_comment_score`, not deleted or removed, not by the bot. Each gets `n_candidates` replies from the fine-tuned
gpt-2-simple checkpoint (`checkpoint/<run_name>`).

`reddit = "recorded"` (default, offline) serves threads recorded for this project from a loopback server that PRAW
talks to exactly as to reddit.com, so no credentials are needed. `reddit = "live"` uses the praw.ini site `praw_site`
(or `praw_*` environment variables, or Colab secrets `praw_client_id`, `praw_client_secret`, `praw_username`,
`praw_password`): never put credentials in this notebook.

This notebook only reads Reddit; 06 scores, selects and (after approval) posts. It runs in its own kernel because
gpt-2-simple's TF1 graph and the BERT models cannot share one.
"""
READS = ["checkpoint/<run_name>/", "Reddit (rising posts and their comments)"]
WRITES = ["live/proposed_replies_<date>.csv", "live/fetch_summary_<date>.json"]
RUNTIME = "GPU"
ALWAYS_RUN = True
PARAMETERS = '''
reddit = "recorded"  # recorded (offline demo: bundled threads on a loopback server) | live (Reddit via praw_site)
praw_site = "bot"  # live: the praw.ini site with the bot's credentials (else praw_* env vars, else Colab secrets)
subreddits = ["sciencefiction", "gardening", "boardgames"]  # where to look; the seed used a few like ["sciencefiction", ...]
posts_per_subreddit = 5  # the top N rising posts of each subreddit (the seed's 5)
min_comment_score = 3  # keep comments with a score above this (the seed's 3)
run_date = ""  # names the output file, YYYY-MM-DD; empty: today (UTC). 06 reads the same date
run_name = "run1"  # the fine-tuned checkpoint written by 01: checkpoint/<run_name>
n_candidates = 10  # replies generated per comment (the seed's 10)
temperature = 0.7  # sampling temperature (the seed's 0.7)
top_k = 40  # sample among the k likeliest tokens (the seed used 40; 0: off)
top_p = 0.0  # nucleus sampling threshold (0: off)
max_reply_tokens = 100  # length cap of a reply in tokens
seed = 1234  # reproducibility of the sampling
'''
CELLS = [
    '''from helpers import drive as drv
from helpers import files
from helpers.live import proposals as live
from helpers.drive import open_drive
from helpers.files import write_csv
from helpers.reddit.client import connect, describe

drive = open_drive(drive_root, drive_backend, gdrive_folder)
date = live.today(run_date)
out_rel = live.proposed_path(date)
_ = drive.pull(f"{drv.CHECKPOINT_DIR}/{run_name}")  # gdrive backend: bring the checkpoint down''',
    '''client, source, server = connect(reddit, praw_site)
print("Reddit:", source)
describe(client)  # user agent and account; never a secret''',
    '''comments, fetch_summary = live.fetch_comments(client, subreddits, posts_per_subreddit=posts_per_subreddit,
                                             min_comment_score=min_comment_score)
print(fetch_summary)
comments.head(10)''',
    '''from helpers.generator.generation import GenerationEngine

with GenerationEngine(drive.path(drv.CHECKPOINT_DIR), run_name, seed=seed) as engine:
    proposed = live.propose_replies(comments, engine, n=n_candidates, temperature=temperature, top_k=top_k,
                                    top_p=top_p, length=max_reply_tokens)
    print(engine.last_stats)
write_csv(proposed, drive.path(out_rel))
summary_rel = live.fetch_summary_path(date)
files.write_json({**fetch_summary, "candidates": len(proposed)}, drive.path(summary_rel))
print(f"{len(proposed)} candidate replies for {proposed['comment_id'].nunique()} comments -> {out_rel}")
proposed[["subreddit", "comment", "proposed_reply"]].head(10)''',
    '''drive.push(out_rel, summary_rel)
if server is not None:
    server.stop()''',
]
