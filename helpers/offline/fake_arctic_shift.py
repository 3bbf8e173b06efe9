"""A loopback Arctic Shift: the two search endpoints stage 00's ``arctic_shift`` source uses, served on 127.0.0.1.

``GET /api/posts/search`` and ``GET /api/comments/search`` take ``subreddit``, ``after``/``before`` (epoch seconds,
both exclusive), ``limit`` (1..100; more is a 400 as on the real service), ``sort`` (asc|desc) and ``fields``, and
answer ``{"data": [...]}`` with Pushshift-shaped records. ``fields`` takes only the fields Arctic Shift's API README
lists as selectable (anything else, e.g. ``permalink``, is a 400 naming it, as the real service refuses it).
``GET /api/subreddits/rules?subreddits=a,b`` answers ``{"data": [{"subreddit", "rules": [...]}]}`` for the
subreddits in ``rules`` (the archive's copy of each community's rules). Faults are queued per path: a 429 with
Retry-After, a 5xx, or a truncated body (the connection closes half-way through a JSON answer). Every request is
recorded.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlparse

import pandas as pd

from .loopback import LoopbackServer, start

PATHS = {"/api/posts/search": "posts", "/api/comments/search": "comments"}
RULES_PATH = "/api/subreddits/rules"
# The README's "Selectable fields" (ArthurHeitmann/arctic_shift, api/README.md): both kinds, then posts, comments.
COMMON_FIELDS = {"author", "author_fullname", "author_flair_text", "created_utc", "distinguished", "id",
                 "retrieved_on", "subreddit", "subreddit_id", "score"}
SELECTABLE = {"posts": COMMON_FIELDS | {"crosspost_parent", "link_flair_text", "num_comments", "over_18", "post_hint",
                                        "selftext", "spoiler", "title", "url"},
              "comments": COMMON_FIELDS | {"body", "link_id", "parent_id"}}


@dataclass
class Fault:
    """Answer the next ``times`` requests to ``path`` with ``kind``: "429", "500", "503", "truncated", or "slow"
    (the right answer, ``delay_s`` late: a client timeout)."""

    path: str
    kind: str = "500"
    times: int = 1
    delay_s: float = 2.0


@dataclass
class ArcticState:
    posts: list[dict]
    comments: list[dict]
    rules: dict[str, list[dict]] = field(default_factory=dict)  # subreddit -> its rules, as the archive keeps them
    faults: list[Fault] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    down: bool = False  # every request answered 503, as when the service is down
    lock: threading.Lock = field(default_factory=threading.Lock)

    def search(self, kind: str, p: dict[str, str]) -> tuple[int, dict]:
        try:
            limit = int(p.get("limit", "25"))
            after, before = float(p.get("after", "-inf")), float(p.get("before", "inf"))
        except ValueError:
            return 400, {"error": "bad parameter"}
        if not 1 <= limit <= 100:
            return 400, {"error": "limit must be between 1 and 100"}
        fields = [f for f in p.get("fields", "").split(",") if f]
        unknown = [f for f in fields if f not in SELECTABLE[kind]]
        if unknown:
            return 400, {"error": f"Invalid field(s) for {kind}: {', '.join(unknown)}"}
        sub = p.get("subreddit", "").lower()
        rows = [r for r in (self.posts if kind == "posts" else self.comments)
                if r["subreddit"].lower() == sub and after < r["created_utc"] < before]
        rows.sort(key=lambda r: (r["created_utc"], r["id"]), reverse=p.get("sort", "desc") == "desc")
        rows = [{k: v for k, v in r.items() if not fields or k in fields} for r in rows[:limit]]
        return 200, {"data": rows}

    def rules_of(self, p: dict[str, str]) -> tuple[int, dict]:
        names = [n.strip().lower() for n in p.get("subreddits", "").split(",") if n.strip()]
        if not names:
            return 400, {"error": "subreddits is required"}
        known = {k.lower(): (k, v) for k, v in self.rules.items()}
        return 200, {"data": [{"subreddit": known[n][0], "rules": known[n][1]} for n in names if n in known]}


def records_from_pairs(pairs: pd.DataFrame, month_start: float, link_posts: int = 0
                       ) -> tuple[list[dict], list[dict]]:
    """Pushshift-shaped posts and comments from raw pairs (e.g. the bundled sample), timestamps inside one month.

    Threads take turns a second apart, several comments share a second (page boundaries fall inside a tie), and the
    first ``link_posts`` threads become link posts (no selftext, a title) as most of Reddit is."""
    posts, comments, seen = [], [], set()
    for i, (tid, g) in enumerate(pairs.groupby("thread_id", sort=False)):
        first = g.iloc[0]
        t0 = month_start + 3600 * (i + 1)
        link = i < link_posts
        posts.append({"id": tid, "subreddit": first["subreddit"], "author": first["submission_author"],
                      "score": int(first["submission_score"]), "created_utc": t0,
                      "title": f"Thread {tid} in r/{first['subreddit']}",
                      "selftext": "" if link else first["submission"], "url": "https://example.com/" + tid,
                      "permalink": f"/r/{first['subreddit']}/comments/{tid}/x/"})
        for j, r in enumerate(g.itertuples()):
            if r.comment_id not in seen:
                seen.add(r.comment_id)
                comments.append({"id": r.comment_id, "subreddit": r.subreddit, "author": r.comment_author,
                                 "body": r.comment, "score": int(r.comment_score), "created_utc": t0 + 60,
                                 "link_id": f"t3_{tid}", "parent_id": f"t3_{tid}"})
            comments.append({"id": r.reply_id, "subreddit": r.subreddit, "author": r.reply_author, "body": r.reply,
                             "score": int(r.reply_score), "created_utc": t0 + 120 + j // 3,
                             "link_id": f"t3_{tid}", "parent_id": f"t1_{r.comment_id}"})
    return posts, comments


class Handler(BaseHTTPRequestHandler):
    state: ArcticState

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        url = urlparse(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        st = self.state
        with st.lock:
            fault = next((f for f in st.faults if f.times > 0 and f.path == url.path), None)
            if fault:
                fault.times -= 1
            kind = "503" if st.down else (fault.kind if fault else "")
            st.requests.append({"path": url.path, "params": params, "fault": kind})
            delay = fault.delay_s if fault and kind == "slow" else 0.0
            if kind in ("", "truncated", "slow") and url.path in PATHS:
                status, body = st.search(PATHS[url.path], params)
            elif kind in ("", "truncated", "slow") and url.path == RULES_PATH:
                status, body = st.rules_of(params)
            elif kind in ("429", "500", "503"):
                status, body = int(kind), {"error": "Timeout. Maybe slow down a bit" if kind == "429" else "error"}
            else:
                status, body = 404, {"error": "not found"}
        raw = json.dumps(body).encode()
        if delay:
            time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        if status == 429:
            self.send_header("Retry-After", "1")
        self.end_headers()
        self.wfile.write(raw[: len(raw) // 2] if kind == "truncated" else raw)
        if kind == "truncated":
            self.close_connection = True


@dataclass
class FakeArcticShift(LoopbackServer):
    """A running loopback Arctic Shift: ``url`` for the base-URL parameter, ``state`` for faults and request counts."""

    state: ArcticState


def serve(posts: list[dict], comments: list[dict], host: str = "127.0.0.1", port: int = 0,
          rules: dict[str, list[dict]] | None = None) -> FakeArcticShift:
    """Start the server in a daemon thread (port 0: any free port)."""
    state = ArcticState(posts=posts, comments=comments, rules=dict(rules or {}))
    server, thread = start(Handler, state, "fake-arctic-shift", host, port)
    return FakeArcticShift(server=server, thread=thread, state=state)
