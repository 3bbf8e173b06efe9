"""Stage 06's Reddit calls: where a comment lives, the re-check just before posting, the POST itself, and what
each Reddit error means for the ledger (final, retry next run, or unknown: re-check Reddit first)."""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Any, Callable

from ..reddit import fields as rf
from ..text import DELETED

# Any other error (deleted, locked, archived, banned, already_replied, api_error:..., error:...) is final: a re-run
# does not retry it.
TRANSIENT = {"rate_limited"}  # not processed by Reddit: the next run posts again
UNKNOWN = {"server_error", "network", "bad_answer", "invalid_token"}  # maybe processed: re-check before anything


class RateLimitTooLong(Exception):
    """Reddit asked for a longer wait than max_rate_limit_wait_s: the row is left for the next run."""

    def __init__(self, wait_s: float, max_wait_s: float):
        self.wait_s, self.max_wait_s = wait_s, max_wait_s
        super().__init__(f"rate_limited: Reddit asked to wait {wait_s:.0f} s, more than "
                         f"max_rate_limit_wait_s={max_wait_s:g}; left for the next run")


def retry_after_s(exc: Exception, default: float = 60.0) -> float:
    """How long Reddit told us to wait: Retry-After, x-ratelimit-reset, or 'take a break for N minutes'."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    for key in ("retry-after", "x-ratelimit-reset"):
        if headers.get(key):
            try:
                return float(headers[key])
            except ValueError:
                pass
    m = re.search(r"(\d+)\s*(millisecond|second|minute)", str(exc))
    if m:
        return int(m.group(1)) * {"millisecond": 0.001, "second": 1, "minute": 60}[m.group(2)]
    return default


def classify(exc: Exception) -> str:
    """A Reddit error as one word for the ledger: one of TRANSIENT or UNKNOWN, or a final one (deleted, locked,
    archived, banned, api_error:<codes>, error:<type>)."""
    import prawcore
    from praw.exceptions import ClientException, RedditAPIException

    if isinstance(exc, RedditAPIException):
        codes = {item.error_type for item in exc.items}
        for code, kind in (("RATELIMIT", "rate_limited"), ("DELETED_COMMENT", "deleted"),
                           ("THREAD_LOCKED", "locked"), ("TOO_OLD", "archived"), ("SUBREDDIT_NOTALLOWED", "banned")):
            if code in codes:
                return kind
        return "api_error:" + ",".join(sorted(codes))
    if isinstance(exc, prawcore.TooManyRequests):
        return "rate_limited"
    if isinstance(exc, prawcore.BadJSON):  # a 2xx whose body is not JSON: the comment may well exist
        return "bad_answer"
    if isinstance(exc, prawcore.InvalidToken):
        return "invalid_token"
    if isinstance(exc, prawcore.Forbidden):
        return "banned"
    if isinstance(exc, (prawcore.NotFound, ClientException)):
        return "deleted"
    if isinstance(exc, prawcore.ServerError):
        return "server_error"
    if isinstance(exc, prawcore.RequestException):
        return "network"
    return "error:" + type(exc).__name__


def locate(reddit, comment_id: str) -> tuple[str, str]:
    """(post id, subreddit) of a comment as Reddit has them: the review sheet's columns are only advice."""
    comment = reddit.comment(comment_id)
    comment.refresh()
    return str(comment.link_id).removeprefix("t3_"), str(comment.subreddit)


def recheck(reddit, comment_id: str, bot_username: str) -> tuple[str, str]:
    """Just before posting: (problem, id of the bot's existing reply). problem "" means post it."""
    comment = reddit.comment(comment_id)
    comment.refresh()
    comment.replies.replace_more(limit=None)  # a busy comment's replies may sit behind "load more"
    for reply in comment.replies:
        author = rf.author(reply)
        if author is not None and author.lower() == bot_username.lower():
            return "already_replied", reply.id
    if rf.author(comment) is None or rf.text(comment, "body").strip() in DELETED:
        return "deleted", ""
    submission = comment.submission
    if rf.flag(submission, "archived"):
        return "archived", ""
    if rf.flag(submission, "locked") or rf.flag(comment, "locked"):
        return "locked", ""
    return "", ""


@contextlib.contextmanager
def no_automatic_retries(reddit):
    """prawcore re-sends a request answered 5xx by itself; a comment POST answered 5xx may have gone through, so a
    blind re-send could post twice. Here a 5xx is recorded instead, and the next run re-checks before posting."""
    from prawcore.sessions import FiniteRetryStrategy

    cores = [c for c in (reddit._authorized_core, reddit._read_only_core) if c is not None]  # noqa: SLF001
    saved = [c._retry_strategy_class for c in cores]  # noqa: SLF001
    for c in cores:
        c._retry_strategy_class = functools.partial(FiniteRetryStrategy, retries=0)  # noqa: SLF001
    try:
        yield
    finally:
        for c, s in zip(cores, saved):
            c._retry_strategy_class = s  # noqa: SLF001


def send_reply(reddit, comment_id: str, body: str, sleep: Callable[[float], Any], max_waits: int = 3,
               max_wait_s: float = 900.0) -> str:
    """POST the reply once; on a rate limit (not processed) wait as long as Reddit says — at most max_wait_s, else
    RateLimitTooLong — and try again, at most max_waits times; an expired token (401, not processed) is renewed and
    tried again."""
    import prawcore
    from praw.exceptions import RedditAPIException

    comment = reddit.comment(comment_id)
    for attempt in range(max_waits + 1):
        try:
            with no_automatic_retries(reddit):
                return comment.reply(body).id
        except prawcore.InvalidToken:
            if attempt == max_waits:
                raise
        except (prawcore.TooManyRequests, RedditAPIException) as e:
            if classify(e) != "rate_limited" or attempt == max_waits:
                raise
            wait = retry_after_s(e)
            if wait > max_wait_s:
                raise RateLimitTooLong(wait, max_wait_s) from None
            sleep(wait)
    raise AssertionError("unreachable")
