"""Fetches fresh comments with PRAW and writes ~10 GPT-2 candidate replies for each (the seed's step 3 and 4).

For each subreddit in `subreddits`: the top `posts_per_subreddit` **rising** posts. A post where the bot account has
already commented is skipped whole; so are locked and archived threads. Kept: comments with a score above
`min_comment_score`, not deleted or removed, not by the bot. Each gets `n_candidates` replies from the fine-tuned
gpt-2-simple checkpoint: with `generator = "auto"` the newest accepted generator round descended from `run_name`
(`checkpoint/<run_name>_g<k>`), else `checkpoint/<run_name>` itself; a checkpoint folder name pins one. The first
step prints which.

`reddit = "recorded"` (default, offline) serves threads recorded for this project from a loopback server that PRAW
talks to exactly as to reddit.com, so no credentials are needed. `reddit = "live"` uses the praw.ini site `praw_site`
(or `praw_*` environment variables, or Colab secrets `praw_client_id`, `praw_client_secret`, `praw_username`,
`praw_password`): never put credentials in this notebook.

Before anything is fetched, a **preflight** checks the account (suspended, age, karma) and each subreddit (exists and
public, the account not banned, NSFW or not, and its rules): a subreddit whose rules forbid bots or AI-written text is
left out, naming the rule, unless it is listed in `bot_allowed_subreddits` (the moderators gave permission);
private, quarantined, restricted or archived ones are skipped with the reason. The table is saved as
`live/preflight_<date>.json`.

This notebook only reads Reddit; 06 scores, selects and (after approval) posts. It runs in its own kernel because
gpt-2-simple's TF1 graph and the BERT models cannot share one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import drive as drv
from ..contract import Params
from ..files import write_csv, write_json
from ..generator.generation import GenerationEngine
from ..generator.lineage import Generator, use_generator
from ..reddit import preflight
from ..reddit.client import attach, describe
from ..stage import RedditRun, open_stage, push_outputs
from ..words import counts, fields
from . import proposals

KEY = "05"
# The generation engine's numbers, as 05's generate step prints them.
GENERATED = {"comments": "comments", "requested": "candidates asked", "kept": "kept", "dropped_empty": "empty dropped",
             "ended": "ended at the end marker", "seconds": "seconds"}


@dataclass
class ProposeRun(RedditRun):
    date: str = ""  # the run's day (UTC): names the proposals file
    subreddits: list[str] = field(default_factory=list)  # the ones the preflight allows
    comments: pd.DataFrame = field(default_factory=pd.DataFrame)
    fetch_summary: dict[str, Any] = field(default_factory=dict)
    generator: Generator | None = None  # the checkpoint the replies are sampled from


def start(p: Params) -> ProposeRun:
    """The Drive root with the rounds table and the chosen generator checkpoint pulled; prints which generator."""
    drive = open_stage(KEY, p)
    return ProposeRun(p, drive, date=proposals.today(p.run_date), generator=use_generator(drive, p.run_name,
                                                                                          p.generator))


def connect(run: ProposeRun) -> None:
    """Reddit as the bot's account sees it (or the recorded threads offline); its user agent and account, no secret."""
    print("Reddit:", attach(run))
    with run.stopping_on_error():
        describe(run.client)


def check(run: ProposeRun) -> pd.DataFrame:
    """Preflight: the account and each subreddit; only those it allows are fetched (a suspended account stops here)."""
    with run.stopping_on_error():
        pf = preflight.checked(run.client, run.p.subreddits, run.p.bot_allowed_subreddits,
                               run.drive.path(drv.PREFLIGHT.format(date=run.date)), "05")
    run.subreddits = pf.usable()
    for sub, why in pf.blocked().items():
        print(f"not generating for r/{sub}: {why}")
    return pf.table


def fetch(run: ProposeRun) -> pd.DataFrame:
    """Comments of the rising posts worth replying to; what was dropped, by reason."""
    with run.stopping_on_error():
        run.comments, run.fetch_summary = proposals.fetch_comments(
            run.client, run.subreddits, posts_per_subreddit=run.p.posts_per_subreddit,
            min_comment_score=run.p.min_comment_score)
    run.stop_server()  # Reddit is not needed any more
    s = run.fetch_summary
    missing = f"; fields Reddit did not send: {counts(s['missing_fields'])}" if s.get("missing_fields") else ""
    print(f"{s['posts_seen']} posts seen, {s['comments_kept']} comments kept; dropped: {counts(s['dropped'])}{missing}")
    return run.comments.head(10)


def generate(run: ProposeRun) -> pd.DataFrame:
    """`n_candidates` replies per comment, written to live/proposed_replies_<date>.csv with the fetch summary."""
    p, chosen = run.p, run.generator or use_generator(run.drive, run.p.run_name, run.p.generator)
    with GenerationEngine(run.drive.path(drv.CHECKPOINT_DIR), chosen.run_name, seed=p.seed) as engine:
        proposed = proposals.propose_replies(run.comments, engine, n=p.n_candidates, temperature=p.temperature,
                                             top_k=p.top_k, top_p=p.top_p, length=p.max_reply_tokens)
        print("generated:", fields(engine.last_stats, GENERATED))
    out = proposals.proposed_path(run.date)
    write_csv(proposed, run.drive.path(out))
    write_json({**run.fetch_summary, "candidates": len(proposed), "generator": chosen.run_name},
               run.drive.path(proposals.fetch_summary_path(run.date)))
    print(f"{len(proposed)} candidate replies for {proposed['comment_id'].nunique()} comments -> {out}")
    return proposed[["subreddit", "comment", "proposed_reply"]].head(10)


def finish(run: ProposeRun) -> None:
    """Push the day's proposals and fetch summary to Drive and stop the offline loopback server."""
    try:
        push_outputs(KEY, run.p, run.drive, date=run.date)
    finally:
        run.stop_server()


STEPS = (connect, check, fetch, generate, finish)
