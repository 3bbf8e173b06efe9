"""Source ``reddit``: comment→reply pairs pulled through PRAW from a subreddit listing (top, controversial, hot, new).

Each post's comment tree is expanded (``replace_more`` up to ``replace_more_limit`` "load more" objects), and every
reply to a top-level comment by neither the comment's nor the post's author becomes a row, as the seed's query
pairs them. A post without selftext (a link, a title-only question) is kept with its title as the submission text.
Each post's rows are saved as ``raw/reddit/<sub>/<post_id>.csv`` when the post is done (atomically, even when it
gave no pair), so a re-run lists again and skips saved posts. Works read-only (client id and secret only).
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

from .. import files
from ..context import CONTEXT_COLUMNS, decode_ancestors, encode_ancestors
from ..contract import default
from ..errors import ConfigError, StageError
from ..reddit import fields as rf
from ..reddit.client import access_error
from ..schema import RAW_COLUMNS

LISTINGS = ("top", "controversial", "hot", "new")
TIME_FILTERS = ("all", "year", "month", "week", "day", "hour")
# created_utc and permalink of the reply; the post's title and the comment's ancestors (JSON list, oldest first)
REDDIT_COLUMNS = RAW_COLUMNS + ["created_utc", "permalink"] + CONTEXT_COLUMNS
MAX_ANCESTORS = 8  # pairs are saved down to this many comments above the comment: any context_depth can reuse them


class RequestCounter:
    """A requests response hook: counts every HTTP answer PRAW gets (token, listing, thread, morechildren)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, response, *args: Any, **kwargs: Any):
        self.n += 1
        return response


def counting_session(counter: RequestCounter):
    """A requests.Session for praw.Reddit(requestor_kwargs={"session": ...}) that counts its requests."""
    import requests

    session = requests.Session()
    session.hooks["response"].append(counter)
    return session


def post_pairs(submission, drops: Counter, max_ancestors: int = MAX_ANCESTORS) -> list[dict]:
    """Rows for one expanded post: each direct reply to each comment with at most ``max_ancestors`` comments above it
    (the top-level comments' first, in the seed's order), with the post's title and the comment's ancestors (the
    parent chain in the fetched tree). Missing fields are derived or counted in ``drops``, never raised."""
    from praw.models import MoreComments

    sub, pid = rf.subreddit(submission), rf.thing_id(submission)
    title = rf.text(submission, "title")
    text = rf.text(submission, "selftext")
    if text.strip() in ("", "[deleted]", "[removed]"):
        text = title
    sauthor = rf.author(submission) or "[deleted]"
    post = {"subreddit": sub, "submission": text, "submission_score": rf.number(submission, "score"),
            "submission_author": sauthor, "thread_id": pid, "title": title}
    rows: list[dict] = []
    for top in submission.comments:
        if isinstance(top, MoreComments):
            drops["comments_behind_load_more"] += int(getattr(top, "count", 0) or 0)
            continue
        _comment_pairs(top, [], post, rows, drops, max_ancestors)
    return rows


def _comment_pairs(comment, ancestors: list[str], post: dict, rows: list[dict], drops: Counter, max_ancestors: int
                   ) -> None:
    """The pairs of one comment and, depth first after them, of its replies while deep enough."""
    from praw.models import MoreComments

    sauthor, text, sub, pid = post["submission_author"], post["submission"], post["subreddit"], post["thread_id"]
    cauthor = rf.author(comment) or "[deleted]"
    deeper = []
    for reply in comment.replies:
        if isinstance(reply, MoreComments):
            drops["replies_behind_load_more"] += int(getattr(reply, "count", 0) or 0)
            continue
        deeper.append(reply)
        rauthor, body = rf.author(reply), rf.field(reply, "body")
        if body is None:
            drops["reply_without_body"] += 1
        elif rauthor is not None and rauthor in (sauthor, cauthor):
            drops["reply_by_comment_or_post_author"] += 1
        else:
            rows.append({"subreddit": sub, "submission": text, "comment": rf.text(comment, "body"), "reply": body,
                         "submission_score": post["submission_score"],
                         "comment_score": rf.number(comment, "score"), "reply_score": rf.number(reply, "score"),
                         "submission_author": sauthor, "comment_author": cauthor,
                         "reply_author": rauthor or "[deleted]", "thread_id": pid,
                         "comment_id": rf.thing_id(comment), "reply_id": rf.thing_id(reply),
                         "created_utc": rf.number(reply, "created_utc"),
                         "permalink": rf.permalink(reply, is_comment=True), "title": post["title"],
                         "ancestors": encode_ancestors(ancestors)})
    if len(ancestors) < max_ancestors:
        for reply in deeper:
            _comment_pairs(reply, [*ancestors, rf.text(comment, "body")], post, rows, drops, max_ancestors)


def listing_posts(reddit, subreddit: str, listing: str, time_filter: str, limit: int):
    """The listing's posts (lazy: PRAW asks for 100 a page as they are consumed)."""
    sub = reddit.subreddit(subreddit)
    if listing in ("top", "controversial"):
        return getattr(sub, listing)(time_filter=time_filter, limit=limit)
    return getattr(sub, listing)(limit=limit)


