"""The loopback Reddit's inbox: the bot's unread comment replies, username mentions and private messages.

Endpoints, shaped as Reddit answers them: ``/message/unread``, ``/message/comments`` (comment and post replies),
``/message/mentions`` and ``/message/inbox`` list the items (kind t1 with ``was_comment: true``, ``context``,
``parent_id``, ``link_title``, ``subreddit``, ``author``, ``new``, ``type`` comment_reply | post_reply |
username_mention; a private message is kind t4); ``POST /api/read_message`` (``id``: comma-separated fullnames)
marks them read. Items come from files/recorded_inbox.json; each t1 item is also a comment of its thread (so the
chain above it can be fetched), and the bot's earlier comments it answers are added first.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from .fake_reddit_listings import listing

RECORDED_INBOX = Path(__file__).resolve().parent / "files" / "recorded_inbox.json"
BOXES = {"/message/unread": None, "/message/inbox": None, "/message/comments": {"comment_reply", "post_reply"},
         "/message/mentions": {"username_mention"}}


def load_inbox(path: str | Path = RECORDED_INBOX) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def add_to_threads(state: Any, inbox: dict) -> None:
    """The comments the inbox hangs from and the t1 items themselves, into the server's threads."""
    state.inbox = [copy.deepcopy(m) for m in inbox.get("messages", [])]
    added = list(inbox.get("thread_comments", []))
    added += [{**{k: m["data"][k] for k in ("id", "author", "body", "parent_id", "score", "created_utc")},
               "link_id": "t3_" + m["data"]["context"].split("/comments/")[1].split("/")[0]}
              for m in state.inbox if m["kind"] == "t1"]
    for c in added:
        if c["id"] in state.comments:
            continue
        state.comments[c["id"]] = dict(c)
        state.children.setdefault(c["parent_id"], []).append(c["id"])


def add_message(state: Any, kind: str, **data: Any) -> None:
    """A test puts one more item in the inbox (e.g. a reply by another user to the bot's reply)."""
    base = {"new": True, "was_comment": kind == "t1", "dest": state.bot_username, "replies": "", "likes": None,
            "first_message": None, "first_message_name": None, "distinguished": None, "created_utc": 1763803000,
            "subject": "comment reply" if kind == "t1" else "", "parent_id": None, "context": "", "subreddit": None}
    state.inbox.append({"kind": kind, "data": {**base, **data}})


def route(state: Any, method: str, path: str, params: dict[str, str]) -> tuple[int, Any, dict] | None:
    """The inbox endpoints, or None for any other path."""
    if path in BOXES and method == "GET":
        types = BOXES[path]
        items = [m for m in state.inbox if (path != "/message/unread" or m["data"].get("new"))
                 and (types is None or (m["kind"] == "t1" and m["data"].get("type") in types))]
        limit = int(params.get("limit", 25) or 25)
        return 200, listing([_shown(state, m) for m in items[:limit]]), {}
    if path == "/api/read_message" and method == "POST":
        names = set(params.get("id", "").split(","))
        for m in state.inbox:
            if m["data"].get("name") in names:
                m["data"]["new"] = False
        return 200, {}, {}
    return None


def _shown(state: Any, m: dict) -> dict:
    """An item as served now: a t1 item carries its comment's current body and author (deleted since, edited)."""
    out = copy.deepcopy(m)
    c = state.comments.get(out["data"]["id"]) if out["kind"] == "t1" else None
    if c is not None:
        out["data"].update(body=c["body"], author=c.get("author"))
    return out
