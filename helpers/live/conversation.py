"""Conversation turns: the thread context of an answer, the inbox log, and marking an inbox item read only after
its decision is recorded.

The inbox log (live/inbox_log.csv) is append-only, like the posting ledger: one event per inbox item and decision
("skipped" with its reason by 05; "posted", "rejected" (by a person) or "skipped" by 06). An item is marked read on
Reddit only after its event is written, so a run killed in between leaves it unread and the next run, finding the
decision in the log (or the ledger), marks it read without deciding again; an item whose decision was never written
stays unread and comes back. The ledger, keyed by the comment answered, keeps it from being posted twice.
Each append adds its rows to the log as it is on Drive now (helpers.sync's compare-and-swap): 05 and 06, or two
runtimes, appending at once both keep their events.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from .. import sync
from ..context import context_text
from ..files import read_csv

CONVERSATION = "conversation"  # the `turn` column of a conversation row (rising rows leave it empty)
LOG_COLUMNS = ["event_at", "stage", "inbox_id", "comment_id", "author", "subreddit", "post_id", "type", "decision",
               "reason"]
FINAL = {"skipped", "posted", "rejected"}
POSTED = {"posted", "recovered", "done_before:posted"}
NOT_DECIDED = {"not_approved", "capped_run", "capped_subreddit", "held", "dry_run", "error", "unknown", "no_reply",
               "post_already_replied", ""}


def conversation_context(title: str, ancestors: Iterable[tuple[str, str]], bot_reply: str, depth: int) -> str:
    """The thread context of a conversation turn in the one shared form (helpers.context): the ancestors and the
    bot's earlier reply are the comments above the answer. The generator conditions on context + answer
    (helpers.context.conditioned), as for any comment; at context_depth 0 that is the answer alone (the model never
    saw context), and the chain still shows on the review sheet."""
    above = [body for _, body in ancestors] + ([bot_reply] if bot_reply else [])
    return context_text(title, above, depth)


def chain_text(title: str, ancestors: Iterable[tuple[str, str]], bot: str, bot_reply: str, author: str,
               answer: str) -> str:
    """The chain as a person reads it on the review card and in the sheet."""
    lines = [f"post: {title}"] + [f"u/{a or '[deleted]'}: {b}" for a, b in ancestors]
    if bot_reply:
        lines.append(f"u/{bot} (the bot, earlier): {bot_reply}")
    lines.append(f"u/{author} (answering): {answer}")
    return "\n".join(lines)


def chain_html(row: dict) -> str:
    """A conversation turn on 06's review card: marked as one, with its chain (the answer being replied to last,
    in bold); "" for a rising comment, which the card shows as before."""
    import html

    if str(row.get("turn") or "") != CONVERSATION:
        return ""
    lines = [html.escape(x) for x in str(row.get("chain") or row.get("comment") or "").splitlines()]
    if lines:
        lines[-1] = f"<b>{lines[-1]}</b>"
    return ("<div style='border-left:3px solid #7a5cc7;padding-left:6px;white-space:pre-wrap'>"
            "<small style='color:#7a5cc7'>conversation turn: someone answered the bot</small><br>"
            + "<br>".join(lines) + "</div>")


class InboxLog:
    """The inbox log of one Drive root; each append re-reads the file where it lives (``drive``: the
    helpers.drive.Drive whose remote holds it) and adds its rows by compare-and-swap: no other run's event is lost."""

    def __init__(self, path: str | Path, drive: Any = None):
        self.path = Path(path)
        self.drive = drive
        sync.read(drive, self.path)  # the log as it is on Drive now

    def read(self) -> pd.DataFrame:
        if not self.path.exists():
            return pd.DataFrame(columns=LOG_COLUMNS)
        return read_csv(self.path, required=LOG_COLUMNS, hint="inbox log").astype({"inbox_id": str})

    def append(self, rows: list[dict]) -> None:
        if not rows:
            return
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        new = pd.DataFrame([{c: r.get(c, "") for c in LOG_COLUMNS} | {"event_at": now} for r in rows],
                           columns=LOG_COLUMNS)

        def add_rows(_: bytes | None) -> bytes:  # sync.read just refreshed the file (the gdrive cache too)
            return pd.concat([self.read(), new], ignore_index=True).to_csv(index=False).encode("utf-8")

        sync.update(self.drive, self.path, add_rows, f"{len(rows)} inbox log event(s)")

    def decided(self) -> dict[str, str]:
        """inbox id -> its final decision, for items decided before."""
        df = self.read()
        df = df[df["decision"].isin(FINAL)].drop_duplicates("inbox_id", keep="last")
        return dict(zip(df["inbox_id"].astype(str), df["decision"].astype(str)))


