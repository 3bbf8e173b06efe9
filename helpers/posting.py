"""Stage 06, posting: approved replies only, dry run by default, and never the same reply twice.

The posting ledger (live/posting_ledger.csv) is an append-only event log written atomically before the API call
("attempting") and after it ("posted" / "error" / "skipped"). A run killed anywhere and run again reads the ledger:
a reply left "attempting" (or after a 5xx, whose outcome is unknown) is re-checked on Reddit first; if the bot's reply
is there it is recorded as posted without a second POST, otherwise it is posted. Rows held back by a cap or a
transient error get no final event, so the next run posts them: an approved reply is never lost.
"""

from __future__ import annotations

import contextlib
import functools
import random
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from . import reddit_fields as rf
from .drive import POSTING_LEDGER, WOULD_POST, read_csv, write_csv
from .select import is_true
from .text import DELETED

LEDGER = POSTING_LEDGER
LEDGER_COLUMNS = ["event_at", "run_id", "comment_id", "post_id", "subreddit", "status", "reply_id", "error", "body"]
PERMANENT = {"deleted", "locked", "archived", "banned", "already_replied"}  # errors a re-run does not retry
TRANSIENT = {"rate_limited", "server_error", "network"}


def would_post_path(run_date: str) -> str:
    return WOULD_POST.format(date=run_date)


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Ledger:
    """The posting ledger: the last event per comment is its state; every append rewrites the file atomically."""

    def __init__(self, path: str | Path, on_write: Callable[[], Any] | None = None):
        self.path = Path(path)
        self.on_write = on_write
        self.df = (read_csv(self.path, required=LEDGER_COLUMNS, hint="posting ledger").astype({"comment_id": str})
                   if self.path.exists() else pd.DataFrame(columns=LEDGER_COLUMNS))

    def append(self, **event: Any) -> None:
        row = {c: event.get(c, "") for c in LEDGER_COLUMNS}
        row["event_at"] = row["event_at"] or now_iso()
        self.df = pd.concat([self.df, pd.DataFrame([row], columns=LEDGER_COLUMNS)], ignore_index=True)
        write_csv(self.df, self.path)
        if self.on_write:
            self.on_write()

    def state(self, comment_id: str) -> tuple[str, str]:
        """(status, error) of the last event for this comment, ("", "") if none."""
        rows = self.df[self.df["comment_id"].astype(str) == str(comment_id)]
        if rows.empty:
            return "", ""
        last = rows.iloc[-1]
        return str(last["status"]), "" if pd.isna(last["error"]) else str(last["error"])

    def posted_today(self, subreddit: str, day: str) -> int:
        df = self.df
        hit = (df["status"] == "posted") & (df["subreddit"].astype(str).str.lower() == subreddit.lower())
        return int((hit & df["event_at"].astype(str).str.startswith(day)).sum())

    def seconds_since_last_post(self) -> float | None:
        """So that a run started right after another still keeps the pause before its first post."""
        posted = self.df.loc[self.df["status"] == "posted", "event_at"]
        if posted.empty:
            return None
        last = pd.to_datetime(posted.astype(str), utc=True, format="ISO8601").max()
        return (datetime.now(timezone.utc) - last.to_pydatetime()).total_seconds()

    def posted_posts(self) -> set[str]:
        return set(self.df.loc[self.df["status"] == "posted", "post_id"].astype(str))


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
    """A Reddit error as one word for the ledger; TRANSIENT ones are retried by the next run."""
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
    if isinstance(exc, prawcore.Forbidden):
        return "banned"
    if isinstance(exc, (prawcore.NotFound, ClientException)):
        return "deleted"
    if isinstance(exc, prawcore.ServerError):
        return "server_error"
    if isinstance(exc, prawcore.RequestException):
        return "network"
    return "error:" + type(exc).__name__


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


def send_reply(reddit, comment_id: str, body: str, sleep: Callable[[float], Any], max_waits: int = 3) -> str:
    """POST the reply once; on a rate limit (not processed) wait as long as Reddit says and try again, at most
    max_waits times; an expired token (401, not processed) is renewed and tried again."""
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
            sleep(retry_after_s(e))
    raise AssertionError("unreachable")


def countdown(seconds: float, sleep: Callable[[float], Any]) -> None:
    """The pause between posts, shown as a tqdm countdown."""
    from tqdm.auto import tqdm

    whole = int(seconds)
    for _ in tqdm(range(whole), desc="next post in", unit="s", leave=False):
        sleep(1)
    if seconds - whole > 0:
        sleep(seconds - whole)


