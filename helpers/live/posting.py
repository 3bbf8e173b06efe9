"""Stage 06, posting: approved replies only, dry run by default, and never the same reply twice.

The posting ledger (helpers.live.ledger) records every attempt before the API call ("attempting") and after it
("posted",
"skipped", "error", or "unknown" when Reddit's answer does not say whether the comment was created: a 5xx, a timeout,
a 2xx that is not JSON, a 401 that persists). A run starts by re-checking Reddit for every "attempting"/"unknown"
comment: if the bot's reply is there it is recorded as posted without a second POST. Rows held back by a cap, a
transient error or a too-long rate limit get no final event, so the next run posts them: an approved reply is never
lost. The review sheet is advice: where a comment lives comes from Reddit, only comments 05 proposed are posted, and
a person's edited text passes the same filters as selection (helpers.live.select.reply_problem).
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timezone
from typing import Any, Callable

import pandas as pd

from ..drive import WOULD_POST
from .conversation import thread_turns
from .ledger import LEDGER, LEDGER_COLUMNS, Ledger, now_iso
from .posting_settings import PostSettings
from .reddit_post import TRANSIENT, UNKNOWN, RateLimitTooLong, classify, locate, recheck, send_reply
from .review_sheet import auto_approve_refusal, decision_of, is_approved, unreadable

__all__ = ["LEDGER", "LEDGER_COLUMNS", "Ledger", "PostSettings", "post_replies", "resolve_open", "would_post_path"]
RESULT_COLUMNS = ["comment_id", "post_id", "subreddit", "status", "reply_id", "error", "body"]


def would_post_path(run_date: str) -> str:
    return WOULD_POST.format(date=run_date)


def resolve_open(reddit, ledger: Ledger, *, bot_username: str, run_id: str = "") -> dict[str, str]:
    """Before anything else: every comment whose POST outcome is unknown is looked up on Reddit; where the bot's reply
    is there it is recorded as posted (so 07 tracks it). Returns {comment_id: reply_id} of those found."""
    found = {}
    for _, ev in ledger.open_comments().iterrows():
        cid = str(ev["comment_id"])
        try:
            problem, existing = recheck(reddit, cid, bot_username)
        except Exception as e:  # noqa: BLE001 - still unknown; the row's own turn re-checks again
            print(f"re-check of {cid} (outcome unknown) failed: {classify(e)}; it stays unknown")
            continue
        if problem == "already_replied":
            ledger.append(**{k: ev[k] for k in ("comment_id", "post_id", "subreddit", "body")}, run_id=run_id,
                          status="posted", reply_id=existing, error="recovered on re-check")
            found[cid] = existing
    return found


def countdown(seconds: float, sleep: Callable[[float], Any]) -> None:
    """The pause between posts, shown as a tqdm countdown."""
    from tqdm.auto import tqdm

    whole = int(seconds)
    for _ in tqdm(range(whole), desc="next post in", unit="s", leave=False):
        sleep(1)
    if seconds - whole > 0:
        sleep(seconds - whole)


def post_replies(reddit, review: pd.DataFrame, ledger: Ledger, settings: PostSettings | None = None, *,
                 bot_username: str, sleep: Callable[[float], Any] = time.sleep,
                 hook: Callable[[str, dict], Any] | None = None, run_id: str = "",
                 proposed_ids: set[str] | None = None, heartbeat: Callable[[], Any] | None = None,
                 blocked: dict[str, str] | None = None, conversations: dict[str, int] | None = None,
                 confirm: Callable[[dict, str], str] | None = None) -> pd.DataFrame:
    """Post (or, in a dry run, only show) the approved review rows; one result row per review row.
    ``settings``: what posting may do (PostSettings; None: the contract's defaults, a dry run with the disclosure
    footer); ``proposed_ids``: the comment ids 05 proposed (None: not checked);
    ``heartbeat``: called before each post (the lease's: it stops the run if another took the lock); ``blocked``:
    lower-case subreddit -> why the bot must not write there (preflight, holds; "*": nowhere), checked against the
    sheet's subreddit and again against Reddit's. ``conversations``: comment id -> the bot's comments in its thread
    when 05 looked, for conversation turns (from 05's proposals, not the sheet): exempt from one-reply-per-post,
    capped at ``settings.max_turns_per_thread`` instead (05's count or the ledger's, whichever is higher);
    ``confirm(row, text)``: asked right before each post (dry runs too) whether the person's approval of exactly this
    text still stands on Drive, "" if so, else why not: then the row is "withdrawn" and gets no ledger event (a later
    run decides again)."""
    s = settings or PostSettings()
    dry_run, auto_approve, footer = s.dry_run, s.auto_approve, s.footer
    rng = random.Random(s.seed)
    hook = hook or (lambda step, row: None)
    run_id = run_id or now_iso()
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    recovered = {} if dry_run else resolve_open(reddit, ledger, bot_username=bot_username, run_id=run_id)
    sent_run, sent_sub, results, held = 0, {}, [], ""
    blocked = {k.lower(): v for k, v in (blocked or {}).items()}
    if auto_approve and auto_approve_refusal(review):
        print("WARNING " + auto_approve_refusal(review))
        auto_approve = False
    for _, r in review.iterrows():
        row = {"comment_id": str(r["comment_id"]), "post_id": str(r["post_id"]), "subreddit": str(r["subreddit"])}
        text = "" if pd.isna(r.get("reply")) else str(r["reply"]).strip()
        body = text + (f"\n\n{footer.strip()}" if footer.strip() else "")
        out = dict(row, body=body, status="", reply_id="", error="")
        results.append(out)
        status, error = ledger.state(row["comment_id"])
        problem = s.text_rules.problem(text) if text else None
        if decision_of(r) == "rejected":  # a person said no: not even auto_approve posts it
            out["status"] = "rejected"
        elif unreadable(r):  # a mark nobody can read for sure is not a yes, whatever auto_approve says
            out.update(status="not_approved", error=unreadable(r))
        elif not (auto_approve or is_approved(r)):
            out["status"] = "not_approved"
        elif row["comment_id"] in recovered:
            out.update(status="recovered", reply_id=recovered[row["comment_id"]])
        elif not text:
            out["status"] = "no_reply"
        elif status in ("posted", "skipped") or (status == "error" and error not in TRANSIENT):
            out.update(status=f"done_before:{status}", error=error)
        elif proposed_ids is not None and row["comment_id"] not in proposed_ids:
            out.update(status="refused", error="not_proposed: 05 did not propose this comment for this run date")
        elif problem:
            out.update(status="refused", error=problem)
        elif _blocked_reason(blocked, row["subreddit"]):
            out.update(status="refused", error=_blocked_reason(blocked, row["subreddit"]))
        elif held:
            out.update(status="held", error=held)
        elif sent_run >= s.max_posts_per_run:
            out["status"] = "capped_run"
        else:
            _place_and_post(reddit, out, row, body, status, ledger, rng, sent_run, sent_sub, day,
                            s.max_posts_per_subreddit_per_day, s.delay_min_s, s.delay_max_s,
                            dict(bot_username=bot_username, dry_run=dry_run, sleep=sleep, hook=hook, run_id=run_id,
                                 max_wait_s=s.max_rate_limit_wait_s, heartbeat=heartbeat,
                                 confirm=(lambda placed, text=text: confirm(placed, text)) if confirm else None),
                            blocked, turns=(conversations or {}, s.max_turns_per_thread))
            if out["status"] in ("posted", "dry_run"):
                sent_run += 1
                key = out["subreddit"].lower()
                sent_sub[key] = sent_sub.get(key, 0) + 1
            if out["status"] == "held":
                held = out["error"]
    return pd.DataFrame(results, columns=RESULT_COLUMNS)


def _blocked_reason(blocked: dict[str, str], subreddit: str) -> str:
    return blocked.get("*") or blocked.get(str(subreddit).lower(), "")


def _place_and_post(reddit, out, row, body, status, ledger, rng, sent_run, sent_sub, day, sub_cap, dmin, dmax,
                    kw, blocked, turns: tuple[dict[str, int], int] = ({}, 0)) -> None:
    """Where the comment lives comes from Reddit; one-per-post and the subreddit cap use Reddit's values."""
    try:
        post_id, subreddit = locate(reddit, row["comment_id"])
    except Exception as e:  # noqa: BLE001 - recorded for this row; the batch goes on
        out.update(status="error", error=f"locate: {classify(e)}")
        return
    row = dict(row, post_id=post_id, subreddit=subreddit)
    out.update(post_id=post_id, subreddit=subreddit)
    if _blocked_reason(blocked, subreddit):  # the sheet named another subreddit: Reddit's answer counts
        out.update(status="refused", error=_blocked_reason(blocked, subreddit))
    elif row["comment_id"] in turns[0] and thread_turns(ledger, post_id, turns[0][row["comment_id"]]) >= turns[1]:
        out.update(status="skipped", error=f"turn_cap: the bot has {turns[1]} or more comments in this thread")
    elif status == "" and post_id in ledger.posted_posts() and row["comment_id"] not in turns[0]:
        out["status"] = "post_already_replied"
    elif ledger.posted_today(subreddit, day) + sent_sub.get(subreddit.lower(), 0) >= sub_cap:
        out["status"] = "capped_subreddit"
    else:
        delay = 0.0 if kw["dry_run"] else _pause(rng.uniform(dmin, dmax), sent_run, ledger)
        _post_one(reddit, out, row, body, status, ledger, delay=delay, **kw)


def _pause(delay: float, sent_run: int, ledger: Ledger) -> float:
    if sent_run:
        return delay
    since = ledger.seconds_since_last_post()
    return 0.0 if since is None else max(0.0, delay - since)


def _post_one(reddit, out: dict, row: dict, body: str, prior: str, ledger: Ledger, *, bot_username: str,
              dry_run: bool, delay: float, sleep, hook, run_id: str, max_wait_s: float, heartbeat, confirm) -> None:
    """Re-check, then (unless dry run) ledger 'attempting' → POST → ledger 'posted'/'error'/'unknown'."""
    event = dict(row, run_id=run_id, body=body)
    if delay > 0:  # pause first, so the re-check is as close to the POST as it can be
        countdown(delay, sleep)
    try:
        problem, existing = recheck(reddit, row["comment_id"], bot_username)
    except Exception as e:  # noqa: BLE001 - any Reddit failure is recorded for this row and the batch goes on
        problem, existing = classify(e), ""
        if problem in TRANSIENT or problem in UNKNOWN or problem.startswith("error:"):
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
    why = confirm(row) if confirm else ""  # the sheet on Drive, read now: still approved, this text, no hold since?
    if why:
        out.update(status="withdrawn", error=why)
        return
    if dry_run:
        out["status"] = "dry_run"
        return
    if heartbeat:
        heartbeat()
    hook("before_attempting", row)
    ledger.append(**event, status="attempting")
    hook("after_attempting", row)
    try:
        reply_id = send_reply(reddit, row["comment_id"], body, sleep, max_wait_s=max_wait_s)
    except RateLimitTooLong as e:
        out.update(status="held", error=str(e))
        ledger.append(**event, status="error", error="rate_limited")
        return
    except Exception as e:  # noqa: BLE001 - recorded per row; the batch goes on
        kind = classify(e)
        final = "unknown" if kind in UNKNOWN else "error"
        out.update(status=final, error=kind)
        ledger.append(**event, status=final, error=kind)
        return
    hook("after_call", row)
    ledger.append(**event, status="posted", reply_id=reply_id)
    hook("after_posted", row)
    out.update(status="posted", reply_id=reply_id)