def decision_of_result(status: str, error: str = "", blocked_here: bool = False) -> tuple[str, str]:
    """A posting result as an inbox decision: (decision, reason); ("", "") while undecided (left unread). A refusal
    is a decision only where the subreddit is refused or held (``blocked_here``); a refused edit or a row 05 did not
    propose stays open for a person to fix."""
    if status in POSTED:
        return "posted", ""
    if status == "rejected":
        return "rejected", "rejected by a person"
    if status in NOT_DECIDED or (status == "refused" and not blocked_here):
        return "", ""
    return "skipped", f"{status}: {error}".strip(": ")


def turns_of(proposed: pd.DataFrame) -> dict[str, int]:
    """comment id -> the bot's comments in its thread when 05 looked, for 05's conversation rows (06 trusts 05's
    proposals here, not the review sheet a person can edit)."""
    if "turn" not in proposed.columns:
        return {}
    conv = proposed[proposed["turn"].astype(str) == CONVERSATION].drop_duplicates("comment_id")
    turns = pd.to_numeric(conv.get("bot_turns", pd.Series(0, index=conv.index)), errors="coerce").fillna(0)
    return dict(zip(conv["comment_id"].astype(str), turns.astype(int)))


def thread_turns(ledger, post_id: str, seen_by_05: int) -> int:
    """The bot's comments in a thread: 05's count on Reddit or the ledger's posts there, whichever is higher."""
    df = ledger.df
    posted = int(((df["status"] == "posted") & (df["post_id"].astype(str) == str(post_id))).sum())
    return max(int(seen_by_05), posted)


def mark_read(reddit, inbox_ids: Iterable[str]) -> int:
    """Mark items read on Reddit (fullnames t1_…); how many. Only after their decisions are in the log."""
    ids = sorted({str(i) for i in inbox_ids if str(i).startswith("t1_")})
    if ids:
        reddit.inbox.mark_read([reddit.comment(i[3:]) for i in ids])
    return len(ids)


def record_decisions(reddit, results: pd.DataFrame, conversation_ids: Iterable[str], log: InboxLog,
                     blocked: dict[str, str] | None = None) -> dict[str, int]:
    """06, after posting: each conversation turn whose outcome is a decision is logged, then its inbox item (the
    comment answered, t1_<comment_id>) marked read; the rest stay unread for the next run. ``conversation_ids``: the
    comments 05 proposed as conversation turns (from 05's proposals, not the sheet a person can edit); ``blocked``:
    lower-case subreddit (or "*") -> why 06 may not post there. Returns counts by decision."""
    blocked = {k.lower(): v for k, v in (blocked or {}).items()}
    turns = {str(c) for c in conversation_ids}
    rows = []
    for r in results.to_dict("records"):
        cid = str(r["comment_id"])
        here = "*" in blocked or str(r["subreddit"]).lower() in blocked
        decision, reason = decision_of_result(str(r["status"]), str(r.get("error") or ""), here)
        if cid in turns and decision:
            rows.append({"stage": "06", "inbox_id": f"t1_{cid}", "comment_id": cid, "subreddit": r["subreddit"],
                         "post_id": r["post_id"], "decision": decision, "reason": reason})
    log.append(rows)
    mark_read(reddit, [r["inbox_id"] for r in rows])
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["decision"]] = counts.get(r["decision"], 0) + 1
    return counts
