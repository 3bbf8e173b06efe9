"""Conversations followed (issue 27): what the bot's replies heard back and what became of the conversation turns.

Read from what the stages left on Drive, so 07's part of the report and the first screen can be rebuilt any time:
07's outcomes (`num_replies` of each posted reply: the answers it received), the inbox log (05's skips by reason,
06's posted / rejected / skipped turns), the posting ledger (the bot's replies per thread) and the opt-out list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .. import drive as drv
from ..files import read_csv
from ..live.conversation import LOG_COLUMNS
from ..live.ledger import read_ledger
from ..live.optouts import read_optouts
from ..words import counts


def _inbox_log(root: Path) -> pd.DataFrame:
    path = Path(root, drv.INBOX_LOG)
    if not path.exists():
        return pd.DataFrame(columns=LOG_COLUMNS)
    return read_csv(path, required=LOG_COLUMNS, hint="inbox log (05, 06)").fillna("")


def answers_received(root: Path) -> dict[str, Any]:
    """From 07's latest check: how many of the bot's replies were answered, and by how many comments in all."""
    path = Path(root, drv.OUTCOMES)
    if not path.exists():
        return {"replies_checked": 0, "replies_answered": 0, "answers": 0}
    df = read_csv(path, hint="07's outcomes")
    n = pd.to_numeric(df.get("num_replies", pd.Series(dtype=float)), errors="coerce")
    return {"replies_checked": int(len(df)), "replies_answered": int((n > 0).sum()),
            "answers": int(n.fillna(0).sum())}


def conversation_summary(root: str | Path) -> dict[str, Any]:
    """Answers received, conversation turns by decision, skips by reason, turns per thread, opt-outs."""
    root = Path(root)
    log = _inbox_log(root)
    last = log.drop_duplicates("inbox_id", keep="last") if len(log) else log
    decided = last["decision"].value_counts().to_dict()
    skipped = last.loc[last["decision"] == "skipped", "reason"].astype(str).str.split(":").str[0]
    ledger = read_ledger(Path(root, drv.POSTING_LEDGER))
    posted = ledger[ledger["status"] == "posted"]
    threads = set(last.loc[last["decision"] == "posted", "post_id"].astype(str)) - {""}
    per_thread = posted[posted["post_id"].astype(str).isin(threads)].groupby("post_id").size()
    people = read_optouts(Path(root, drv.OPTOUTS))
    return {**answers_received(root), "turns_posted": int(decided.get("posted", 0)),
            "turns_rejected": int(decided.get("rejected", 0)), "inbox_skipped": int(decided.get("skipped", 0)),
            "skipped_by_reason": skipped.value_counts().to_dict(), "threads": len(threads),
            "turns_per_thread_max": int(per_thread.max()) if len(per_thread) else 0,
            "turns_per_thread": {str(k): int(v) for k, v in per_thread.items()},
            "opted_out": [{"name": p.get("name", k), "since": p.get("since", ""), "phrase": p.get("phrase", "")}
                          for k, p in sorted(people.items())]}


def has_conversations(s: dict[str, Any]) -> bool:
    return bool(s["answers"] or s["turns_posted"] or s["turns_rejected"] or s["inbox_skipped"] or s["opted_out"])


def conversation_line(s: dict[str, Any]) -> str:
    """07's console line on conversations, in words: answers received, turns posted / rejected / skipped (by reason),
    turns per thread and opt-outs, so a notebook user sees how the bot's conversations go without the report."""
    if not has_conversations(s):
        return ("conversations: none yet (no answers to the bot's replies, no conversation turns, nobody asked the "
                "bot to stop)")
    skipped = f" ({counts(s['skipped_by_reason'])})" if s["inbox_skipped"] else ""
    threads = (f"; the bot's replies per conversation thread: {s['turns_per_thread_max']} at most over "
               f"{len(s['turns_per_thread'])} thread(s)" if s["turns_per_thread"] else "")
    people = len(s["opted_out"])
    return (f"conversations: {s['replies_answered']} of the bot's {s['replies_checked']} checked replies were answered "
            f"({s['answers']} answers in all); conversation turns: {s['turns_posted']} posted, {s['turns_rejected']} "
            f"rejected, {s['inbox_skipped']} skipped{skipped}{threads}; {people} "
            f"{'person' if people == 1 else 'people'} opted out (never answered again)")