def expanded_pairs(reddit, submission, replace_more_limit: int, drops: Counter, stats: Counter,
                   sleep: Callable[[float], Any], tries: int = 3) -> list[dict]:
    """One post's pairs; a 429 (Reddit's "too many requests") waits its Retry-After and asks again, ``tries`` times."""
    import prawcore

    for attempt in range(tries):
        try:
            submission.comment_limit = 500
            left = submission.comments.replace_more(limit=replace_more_limit)  # removed, not expanded
            drops["comments_behind_load_more"] += sum(int(getattr(m, "count", 0) or 0) for m in left)
            return post_pairs(submission, drops)
        except prawcore.TooManyRequests as e:
            if attempt == tries - 1:
                raise
            stats["waits_after_429"] += 1
            sleep(min(float(e.retry_after or 60), 600))
            submission = reddit.submission(id=rf.thing_id(submission))
    return []


def check_params(subreddits: list[str], listing: str, time_filter: str, posts_per_subreddit: int) -> None:
    if not subreddits:
        raise ConfigError("source 'reddit' needs subreddits, e.g. subreddits = ['AskScience', 'writing']")
    if listing not in LISTINGS:
        raise ConfigError(f"reddit_listing must be one of {', '.join(LISTINGS)}, not {listing!r}")
    if time_filter not in TIME_FILTERS:
        raise ConfigError(f"reddit_time_filter must be one of {', '.join(TIME_FILTERS)}, not {time_filter!r}")
    if int(posts_per_subreddit) < 1:
        raise ConfigError(f"reddit_posts_per_subreddit must be at least 1, not {posts_per_subreddit!r}")


def pull(reddit, subreddits: Iterable[str], out_dir: str | Path, listing: str = default("reddit_listing", "00"),
         time_filter: str = default("reddit_time_filter", "00"),
         posts_per_subreddit: int = default("reddit_posts_per_subreddit", "00"),
         replace_more_limit: int = default("reddit_replace_more_limit", "00"), counter: RequestCounter | None = None,
         on_saved: Callable[[Path], object] | None = None, sleep: Callable[[float], Any] = time.sleep
         ) -> tuple[list[Path], dict]:
    """Pull and save every listed post not saved yet; returns (each subreddit's post files, stats)."""
    import prawcore

    from ..quiet import bar as progress

    subs = list(subreddits)
    check_params(subs, listing, time_filter, posts_per_subreddit)
    counter = counter or RequestCounter()
    drops: Counter = Counter()
    stats: Counter = Counter()
    paths: list[Path] = []
    bar = progress(total=len(subs) * int(posts_per_subreddit), desc="Reddit posts", unit="post")
    try:
        for name in subs:
            seen = 0
            for submission in listing_posts(reddit, name, listing, time_filter, int(posts_per_subreddit)):
                seen += 1
                path = Path(out_dir) / name.lower() / f"{rf.thing_id(submission)}.csv"
                if path.exists():
                    stats["posts_resumed"] += 1
                else:
                    rows = expanded_pairs(reddit, submission, replace_more_limit, drops, stats, sleep)
                    files.write_csv(pd.DataFrame(rows, columns=REDDIT_COLUMNS), path)
                    stats["posts_pulled"] += 1
                    stats["pairs_pulled"] += len(rows)
                    if on_saved is not None:
                        on_saved(path)
                paths.append(path)
                bar.update(1)
                bar.set_postfix(requests=counter.n, pairs=stats["pairs_pulled"])
            bar.update(int(posts_per_subreddit) - seen)  # a subreddit with fewer posts than asked for
            stats[f"posts_listed:{name}"] = seen
    except prawcore.PrawcoreException as e:
        if access_error(e) is not None and not paths:  # refused at connect: the app's approval or credentials
            raise access_error(e) from None
        raise StageError(f"Reddit failed while pulling r/{name}: {type(e).__name__}: {e}. Posts already saved in "
                         f"{out_dir} are kept; re-run to resume") from None
    finally:
        bar.close()
    return paths, {**{k: int(v) for k, v in stats.items()}, "requests": counter.n,
                   "dropped_while_pulling": {k: int(v) for k, v in drops.items()}}


def keep_depth(df: pd.DataFrame, context_depth: int, stats: dict) -> pd.DataFrame:
    """The rows whose comment has at most ``context_depth`` ancestors (0: top-level comments, the seed's pairs); the
    rest are counted in ``stats``. Files saved before thread context have no ``ancestors``: all their rows are
    top-level, and they are counted as posts without context when context is asked for."""
    if "ancestors" not in df.columns:
        return df
    depth = [len(decode_ancestors(a, where=f"raw/reddit pairs row {i + 1} ancestors"))
             for i, a in enumerate(df["ancestors"].tolist())]
    keep = pd.Series([d <= context_depth for d in depth], index=df.index)
    stats["pairs_deeper_than_context_depth"] = int((~keep).sum())
    if context_depth > 0:
        stats["pairs_without_recorded_context"] = int(df["ancestors"].isna().sum())
    return df[keep].reset_index(drop=True)


def read_posts(paths: Iterable[Path]) -> pd.DataFrame:
    """The saved posts' rows in RAW_COLUMNS (+ created_utc, permalink, title, ancestors)."""
    frames = [files.read_csv(p, required=RAW_COLUMNS, hint="a post saved by source reddit") for p in paths]
    frames = [f for f in frames if len(f)]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=REDDIT_COLUMNS)
    return df.astype({c: str for c in ("thread_id", "comment_id", "reply_id")})
