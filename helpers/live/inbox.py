"""05's inbox target: replies to the bot's comments and username mentions, from the bot's unread inbox.

Each item is either a conversation row (the chain above it fetched from Reddit: post title, ancestors, the bot's
earlier reply, the person's answer) or skipped with a counted reason, logged in the inbox log and then marked read.
Never answered: private messages; the bot itself; AutoModerator; names on `never_reply_to` or (with
`skip_bot_names`) ending in bot/Bot; deleted authors; a person who asked it to stop (a `stop_phrases` match puts
them on the opt-out list for good) or is on it; a thread where the bot already spoke `max_bot_turns_per_thread`
times; a subreddit the preflight refused or a hold blocks, or one 05 does not look at; a deleted, removed, locked or
archived parent or post; a chain that cannot be fetched (skipped, never guessed).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..reddit import fields as rf
from ..text import DELETED, clean_text
from . import optouts
from .conversation import CONVERSATION, InboxLog, chain_text, conversation_context, mark_read
from .proposals import COMMENT_COLUMNS

INBOX_COLUMNS = COMMENT_COLUMNS + ["turn", "inbox_id", "inbox_type", "author", "bot_turns", "chain", "context"]
ANSWERED_TYPES = {"comment_reply", "post_reply", "username_mention"}
NEVER = {"automoderator"}


@dataclass
class InboxRules:
    """Who and where the bot never answers (05's parameters and preflight)."""

    bot: str
    usable: set[str]  # lower-case subreddits the preflight allows
    blocked: dict[str, str] = field(default_factory=dict)  # lower-case subreddit (or "*") -> why not (refused, held)
    never_reply_to: set[str] = field(default_factory=set)
    skip_bot_names: bool = True
    stop_phrases: tuple[str, ...] = ()
    max_turns: int = 3
    context_depth: int = 0  # the thread-context form of the prompts (helpers.context; 00 and 05 share it)


class ChainUnavailable(Exception):
    """The chain above an inbox item could not be fetched whole: the item is skipped, not guessed."""


def who_not(author: str | None, rules: InboxRules, people: dict[str, dict]) -> str:
    """Why this author is never answered ("" if they may be)."""
    if author is None:
        return "author_deleted"
    name = author.lower()
    if name == rules.bot.lower():
        return "own_comment"
    if name in NEVER:
        return "automoderator"
    if name in {n.lower() for n in rules.never_reply_to}:
        return "never_reply_to"
    if rules.skip_bot_names and author.endswith(("bot", "Bot", "BOT")):
        return "bot_account"
    if optouts.opted_out(people, author):
        return "opted_out"
    return ""


def where_not(subreddit: str, rules: InboxRules) -> str:
    sub = subreddit.lower()
    if rules.blocked.get("*") or sub in rules.blocked:
        return "subreddit_blocked"
    return "" if sub in rules.usable else "subreddit_not_allowed"


def post_of(item) -> str:
    m = re.search(r"/comments/([^/]+)", rf.text(item, "context"))
    return m.group(1) if m else rf.post_id(item)


def read_thread(reddit, post_id: str, cache: dict | None = None) -> tuple:
    """(submission, {comment id: comment}, title) of a whole thread, "load more" expanded; read once per run per
    thread (a failure too: every item of that thread is then skipped)."""
    cache = cache if cache is not None else {}
    if post_id not in cache:
        try:
            submission = reddit.submission(post_id)
            submission.comments.replace_more(limit=None)
            cache[post_id] = (submission, {c.id: c for c in submission.comments.list()}, rf.text(submission, "title"))
        except Exception as e:  # noqa: BLE001 - any failure to read the thread: skipped with the reason, not guessed
            cache[post_id] = ChainUnavailable(f"{type(e).__name__}: {e}")
    if isinstance(cache[post_id], ChainUnavailable):
        raise cache[post_id]
    return cache[post_id]


def fetch_chain(reddit, item, bot: str, cache: dict | None = None) -> dict:
    """The thread above ``item`` from Reddit: title, ancestors top-down, the direct parent, the bot's turns in the
    thread, the thread's state. Raises ChainUnavailable when a link of the chain is missing."""
    submission, comments, title = read_thread(reddit, post_of(item), cache)
    chain, parent_id = [], rf.text(item, "parent_id")
    while parent_id.startswith("t1_"):
        parent = comments.get(parent_id[3:])
        if parent is None:
            raise ChainUnavailable(f"{parent_id} is not in the thread")
        chain.insert(0, parent)
        parent_id = rf.text(parent, "parent_id")
        if len(chain) > 50:
            raise ChainUnavailable("the chain is longer than 50 comments")
    mine = [c for c in comments.values() if (rf.author(c) or "").lower() == bot.lower()]
    return {"submission": submission, "title": title, "chain": chain, "parent": chain[-1] if chain else None,
            "bot_turns": len(mine),
            "answered": any(rf.text(c, "parent_id") == f"t1_{rf.thing_id(item)}" for c in mine)}


def thread_problem(thread: dict, item) -> str:
    sub, parent = thread["submission"], thread["parent"]
    if rf.author(sub) is None and (rf.text(sub, "selftext").strip() in DELETED or rf.field(sub, "removed_by_category")):
        return "post_deleted"
    if parent is not None and (rf.author(parent) is None or rf.text(parent, "body").strip() in DELETED):
        return "parent_deleted"
    if rf.flag(sub, "archived"):
        return "thread_archived"
    if rf.flag(sub, "locked") or rf.flag(item, "locked"):
        return "thread_locked"
    return ""


def decide(reddit, item, rules: InboxRules, people: dict[str, dict], optouts_path: Path,
           threads: dict | None = None, drive=None) -> tuple[str, dict | None]:
    """(reason to skip, None) or ("", the conversation row) for one inbox item; ``threads`` caches threads read;
    ``drive``: where the opt-out list lives (a stop is added to it there at once)."""
    if not rf.flag(item, "was_comment") or rf.text(item, "name").startswith("t4_"):
        return "private_message", None
    if rf.text(item, "type") not in ANSWERED_TYPES:
        return "not_a_reply_or_mention", None
    author, body = rf.author(item), rf.text(item, "body")
    why = who_not(author, rules, people)
    if why:
        return why, None
    phrase = optouts.stop_phrase(body, rules.stop_phrases)
    if phrase:
        people.update(optouts.add_optout(optouts_path, author, rf.thing_id(item), phrase, drive=drive))
        return "asked_to_stop", None
    if body.strip() in DELETED or not clean_text(body):
        return "comment_deleted", None
    why = where_not(rf.subreddit(item), rules)
    if why:
        return why, None
    try:
        thread = fetch_chain(reddit, item, rules.bot, threads)
    except ChainUnavailable:
        return "chain_unavailable", None
    why = thread_problem(thread, item) or ("already_answered" if thread["answered"] else "")
    if why:
        return why, None
    if thread["bot_turns"] >= rules.max_turns:
        return "turn_cap", None
    return "", conversation_row(item, thread, rules.bot, rules.context_depth)


def conversation_row(item, thread: dict, bot: str, depth: int = 0) -> dict:
    parent, sub = thread["parent"], thread["submission"]
    bot_reply = rf.text(parent, "body") if parent is not None and (rf.author(parent) or "").lower() == bot.lower() \
        else ""
    ancestors = [(rf.author(c) or "", clean_text(rf.text(c, "body"))) for c in thread["chain"]]
    ancestors = ancestors[:-1] if bot_reply else ancestors
    answer, author, title = clean_text(rf.text(item, "body")), rf.author(item) or "", thread["title"]
    created = rf.number(item, "created_utc")
    context = conversation_context(clean_text(title), ancestors, clean_text(bot_reply), depth)
    return {"subreddit": rf.subreddit(item), "post_id": rf.thing_id(sub), "title": title,
            "post_score": int(rf.number(sub, "score") or 0), "comment_id": rf.thing_id(item),
            "comment_score": int(rf.number(item, "score") or 0), "comment": answer,
            "comment_permalink": rf.text(item, "context").split("?")[0] or rf.permalink(item, is_comment=True),
            "comment_created_utc": int(created) if created is not None else None, "turn": CONVERSATION,
            "inbox_id": f"t1_{rf.thing_id(item)}", "inbox_type": rf.text(item, "type"), "author": author,
            "bot_turns": thread["bot_turns"],
            "chain": chain_text(title, ancestors, bot, clean_text(bot_reply), author, answer),
            "context": context}


def fetch_inbox(reddit, rules: InboxRules, optouts_path: str | Path, log: InboxLog, limit: int | None = None,
                drive=None) -> tuple[pd.DataFrame, dict]:
    """Conversation rows for the unread inbox; every skip is counted, logged, then its item marked read. ``drive``:
    the helpers.drive.Drive holding the opt-out list (read as it is there now, added to there at once)."""
    optouts_path = Path(optouts_path)
    people = optouts.current(optouts_path, drive)
    decided = log.decided()
    drops: Counter = Counter()
    rows, skipped, done_before, seen, threads = [], [], [], 0, {}
    for item in reddit.inbox.unread(limit=limit):
        seen += 1
        name = rf.text(item, "name")
        if name in decided:  # decided by an earlier run that was stopped before marking it read
            done_before.append(name)
            continue
        why, row = decide(reddit, item, rules, people, optouts_path, threads, drive)
        if row is not None:
            rows.append(row)
            continue
        drops[why] += 1
        if name.startswith("t1_"):  # a private message is left as it is: the bot never reads or answers them
            skipped.append({"stage": "05", "inbox_id": name, "comment_id": rf.thing_id(item), "author":
                            rf.author(item) or "", "subreddit": rf.subreddit(item), "type": rf.text(item, "type"),
                            "decision": "skipped", "reason": why})
    log.append(skipped)
    marked = mark_read(reddit, [s["inbox_id"] for s in skipped] + done_before)
    df = pd.DataFrame(rows, columns=INBOX_COLUMNS)
    summary = {"inbox_seen": seen, "inbox_kept": len(df), "inbox_dropped": dict(drops),
               "inbox_marked_read": marked, "inbox_decided_before": len(done_before),
               "opted_out": sorted(p["name"] for p in people.values())}
    return df, summary
