"""Tolerant reads of Reddit things (PRAW objects or JSON dicts) whose optional fields may be missing or null.

Older and some listing payloads lack ``permalink``, ``author``, ``selftext``, ``created_utc``, ``edited``,
``distinguished``, ``locked`` or ``archived``; PRAW then raises AttributeError. These accessors read what the
payload holds, derive what can be derived (a permalink from subreddit, post id and comment id) and return None
otherwise, so the caller can count a named drop.
"""

from __future__ import annotations

from typing import Any

OPTIONAL_FIELDS = ("permalink", "author", "selftext", "created_utc", "edited", "distinguished", "locked", "archived")


def field(thing: Any, name: str, default: Any = None) -> Any:
    """``thing``'s ``name`` as the payload holds it, or ``default`` when missing or null."""
    if isinstance(thing, dict):
        value = thing.get(name)
    else:
        try:
            value = getattr(thing, name)  # a lazy PRAW object fetches itself once, as plain attribute access would
        except AttributeError:
            return default
    return default if value is None else value


def text(thing: Any, name: str) -> str:
    """A text field as str ("" when missing or null)."""
    return str(field(thing, name, ""))


def flag(thing: Any, name: str) -> bool:
    """A boolean field (locked, archived, ...); missing or null reads as False."""
    return bool(field(thing, name, False))


def number(thing: Any, name: str) -> float | None:
    """A numeric field (score, created_utc) as float, or None when missing, null or not a number."""
    try:
        return float(field(thing, name))
    except (TypeError, ValueError):
        return None


def author(thing: Any) -> str | None:
    """The author's name, or None when the payload has none (deleted account, or the field is absent)."""
    a = field(thing, "author")
    if a is None:
        return None
    name = a.get("name") if isinstance(a, dict) else getattr(a, "name", a)
    name = str(name) if name is not None else ""
    return name if name and name != "[deleted]" else None


def subreddit(thing: Any) -> str:
    """The subreddit's display name ("" when absent)."""
    s = field(thing, "subreddit")
    if s is None:
        return ""
    return str(getattr(s, "display_name", s) if not isinstance(s, str) else s)


def thing_id(thing: Any) -> str:
    """The base36 id, from ``id`` or from the fullname ``name`` (t1_xxx)."""
    i = field(thing, "id")
    if i is None:
        full = str(field(thing, "name", ""))
        return full.split("_", 1)[1] if "_" in full else ""
    return str(i)


def post_id(thing: Any) -> str:
    """The post a comment belongs to (link_id without t3_), or a post's own id."""
    link = str(field(thing, "link_id", ""))
    if link:
        return link.removeprefix("t3_")
    sub = field(thing, "submission")
    return thing_id(sub) if sub is not None else thing_id(thing)


def permalink(thing: Any, is_comment: bool | None = None) -> str:
    """The payload's permalink, else one derived from subreddit, post id and comment id ("" if those are absent)."""
    link = field(thing, "permalink")
    if link:
        return str(link)
    sub, pid, cid = subreddit(thing), post_id(thing), thing_id(thing)
    if is_comment is None:
        is_comment = bool(field(thing, "link_id")) or field(thing, "body") is not None
    if not sub or not pid:
        return ""
    return f"/r/{sub}/comments/{pid}/_/{cid}/" if is_comment and cid and cid != pid else f"/r/{sub}/comments/{pid}/"
