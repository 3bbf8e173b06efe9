"""Threads with depth for the thread-context tests: the bundled sample's pairs plus replies to replies (two levels
under the sample's replies), in every source's input shape (Pushshift/Arctic Shift records, the loopback Reddit's
recorded threads). Today's pairing (top-level comment -> direct reply) ignores the deeper comments, so the same inputs
check both that context_depth = 0 is byte-identical to the seed format and that depth > 0 finds the ancestors."""

from __future__ import annotations

import pandas as pd

from helpers.data.csv_source import load_sample
from helpers.offline import fake_arctic_shift as fas
from helpers.offline.fake_reddit_listings import threads_from_pairs

SUBS = ["writing", "scifi"]
MONTH_START = 1704067200.0  # 2024-01-01 UTC
NOW = 1760000000.0


def sample_pairs(subs=SUBS) -> pd.DataFrame:
    df = load_sample()
    return df[df["subreddit"].isin(subs)].reset_index(drop=True)


def deep_rows(pairs: pd.DataFrame, every: int = 3) -> list[dict]:
    """Every ``every``-th clean reply gets a reply (level 2), and that one a reply (level 3): (id, parent id, thread,
    subreddit, author, body, score)."""
    out = []
    for i, r in enumerate(pairs.itertuples()):
        if i % every or not str(r.reply_id).isalnum():
            continue
        d2, d3 = f"{r.reply_id}d2", f"{r.reply_id}d3"
        out.append({"id": d2, "parent": r.reply_id, "thread_id": r.thread_id, "subreddit": r.subreddit,
                    "author": f"deep_{i}_a", "body": f"Second level answer {i} to what was said above.", "score": 4})
        out.append({"id": d3, "parent": d2, "thread_id": r.thread_id, "subreddit": r.subreddit,
                    "author": f"deep_{i}_b", "body": f"Third level answer {i}, agreeing with the last one.",
                    "score": 2})
    return out


def records(pairs: pd.DataFrame, deep: list[dict], month_start: float = MONTH_START, link_posts: int = 2
            ) -> tuple[list[dict], list[dict]]:
    """Pushshift/Arctic Shift records (submissions, comments) of the pairs and the deeper replies."""
    posts, comments = fas.records_from_pairs(pairs, month_start, link_posts=link_posts)
    when = {c["id"]: c["created_utc"] for c in comments}
    for d in deep:
        comments.append({"id": d["id"], "subreddit": d["subreddit"], "author": d["author"], "body": d["body"],
                         "score": d["score"], "created_utc": when.get(d["parent"], month_start) + 30,
                         "link_id": f"t3_{d['thread_id']}", "parent_id": f"t1_{d['parent']}"})
        when[d["id"]] = when.get(d["parent"], month_start) + 30
    return posts, comments


def reddit_threads(pairs: pd.DataFrame, deep: list[dict], now: float = NOW) -> dict:
    """The loopback Reddit's recorded threads with the deeper replies nested under their parents."""
    rec = threads_from_pairs(pairs, now=now)
    by_id: dict[str, dict] = {}

    def index(items):
        for c in items:
            by_id[c["id"]] = c
            index(c.get("replies", []))

    for posts in rec["subreddits"].values():
        for p in posts:
            index(p["comments"])
    for d in deep:
        parent = by_id[d["parent"]]
        node = {"id": d["id"], "author": d["author"], "body": d["body"], "score": d["score"],
                "created_utc": parent["created_utc"] + 10, "replies": []}
        parent.setdefault("replies", []).append(node)
        by_id[d["id"]] = node
    return rec
