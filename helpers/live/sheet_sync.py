"""06's review sheet read and written where it lives (helpers.live.sync): choose merges a person's marks with the
sheet as it is on Drive at that moment, and the post step re-reads each row from Drive right before posting it, so an
approval, a rejection or an edit made on Drive while 06 runs is never lost, nor posted over.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pandas as pd

from . import review_sheet, sync
from .sheets import sheet_bytes


def _parse(data: bytes | None, path: Path, warn: bool) -> pd.DataFrame | None:
    """The sheet sync.read just fetched to ``path`` (None: there is none). Read from the file, so errors and warnings
    name it; should the file have changed since, the compare-and-swap sees that and everything is done again."""
    return None if data is None else review_sheet.read_review(path, warn=warn)


def fresh_review(drive: Any, path: str | Path, warn: bool = False) -> pd.DataFrame | None:
    """The review sheet as it is on Drive now (None: there is none)."""
    path = Path(path)
    return _parse(sync.read(drive, path)[0], path, warn)


def write_review(drive: Any, path: str | Path, build: Callable[[pd.DataFrame | None], pd.DataFrame]
                 ) -> tuple[pd.DataFrame, bytes | None]:
    """Write ``build(sheet as it is on Drive now)`` by compare-and-swap, rebuilding from the newer sheet when someone
    saved one in between. Returns the sheet written and the bytes it replaced (for the backup)."""
    path = Path(path)
    got: dict[str, Any] = {}

    def change(data: bytes | None) -> bytes:
        got["previous"] = data
        got["review"] = build(_parse(data, path, warn=True))
        return sheet_bytes(got["review"])

    sync.update(drive, path, change, "the review sheet, merged with a person's marks")
    return got["review"], got["previous"]


def keep_backup(drive: Any, path: str | Path, previous: bytes | None) -> Path | None:
    """``<name>.bak.csv``: the sheet as a person left it, the very bytes choose read and merged (None: none yet)."""
    if previous is None:
        return None
    path = Path(path)
    bak = path.with_name(path.name.removesuffix(".csv") + ".bak.csv")
    sync.update(drive, bak, lambda _: previous, "the review sheet's backup")
    return bak


def row_now(drive: Any, path: str | Path, comment_id: str) -> dict | None:
    """The comment's row of the review sheet on Drive now (None: no sheet, or no such row)."""
    review = fresh_review(drive, path)
    if review is None or review.empty:
        return None
    rows = review[review["comment_id"].astype(str) == str(comment_id)]
    return rows.iloc[0].to_dict() if len(rows) == 1 else None


def withdrawn(row: dict | None, text: str, auto_approve: bool) -> str:
    """Why a reply about to be posted may no longer be ("" : it still may): the sheet on Drive must still approve it
    (and no person rejected it), with exactly this text."""
    if row is None:
        return "its row is no longer in the review sheet on Drive"
    if review_sheet.decision_of(row) == "rejected":
        return "rejected in the review sheet on Drive after this run read it"
    if review_sheet.unreadable(row):  # not a yes, whatever auto_approve says
        return "its marks in the review sheet on Drive cannot be read: " + review_sheet.unreadable(row)
    # auto_approve needs the decision column (where a person's rejection shows) on the sheet as it is now
    if not ((auto_approve and "decision" in row) or review_sheet.is_approved(row)):
        return "no longer approved in the review sheet on Drive"
    now = "" if pd.isna(row.get("reply")) else str(row.get("reply")).strip()
    if now != text:
        return "the reply was edited on Drive after this run read it: the next run posts the new text if approved"
    return ""