def post_replies(reddit, review: pd.DataFrame, ledger: Ledger, *, bot_username: str, dry_run: bool = True,
                 auto_approve: bool = False, max_posts_per_run: int = 5, max_posts_per_subreddit_per_day: int = 3,
                 delay_min_s: float = 60.0, delay_max_s: float = 660.0, footer: str = "", seed: int | None = None,
                 sleep: Callable[[float], Any] = time.sleep, hook: Callable[[str, dict], Any] | None = None,
                 run_id: str = "") -> pd.DataFrame:
    """Post (or, in a dry run, only show) the approved review rows; one result row per review row."""
    rng = random.Random(seed)
    hook = hook or (lambda step, row: None)
    run_id = run_id or now_iso()
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    sent_run, sent_sub, results = 0, {}, []
    for _, r in review.iterrows():
        row = {"comment_id": str(r["comment_id"]), "post_id": str(r["post_id"]), "subreddit": str(r["subreddit"])}
        text = "" if pd.isna(r.get("reply")) else str(r["reply"]).strip()
        body = text + (f"\n\n{footer.strip()}" if footer.strip() else "")
        out = dict(row, body=body, status="", reply_id="", error="")
        results.append(out)
        status, error = ledger.state(row["comment_id"])
        if not (auto_approve or is_true(r.get("approved"))):
            out["status"] = "not_approved"
        elif not text:
            out["status"] = "no_reply"
        elif status in ("posted", "skipped") or (status == "error" and error not in TRANSIENT):
            out.update(status=f"done_before:{status}", error=error)
        elif status == "" and row["post_id"] in ledger.posted_posts():
            out["status"] = "post_already_replied"
        elif sent_run >= max_posts_per_run:
            out["status"] = "capped_run"
        elif ledger.posted_today(row["subreddit"], day) + sent_sub.get(row["subreddit"].lower(), 0) \
                >= max_posts_per_subreddit_per_day:
            out["status"] = "capped_subreddit"
        else:
            _post_one(reddit, out, row, body, status, ledger, bot_username=bot_username, dry_run=dry_run,
                      delay=0.0 if dry_run else _pause(rng.uniform(delay_min_s, delay_max_s), sent_run, ledger),
                      sleep=sleep, hook=hook, run_id=run_id)
            if out["status"] in ("posted", "dry_run"):
                sent_run += 1
                key = row["subreddit"].lower()
                sent_sub[key] = sent_sub.get(key, 0) + 1
    return pd.DataFrame(results, columns=["comment_id", "post_id", "subreddit", "status", "reply_id", "error", "body"])


def _pause(delay: float, sent_run: int, ledger: Ledger) -> float:
    if sent_run:
        return delay
    since = ledger.seconds_since_last_post()
    return 0.0 if since is None else max(0.0, delay - since)


def _post_one(reddit, out: dict, row: dict, body: str, prior: str, ledger: Ledger, *, bot_username: str,
              dry_run: bool, delay: float, sleep, hook, run_id: str) -> None:
    """Re-check, then (unless dry run) ledger 'attempting' → POST → ledger 'posted'/'error'. Fills ``out``."""
    event = dict(row, run_id=run_id, body=body)
    if delay > 0:  # pause first, so the re-check is as close to the POST as it can be
        countdown(delay, sleep)
    try:
        problem, existing = recheck(reddit, row["comment_id"], bot_username)
    except Exception as e:  # noqa: BLE001 - any Reddit failure is recorded for this row and the batch goes on
        problem, existing = classify(e), ""
        if problem in TRANSIENT or problem.startswith("error:"):
            out.update(status="error", error=f"recheck: {problem}: {e}")
            return
    if problem == "already_replied" and prior:  # our own earlier attempt got through before a kill / a 5xx
        out.update(status="recovered", reply_id=existing)
        if not dry_run:
            ledger.append(**event, status="posted", reply_id=existing, error="recovered on re-check")
        return
    if problem:
        out.update(status="skipped", error=problem, reply_id=existing)
        if not dry_run:
            ledger.append(**event, status="skipped", reply_id=existing, error=problem)
        return
    if dry_run:
        out["status"] = "dry_run"
        return
    hook("before_attempting", row)
    ledger.append(**event, status="attempting")
    hook("after_attempting", row)
    try:
        reply_id = send_reply(reddit, row["comment_id"], body, sleep)
    except Exception as e:  # noqa: BLE001 - recorded per row; the batch goes on
        kind = classify(e)
        out.update(status="error", error=kind)
        ledger.append(**event, status="error", error=kind)
        return
    hook("after_call", row)
    ledger.append(**event, status="posted", reply_id=reply_id)
    hook("after_posted", row)
    out.update(status="posted", reply_id=reply_id)
