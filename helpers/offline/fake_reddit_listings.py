"""The loopback Reddit's subreddit listings (stage 00's ``reddit`` source), kept apart from its fault injection.

``/r/<sub>/top|controversial|hot|new`` with ``t=`` (hour, day, week, month, year, all), ``limit`` (≤ 100) and
``after`` paging, as PRAW's ListingGenerator asks for them; and ``threads_from_pairs``, which turns raw pairs (e.g.
the bundled sample) into recorded threads, with link posts and old posts mixed in.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

LISTINGS = ("top", "controversial", "hot", "new")
SPANS = {"hour": 3600, "day": 86400, "week": 7 * 86400, "month": 31 * 86400, "year": 366 * 86400, "all": None}


def listing(children: list[dict]) -> dict:
    """Reddit's Listing envelope (shared with fake_reddit's comment trees)."""
    return {"kind": "Listing", "data": {"children": children, "after": None, "before": None, "dist": len(children)}}


def listing_page(state: Any, subreddit: str, kind: str, params: dict[str, str], now: float | None = None
                 ) -> tuple[int, dict, dict]:
    """One page of a subreddit listing in Reddit's JSON shape (``after`` is the next page's cursor, or null)."""
    now = time.time() if now is None else now
    span = SPANS.get(params.get("t", "day"), SPANS["day"]) if kind in ("top", "controversial") else None
    posts = [p for p in state.posts.values() if p["subreddit"].lower() == subreddit.lower()
             and (span is None or p["created_utc"] >= now - span)]
    order = {"top": lambda p: (-p["score"], p["id"]), "controversial": lambda p: (p["score"], p["id"]),
             "new": lambda p: (-p["created_utc"], p["id"]),
             "hot": lambda p: (-(p["score"] / (1 + (now - p["created_utc"]) / 3600) ** 1.5), p["id"])}[kind]
    ids = [p["id"] for p in sorted(posts, key=order)]
    start = 0
    if params.get("after", "").startswith("t3_") and params["after"][3:] in ids:
        start = ids.index(params["after"][3:]) + 1
    limit = max(1, min(int(params.get("limit", 25)), 100))
    page = ids[start:start + limit]
    body = listing([state.post_json(i) for i in page])
    body["data"]["after"] = f"t3_{page[-1]}" if page and start + limit < len(ids) else None
    return 200, body, {}


def _score(value: Any) -> int:
    """A score as Reddit serves it; the sample's deliberately dirty scores ("n/a") become 0."""
    n = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return 0 if pd.isna(n) else int(n)


def threads_from_pairs(pairs: pd.DataFrame, rename: dict[str, str] | None = None, link_every: int = 2,
                       now: float | None = None) -> dict:
    """Recorded threads (fake_reddit's input shape) from raw pairs: every ``link_every``-th post is a link post
    (no selftext, a title), and the last thread of each subreddit is two years old (outside t=year)."""
    rename = rename or {}
    now = time.time() if now is None else now
    subs: dict[str, list[dict]] = {}
    for i, (tid, g) in enumerate(pairs.groupby("thread_id", sort=False)):
        first = g.iloc[0]
        sub = rename.get(first["subreddit"], first["subreddit"])
        post = {"id": tid, "title": f"Thread {tid}: {str(first['submission'])[:60]}",
                "author": first["submission_author"], "score": _score(first["submission_score"]),
                "created_utc": now - 3600 * (i + 1),
                "selftext": "" if link_every and i % link_every == 0 else first["submission"], "comments": []}
        tops: dict[str, dict] = {}
        for r in g.itertuples():
            top = tops.get(r.comment_id)
            if top is None:
                top = tops[r.comment_id] = {"id": r.comment_id, "author": r.comment_author, "body": r.comment,
                                            "score": _score(r.comment_score), "created_utc": now - 3600 * i - 60,
                                            "replies": []}
                post["comments"].append(top)
            top["replies"].append({"id": r.reply_id, "author": r.reply_author, "body": r.reply,
                                   "score": _score(r.reply_score), "created_utc": now - 3600 * i - 30})
        subs.setdefault(sub, []).append(post)
    for posts in subs.values():
        posts[-1]["created_utc"] = now - 2 * 366 * 86400
    return {"bot_username": "demo_bot", "subreddits": subs}
