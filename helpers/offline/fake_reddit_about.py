"""The loopback Reddit's pages about communities and accounts, for the preflight checks (helpers.reddit.preflight).

Endpoints, shaped as Reddit answers them: ``/r/<sub>/about`` (``subreddit_type`` public | restricted | private |
archived, ``over18``, ``quarantine``, ``user_is_banned``; a private community answers 403 ``reason: private``, a
quarantined one 403 ``reason: quarantined``, one Reddit banned 404 ``reason: banned``, an unknown one 404),
``/r/<sub>/about/rules`` (``rules`` with ``short_name``, ``description``, ``violation_reason``),
``/user/<name>/about`` and ``/api/v1/me`` (``is_suspended``, ``created_utc``, karma; a suspended account answers
with little more than its name and ``is_suspended``). Communities come from files/recorded_subreddits.json; a
subreddit with recorded threads and no entry there is public without rules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RECORDED_SUBREDDITS = Path(__file__).resolve().parent / "files" / "recorded_subreddits.json"
NOT_FOUND = {"message": "Not Found", "error": 404}


@dataclass
class Communities:
    """Subreddit pages and the bot account as the server shows them; tests change them (suspend, set_subreddit)."""

    subs: dict[str, dict] = field(default_factory=dict)  # lower-case name -> about fields (+ "rules")
    account: dict[str, Any] = field(default_factory=dict)
    suspended: bool = False

    @classmethod
    def load(cls, thread_subreddits: list[str], path: str | Path = RECORDED_SUBREDDITS) -> Communities:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        subs = {s.lower(): {"display_name": s} for s in thread_subreddits}
        for name, about in data["subreddits"].items():
            subs[name.lower()] = {"display_name": name, **about}
        return cls(subs=subs, account=dict(data.get("account", {})))

    def set_subreddit(self, name: str, **about: Any) -> None:
        """Create or change a community, e.g. set_subreddit("books", rules=[{"short_name": "No bots"}])."""
        self.subs.setdefault(name.lower(), {"display_name": name}).update(about)

    def suspend(self) -> None:
        self.suspended = True


def me_json(c: Communities, name: str) -> dict:
    if c.suspended:
        return {"name": name, "is_suspended": True, "suspension_expiration_utc": None}
    return {"name": name, "id": "bot1", "is_suspended": False, "created_utc": c.account.get("created_utc", 1.6e9),
            "link_karma": c.account.get("link_karma", 1), "comment_karma": c.account.get("comment_karma", 1)}


def about_json(c: Communities, name: str, banned_here: bool) -> tuple[int, dict]:
    s = c.subs.get(name.lower())
    if s is None:
        return 404, NOT_FOUND
    if s.get("banned"):
        return 404, {**NOT_FOUND, "reason": "banned"}
    kind = s.get("subreddit_type", "public")
    if kind == "private":
        return 403, {"message": "Forbidden", "error": 403, "reason": "private"}
    if s.get("quarantine"):
        return 403, {"message": "Forbidden", "error": 403, "reason": "quarantined",
                     "quarantine_message": "This community is quarantined."}
    sid = s["display_name"].lower()
    data = {"display_name": s["display_name"], "name": f"t5_{sid}", "id": sid,
            "title": s.get("title", s["display_name"]), "subscribers": s.get("subscribers", 1000),
            "subreddit_type": kind, "over18": bool(s.get("over18")), "quarantine": False,
            "user_is_banned": banned_here, "public_description": s.get("title", "")}
    return 200, {"kind": "t5", "data": data}


def rules_json(c: Communities, name: str) -> dict:
    rules = c.subs.get(name.lower(), {}).get("rules", [])
    return {"rules": [{"kind": "all", "priority": i, "created_utc": 1.5e9, "description_html": None,
                       "violation_reason": r.get("violation_reason", r["short_name"]),
                       "description": r.get("description", ""), "short_name": r["short_name"]}
                      for i, r in enumerate(rules)],
            "site_rules": ["Spam", "Personal and confidential information"], "site_rules_flow": []}


def route(c: Communities, bot_username: str, banned: set[str], method: str, path: str
          ) -> tuple[int, Any, dict] | None:
    """The answer for an about/rules/me request, or None when the path is not one of these."""
    if method != "GET":
        return None
    if path == "/api/v1/me":
        return 200, me_json(c, bot_username), {}
    m = re.fullmatch(r"/user/([^/]+)/about", path)
    if m:
        if m.group(1).lower() != bot_username.lower():
            return 404, NOT_FOUND, {}
        return 200, {"kind": "t2", "data": me_json(c, bot_username)}, {}
    m = re.fullmatch(r"/r/([^/]+)/about/rules", path)
    if m:
        status, _ = about_json(c, m.group(1), False)
        return (200, rules_json(c, m.group(1)), {}) if status == 200 else (status, _, {})
    m = re.fullmatch(r"/r/([^/]+)/about", path)
    if m:
        status, body = about_json(c, m.group(1), m.group(1).lower() in banned)
        return status, body, {}
    return None
