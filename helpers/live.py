"""Stage 05: fresh comments from rising posts, the ones worth answering, and GPT-2 candidates for each.

Replying to months-old comments is not what people do, so candidates are generated for comments fetched now with
PRAW (the seed: the top 5 rising posts of a few subreddits). A post where the bot already spoke is skipped whole.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Iterable

import pandas as pd

from .drive import PROPOSED_REPLIES
from .errors import ConfigError
from .text import DELETED, clean_text

log = logging.getLogger(__name__)

COMMENT_COLUMNS = ["subreddit", "post_id", "title", "post_score", "comment_id", "comment_score", "comment",
                   "comment_permalink", "comment_created_utc"]
PROPOSED_COLUMNS = ["subreddit", "post_id", "title", "post_score", "comment_id", "comment_score", "comment",
                    "proposed_reply", "comment_permalink", "comment_created_utc", "candidate_idx"]


def today(run_date: str = "") -> str:
    """The run's date (YYYY-MM-DD, UTC): names the day's files so 06 finds 05's output."""
    if run_date:
        try:
            datetime.strptime(run_date, "%Y-%m-%d")
        except ValueError:
            raise ConfigError(f"run_date must be YYYY-MM-DD, not {run_date!r}") from None
        return run_date
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


def proposed_path(run_date: str) -> str:
    return PROPOSED_REPLIES.format(date=run_date)


def _author(thing: Any) -> str | None:
    a = getattr(thing, "author", None)
    return None if a is None else str(a.name if hasattr(a, "name") else a)


def _same_user(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.lower() == b.lower())


def thread_comments(submission) -> list:
    """Every comment of a submission, "load more" expanded (morechildren)."""
    submission.comments.replace_more(limit=None)
    return submission.comments.list()


def eligible_comments(submission, bot_username: str, min_comment_score: int = 3,
                      drops: Counter | None = None) -> list[dict]:
    """Rows for the comments of one post worth answering; reasons for everything dropped are counted in ``drops``."""
    drops = drops if drops is not None else Counter()
    if getattr(submission, "locked", False) or getattr(submission, "archived", False):
        drops["post_locked_or_archived"] += 1
        return []
    comments = thread_comments(submission)
    if any(_same_user(_author(c), bot_username) for c in comments):
        drops["post_already_replied_by_bot"] += 1
        return []
    rows = []
    for c in comments:
        author, body = _author(c), str(c.body)
        if author is None or body.strip() in DELETED:
            drops["comment_deleted_or_removed"] += 1
        elif getattr(c, "locked", False):
            drops["comment_locked"] += 1
        elif c.score <= min_comment_score:
            drops["comment_score_too_low"] += 1
        elif not clean_text(body):
            drops["comment_empty"] += 1
        else:
            rows.append({"subreddit": str(submission.subreddit), "post_id": submission.id, "title": submission.title,
                         "post_score": int(submission.score), "comment_id": c.id, "comment_score": int(c.score),
                         "comment": clean_text(body), "comment_permalink": c.permalink,
                         "comment_created_utc": int(c.created_utc)})
    return rows


def fetch_comments(reddit, subreddits: Iterable[str], posts_per_subreddit: int = 5, min_comment_score: int = 3,
                   bot_username: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Eligible comments from the top rising posts of each subreddit, and a summary of what was dropped and why."""
    if isinstance(subreddits, str):
        raise ConfigError("subreddits must be a list of names, e.g. ['sciencefiction'], not a string")
    bot = bot_username or str(reddit.user.me())
    drops: Counter = Counter()
    rows, posts = [], 0
    for name in subreddits:
        for submission in reddit.subreddit(name).rising(limit=posts_per_subreddit):
            posts += 1
            rows.extend(eligible_comments(submission, bot, min_comment_score, drops))
    df = pd.DataFrame(rows, columns=COMMENT_COLUMNS).drop_duplicates("comment_id")
    summary = {"posts_seen": posts, "comments_kept": len(df), "dropped": dict(drops), "bot_username": bot}
    for reason, n in drops.items():
        log.info("dropped %d: %s", n, reason)
    return df.reset_index(drop=True), summary


def propose_replies(comments: pd.DataFrame, engine, n: int = 10, **generate_kwargs: Any) -> pd.DataFrame:
    """Candidates from the generation engine joined back to their comment rows (seed columns first)."""
    if comments.empty:
        return pd.DataFrame(columns=PROPOSED_COLUMNS)
    from tqdm.auto import tqdm

    with tqdm(total=len(comments) * n, desc="candidates", unit="cand") as bar:
        gen = engine.generate(comments["comment"].tolist(), n=n, on_comment=lambda _: bar.update(n),
                              **generate_kwargs)
    gen = gen.rename(columns={"reply": "proposed_reply"})[["comment_idx", "candidate_idx", "proposed_reply"]]
    out = comments.reset_index(drop=True).join(gen.set_index("comment_idx"), how="inner")
    return out[PROPOSED_COLUMNS].reset_index(drop=True)
