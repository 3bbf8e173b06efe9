"""A loopback Reddit: the part of Reddit's API that PRAW uses for 05 and 06, served from recorded threads.

Real PRAW talks to it through a praw.ini site whose ``oauth_url`` and ``reddit_url`` point here (with
``PRAW_ALLOW_ENDPOINT_OVERRIDE=1``), so the offline demo and the tests run the same code path as live Reddit.
Endpoints: OAuth token, /r/<sub>/rising, /comments/<id>[/_/<comment>], /api/morechildren, /api/info, /api/comment;
/r/<sub>/top|controversial|hot|new in fake_reddit_listings; /r/<sub>/about[/rules], /user/<name>/about and
/api/v1/me (communities, bans, a suspended account) in fake_reddit_about; the inbox (/message/unread, mentions,
/api/read_message) in fake_reddit_inbox. Faults (fake_faults.py) are injected per endpoint (HTTP 429 with
Retry-After, 500, 401, RATELIMIT errors, an HTML body instead of JSON) and by thread state (deleted comment, locked
thread, banned subreddit); ``omit_fields`` leaves optional fields out of every payload. Requests are recorded.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from . import fake_reddit_about, fake_reddit_inbox, fake_reddit_listings
from .fake_faults import Fault, api_error, fault_answer
from .fake_reddit_listings import listing
from .loopback import LoopbackServer, start

RECORDED_THREADS = Path(__file__).resolve().parent / "files" / "recorded_threads.json"
MORE_AFTER = 4  # top-level comments beyond this many come back as a "more" object (exercises morechildren)


def load_recorded(path: str | Path = RECORDED_THREADS) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]
    status: int


class RedditState:
    """Threads, comments and subreddits in memory; mutated by /api/comment and by tests (delete, lock, ban)."""

    def __init__(self, recorded: dict, inbox: dict | None = None):
        self.inbox: list[dict] = []  # the bot's inbox items (fake_reddit_inbox)
        self.bot_username: str = recorded.get("bot_username", "demo_bot")
        self.posts: dict[str, dict] = {}
        self.comments: dict[str, dict] = {}
        self.children: dict[str, list[str]] = {}  # parent fullname -> child comment ids, in order
        self.rising: dict[str, list[str]] = {}
        self.banned: set[str] = set()
        self.omit_fields: set[str] = set()  # optional fields left out of every payload, as older payloads come
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self._next_id = 0
        self.communities = fake_reddit_about.Communities.load(list(recorded["subreddits"]))  # about, rules, account
        for sub, posts in recorded["subreddits"].items():
            self.rising[sub.lower()] = []
            for p in posts:
                post = {k: v for k, v in p.items() if k != "comments"}
                post.setdefault("author", "someone")
                post.setdefault("created_utc", 1763800000.0)
                post["subreddit"] = sub
                self.posts[p["id"]] = post
                self.rising[sub.lower()].append(p["id"])
                self._add_comments(p.get("comments", []), p["id"], f"t3_{p['id']}")
        if inbox:
            fake_reddit_inbox.add_to_threads(self, inbox)

    def _add_comments(self, items: list[dict], post_id: str, parent: str) -> None:
        for c in items:
            com = {k: v for k, v in c.items() if k != "replies"}
            com.update(link_id=f"t3_{post_id}", parent_id=parent)
            self.comments[c["id"]] = com
            self.children.setdefault(parent, []).append(c["id"])
            self._add_comments(c.get("replies", []), post_id, f"t1_{c['id']}")

    # ---- test controls ----
    def delete_comment(self, cid: str, removed: bool = False) -> None:
        self.comments[cid].update(author="[deleted]", body="[removed]" if removed else "[deleted]")

    def lock_post(self, pid: str) -> None:
        self.posts[pid]["locked"] = True

    def ban(self, subreddit: str) -> None:
        self.banned.add(subreddit.lower())

    def set_score(self, cid: str, score: int) -> None:
        """Votes arriving between two checks (outcome tracking, 07)."""
        with self.lock:
            self.comments[cid]["score"] = int(score)

    def add_reply(self, parent_cid: str, text: str, author: str = "someone_else") -> str:
        """Another user answers a comment (e.g. the bot's reply); returns the new comment's id."""
        with self.lock:
            cid = self.new_comment(f"t1_{parent_cid}", text)["data"]["id"]
            self.comments[cid]["author"] = author
        return cid

    def comment_posts(self) -> list[Request]:
        """The POSTs to /api/comment this server received (failed ones included)."""
        return [r for r in self.requests if r.method == "POST" and r.path == "/api/comment"]

    def bot_replies(self, cid: str) -> list[dict]:
        return [self.comments[k] for k in self.children.get(f"t1_{cid}", [])
                if self.comments[k].get("author") == self.bot_username]

    # ---- JSON shapes ----
    def post_json(self, pid: str) -> dict:
        p = self.posts[pid]
        data = {"id": pid, "name": f"t3_{pid}", "title": p["title"], "author": p.get("author"), "score": p["score"],
                "selftext": p.get("selftext", ""), "created_utc": p["created_utc"], "subreddit": p["subreddit"],
                "locked": bool(p.get("locked")), "archived": bool(p.get("archived")),
                "num_comments": sum(1 for c in self.comments.values() if c["link_id"] == f"t3_{pid}"),
                "permalink": f"/r/{p['subreddit']}/comments/{pid}/x/", "url": f"/r/{p['subreddit']}/comments/{pid}/x/"}
        return {"kind": "t3", "data": self._without_omitted(data)}

    def comment_json(self, cid: str, depth: int = 0, nest: bool = True) -> dict:
        c = self.comments[cid]
        pid = c["link_id"][3:]
        sub = self.posts[pid]["subreddit"]
        data = {"id": cid, "name": f"t1_{cid}", "body": c["body"], "author": c.get("author"), "score": c["score"],
                "created_utc": c["created_utc"], "link_id": c["link_id"], "parent_id": c["parent_id"],
                "subreddit": sub, "depth": depth, "locked": bool(c.get("locked")),
                "archived": bool(self.posts[pid].get("archived")),
                "permalink": f"/r/{sub}/comments/{pid}/x/{cid}/", "replies": ""}
        kids = self.children.get(f"t1_{cid}", [])
        if nest and kids:
            data["replies"] = listing([self.comment_json(k, depth + 1) for k in kids])
        return {"kind": "t1", "data": self._without_omitted(data)}

    def _without_omitted(self, data: dict) -> dict:
        return {k: v for k, v in data.items() if k not in self.omit_fields}

    def thread_json(self, pid: str, focus: str | None = None) -> list[dict]:
        top = self.children.get(f"t3_{pid}", [])
        if focus:
            things = [self.comment_json(focus, 0)] if focus in self.comments else []
        else:
            things = [self.comment_json(k) for k in top[:MORE_AFTER]]
            rest = top[MORE_AFTER:]
            if rest:
                things.append({"kind": "more", "data": {"count": len(rest), "name": f"t1_{rest[0]}", "id": rest[0],
                                                        "parent_id": f"t3_{pid}", "depth": 0, "children": rest}})
        return [listing([self.post_json(pid)]), listing(things)]

    def new_comment(self, parent_fullname: str, text: str) -> dict:
        self._next_id += 1
        cid = f"zz{self._next_id:04d}"
        parent = self.comments.get(parent_fullname[3:], {})
        link_id = parent.get("link_id", parent_fullname)
        self.comments[cid] = {"id": cid, "author": self.bot_username, "body": text, "score": 1,
                              "created_utc": time.time(), "link_id": link_id, "parent_id": parent_fullname}
        self.children.setdefault(parent_fullname, []).append(cid)
        return self.comment_json(cid, nest=False)


class Handler(BaseHTTPRequestHandler):
    state: RedditState  # set on the subclass made by FakeReddit

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=UTF-8" if isinstance(body, bytes)
                         else "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        url = urlparse(self.path)
        path = re.sub(r"\.json$", "", url.path).rstrip("/") or "/"
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            params.update({k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()})
        st = self.state
        delay = 0.0
        with st.lock:
            fault = fault_answer(st.faults, path, params)
            if fault and fault[0] == "delay":
                delay, fault = fault[1], None
            if fault and fault[0] == "commit":
                self._route(method, path, params)
                fault = fault[1]
            status, body, headers = fault or self._route(method, path, params)
            st.requests.append(Request(method, path, {k: v for k, v in params.items() if k != "password"}, status))
        threading.Event().wait(delay)  # outside the lock: other requests go on (and immune to a patched sleep)
        self._send(status, body, headers)

    def _route(self, method: str, path: str, p: dict) -> tuple[int, Any, dict]:
        st = self.state
        if path == "/api/v1/access_token":
            return 200, {"access_token": "loopback-token", "token_type": "bearer", "expires_in": 86400,
                         "scope": "*"}, {}
        about = fake_reddit_about.route(st.communities, st.bot_username, st.banned, method, path)
        if about is not None:
            return about
        box = fake_reddit_inbox.route(st, method, path, p)
        if box is not None:
            return box
        m = re.fullmatch(r"/r/([^/]+)/(top|controversial|hot|new)", path)
        if m and method == "GET":  # stage 00's reddit source: helpers/offline/fake_reddit_listings.py
            return fake_reddit_listings.listing_page(st, m.group(1), m.group(2), p)
        m = re.fullmatch(r"/r/([^/]+)/rising", path)
        if m and method == "GET":
            ids = st.rising.get(m.group(1).lower(), [])[: int(p.get("limit", 25))]
            return 200, listing([st.post_json(i) for i in ids]), {}
        m = re.fullmatch(r"(?:/r/[^/]+)?/comments/([^/]+)(?:/[^/]+/([^/]+))?", path)
        if m and method == "GET":
            if m.group(1) not in st.posts:
                return 404, {"message": "Not Found", "error": 404}, {}
            return 200, st.thread_json(m.group(1), m.group(2)), {}
        if path == "/api/info":
            things = []
            for full in p.get("id", "").split(","):
                if full.startswith("t1_") and full[3:] in st.comments:
                    things.append(st.comment_json(full[3:], nest=False))
                elif full.startswith("t3_") and full[3:] in st.posts:
                    things.append(st.post_json(full[3:]))
            return 200, listing(things), {}
        if path == "/api/morechildren":
            ids = [i for i in p.get("children", "").split(",") if i in st.comments]
            things = []
            for i in ids:  # flat, parents before children, as Reddit sends them
                things.extend(_flatten(st, i, 0))
            return 200, {"json": {"errors": [], "data": {"things": things}}}, {}
        if path == "/api/comment" and method == "POST":
            return self._comment(p)
        return 404, {"message": "Not Found", "error": 404}, {}

    def _comment(self, p: dict) -> tuple[int, Any, dict]:
        st = self.state
        parent = p.get("thing_id", "")
        c = st.comments.get(parent[3:]) if parent.startswith("t1_") else None
        post = st.posts.get((c["link_id"] if c else parent)[3:])
        if post is None:
            return 200, api_error("NO_THING_ID", "that thing does not exist"), {}
        if post["subreddit"].lower() in st.banned:
            return 403, {"message": "Forbidden", "error": 403, "reason": "banned"}, {}
        if c is not None and c.get("body") in ("[deleted]", "[removed]"):
            return 200, api_error("DELETED_COMMENT", "that comment has been deleted"), {}
        if post.get("archived"):
            return 200, api_error("TOO_OLD", "that's a piece of history now; it's too late to reply to it"), {}
        if post.get("locked") or (c is not None and c.get("locked")):
            return 200, api_error("THREAD_LOCKED", "Comments are locked."), {}
        thing = st.new_comment(parent, p.get("text", ""))
        return 200, {"json": {"errors": [], "data": {"things": [thing]}}}, {}


def _flatten(st: RedditState, cid: str, depth: int) -> list[dict]:
    out = [st.comment_json(cid, depth, nest=False)]
    for k in st.children.get(f"t1_{cid}", []):
        out.extend(_flatten(st, k, depth + 1))
    return out


@dataclass
class FakeReddit(LoopbackServer):
    """A running loopback server: ``url`` for praw.ini, ``state`` for fault injection and request counts."""

    state: RedditState

    def praw_ini(self, path: str | Path, site: str = "recorded") -> Path:
        """Write a praw.ini with a site pointing at this server (dummy credentials: it accepts any)."""
        path = Path(path)
        path.write_text(
            f"[{site}]\nclient_id=loopback-client\nclient_secret=loopback-secret\nusername={self.state.bot_username}\n"
            f"password=loopback-password\noauth_url={self.url}\nreddit_url={self.url}\n"
            "check_for_updates=False\nratelimit_seconds=5\n", encoding="utf-8")
        return path


def serve(recorded: dict | str | Path | None = None, host: str = "127.0.0.1", port: int = 0,
          inbox: dict | str | Path | None = None) -> FakeReddit:
    """Start the server in a daemon thread (port 0: any free port) and return it; ``inbox``: the bot's recorded
    inbox (a path, or fake_reddit_inbox.RECORDED_INBOX), none by default."""
    if recorded is None or isinstance(recorded, (str, Path)):
        recorded = load_recorded(recorded or RECORDED_THREADS)
    if isinstance(inbox, (str, Path)):
        inbox = fake_reddit_inbox.load_inbox(inbox)
    state = RedditState(recorded, inbox)
    server, thread = start(Handler, state, "fake-reddit", host, port)
    return FakeReddit(server=server, thread=thread, state=state)
