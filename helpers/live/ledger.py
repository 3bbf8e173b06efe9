"""The posting ledger (live/posting_ledger.csv): an append-only event log, the memory that keeps 06 from posting a
reply twice. Each append re-reads the file where it lives (on the gdrive backend: the remote, afresh) and adds one
row by compare-and-swap (helpers.live.sync), so no event written by an earlier run, another process or another
machine is ever lost by rewriting from a stale copy; posting runs are kept one at a time by helpers.live.lease. The
last event per comment is its state.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ..drive import POSTING_LEDGER
from ..files import read_csv
from . import sync

LEDGER = POSTING_LEDGER
LEDGER_COLUMNS = ["event_at", "run_id", "comment_id", "post_id", "subreddit", "status", "reply_id", "error", "body"]
OPEN = {"attempting", "unknown"}  # a POST was (maybe) sent and its outcome is not known: re-check Reddit first


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def read_ledger(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    return read_csv(path, required=LEDGER_COLUMNS, hint="posting ledger").astype(
        {"comment_id": str, "post_id": str, "subreddit": str})


class Ledger:
    """The ledger of one posting run. ``on_write`` runs after every append (the lease heartbeat); ``drive``: the
    helpers.drive.Drive whose remote holds the ledger (gdrive), None for a plain file."""

    def __init__(self, path: str | Path, on_write: Callable[[], Any] | None = None, drive: Any = None):
        self.path = Path(path)
        self.on_write = on_write
        self.drive = drive
        sync.read(drive, self.path)  # the ledger as it is on Drive now
        self.df = read_ledger(self.path)

    def append(self, **event: Any) -> None:
        """One event added to the ledger as it is now (append-only: every event anyone wrote meanwhile stays)."""
        row = {c: event.get(c, "") for c in LEDGER_COLUMNS}
        row["event_at"] = row["event_at"] or now_iso()

        def add_row(_: bytes | None) -> bytes:
            # read() just refreshed the file (the gdrive cache too); a newer file makes the swap fail and come back
            self.df = pd.concat([read_ledger(self.path), pd.DataFrame([row], columns=LEDGER_COLUMNS)],
                                ignore_index=True)
            return self.df.to_csv(index=False).encode("utf-8")

        sync.update(self.drive, self.path, add_row, f"ledger event {row['status']} for {row['comment_id']}")
        if self.on_write:
            self.on_write()

    def state(self, comment_id: str) -> tuple[str, str]:
        """(status, error) of the last event for this comment, ("", "") if none."""
        rows = self.df[self.df["comment_id"].astype(str) == str(comment_id)]
        if rows.empty:
            return "", ""
        last = rows.iloc[-1]
        return str(last["status"]), "" if pd.isna(last["error"]) else str(last["error"])

    def open_comments(self) -> pd.DataFrame:
        """The last event of every comment whose POST outcome is not known (killed mid-call, 5xx, bad answer)."""
        last = self.df.drop_duplicates("comment_id", keep="last")
        return last[last["status"].isin(OPEN)]

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
