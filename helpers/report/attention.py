"""What needs a person now, for the report's first screen: the newest review sheet's replies (awaiting review,
approved and not yet posted, posted), the posting ledger's totals, and the warnings a person should act on.

"Approved" is 06's own definition (helpers.live.select.is_true) and "posted" the ledger's last event per comment, so
the report and 06 never disagree about a reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import drive as drv
from ..drive import latest
from ..errors import InputError
from ..live.ledger import OPEN, read_ledger
from ..live.select import approval_problems, decision_of, is_approved, read_review

# would_post statuses a person should look at: the reply was not posted for a reason that may need them
NEEDS_A_LOOK = {"error": "failed to post", "refused": "refused by the checks", "held": "held back"}


@dataclass
class ReviewCounts:
    sheet: str = ""  # the newest review sheet, relative to the Drive root ("" when 06 has not run)
    rows: int = 0  # replies chosen for review on it
    awaiting: int = 0  # not decided yet: a person's turn
    rejected: int = 0  # a person rejected it (06's panel): never posted
    approved: int = 0  # approved, not posted yet: the next 06 run with posting on sends them
    posted: int = 0  # of the sheet's replies, posted (the ledger says so)
    posted_total: int = 0  # every reply the ledger says was posted, all runs
    warnings: list[str] = field(default_factory=list)


def _last_status(ledger: pd.DataFrame) -> dict[str, str]:
    last = ledger.drop_duplicates("comment_id", keep="last")
    return dict(zip(last["comment_id"].astype(str), last["status"].astype(str)))


def review_counts(root: str | Path) -> ReviewCounts:
    """The counts of the newest review sheet against the ledger; an unreadable file is a warning naming it."""
    root = Path(root)
    out = ReviewCounts()
    ledger_path = Path(root, drv.POSTING_LEDGER)
    try:
        ledger = read_ledger(ledger_path)
    except InputError as e:
        out.warnings.append(f"posting ledger unreadable: {e}")
        ledger = None
    status = _last_status(ledger) if ledger is not None and len(ledger) else {}
    out.posted_total = sum(s == "posted" for s in status.values())
    unknown = sum(s in OPEN for s in status.values())
    if unknown:
        out.warnings.append(f"{unknown} posting outcome(s) unknown in {drv.POSTING_LEDGER}: the next 06 run checks "
                            "Reddit for them before posting anything")
    sheet = latest(root, drv.REVIEW_SHEET)
    if sheet is None:
        return out
    out.sheet = sheet.relative_to(root).as_posix()
    try:
        review = read_review(sheet, warn=False)
    except InputError as e:
        out.warnings.append(f"review sheet unreadable: {e}")
        return out
    out.rows = len(review)
    out.warnings += approval_problems(review, sheet)  # `maybe` is named, never silently counted as "no"
    for r in review.to_dict("records"):
        if status.get(str(r["comment_id"])) == "posted":
            out.posted += 1
        elif is_approved(r):
            out.approved += 1
        elif decision_of(r) == "rejected":
            out.rejected += 1
        else:
            out.awaiting += 1
    out.warnings += _posting_problems(root)
    return out


def _posting_problems(root: Path) -> list[str]:
    """The newest run's posting results a person should look at (errors, refusals, holds), counted."""
    path = latest(root, drv.WOULD_POST)
    if path is None:
        return []
    try:
        results = pd.read_csv(path, usecols=["status"], keep_default_na=False)["status"].astype(str)
    except (OSError, ValueError) as e:
        return [f"{path.relative_to(root).as_posix()} unreadable: {type(e).__name__}"]
    counts = results.value_counts()
    return [f"{int(counts[s])} repl{'y' if counts[s] == 1 else 'ies'} {what} in the last posting run "
            f"({path.relative_to(root).as_posix()})" for s, what in NEEDS_A_LOOK.items() if s in counts]
