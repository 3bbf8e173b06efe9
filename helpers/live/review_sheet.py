"""The review sheet's vocabulary: its columns, what a person's `approved` and `decision` cells mean, how a rebuilt
sheet keeps those marks, and how a sheet as a person saved it is read. One definition for 06, its panel, posting and
the report, so none of them can read a person's word differently.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..drive import REVIEW_SHEET
from ..errors import InputError

REVIEW_COLUMNS = ["subreddit", "post_id", "title", "comment_id", "comment_permalink", "comment", "reply",
                  "prob_real", "expected_score", "candidates_for_post", "approved", "decision"]
TRUE_WORDS = {"true", "yes", "y", "1", "1.0", "x", "✓", "approved"}  # "approved", wherever 06 or the report asks
FALSE_WORDS = {"false", "no", "n", "0", "0.0", "", "nan"}  # what else an approved cell may say; anything more warns
DECISIONS = ("", "approved", "rejected")  # the `decision` column: blank, or what a person chose in 06's panel
CONVERSATION_SHEET = ["turn", "inbox_id", "inbox_type", "author", "bot_turns", "chain"]  # after `decision` (issue 27)
# every column 06 writes, matched in any header case and with surrounding spaces when a sheet is read back
KNOWN_COLUMNS = (*REVIEW_COLUMNS, "rejected_for_post", *CONVERSATION_SHEET,
                 *(f"runner_up_{k}{s}" for k in range(1, 21) for s in ("", "_expected_score", "_prob_real")))


def review_path(run_date: str) -> str:
    return REVIEW_SHEET.format(date=run_date)


def _cell(value) -> str:
    """A cell as a person's word: blank for empty/NaN, else its text without surrounding spaces, lower case."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip().lower()


def is_true(value) -> bool:
    """The one definition of "approved" (06 and the report): true/yes/y/1/1.0/x/✓/approved in any case."""
    if isinstance(value, bool):
        return value
    return _cell(value) in TRUE_WORDS


def decision_of(row) -> str:
    """What a person chose for this row in 06's panel: "approved", "rejected" or "" (not decided there, or a value
    nobody can read: unreadable() names it, and such a row is not approved)."""
    value = _cell(row.get("decision", "") if hasattr(row, "get") else "")
    return value if value in DECISIONS else ""


def unreadable(row) -> str:
    """Why a person's marks on this row cannot be read for sure ("" when they can): an approved cell that is neither
    yes nor no (`maybe`), a decision that is not approved/rejected/blank (`aproved`), or a decision `approved` beside
    an approved cell that says no. Such a row is never posted, not even by auto_approve."""
    value, decision = row.get("approved"), row.get("decision", "")
    if not isinstance(value, bool) and _cell(value) not in TRUE_WORDS | FALSE_WORDS:
        return f"approved value {value!r} is neither yes nor no (write True or False)"
    if _cell(decision) not in DECISIONS:
        return f"decision {decision!r} is not approved, rejected or blank"
    if _cell(decision) == "approved" and not is_true(value):
        return f"decision says approved but the approved cell says {value!r} (write True in approved to approve)"
    return ""


def is_approved(row) -> bool:
    """May this review row be posted? Its approved cell says yes (is_true), no person rejected it, and every mark on
    it is readable: a row marked both approved and rejected is not posted (read_review names it)."""
    return is_true(row.get("approved")) and decision_of(row) != "rejected" and not unreadable(row)


def auto_approve_refusal(review: pd.DataFrame, path="") -> str:
    """Why auto_approve may not take the undecided rows of this sheet ("" when it may): without a `decision` column
    a person's rejection cannot be seen, so nothing in it is approved automatically."""
    if "decision" in review.columns:
        return ""
    return (f"{Path(str(path)).name or 'the review sheet'} has no decision column, so a person's rejections cannot "
            "be seen: auto_approve is refused for it (only rows approved in the approved column are posted)")


def approved_mask(review: pd.DataFrame) -> pd.Series:
    return pd.Series([is_approved(r) for r in review.to_dict("records")], index=review.index, dtype=bool)


def approval_problems(review: pd.DataFrame, path="") -> list[str]:
    """Cells a reader could take the wrong way, each named by file, row (as a spreadsheet numbers it: the header is
    row 1) and value: unreadable() marks, and a row both approved and rejected. Each is treated as NOT approved and
    kept in the sheet as the person wrote it; nothing is silently read as "no" or cleared."""
    out = []
    for i, r in enumerate(review.to_dict("records")):
        where = f"{Path(str(path)).name or 'review sheet'} row {i + 2} (comment {r.get('comment_id', '?')})"
        why = unreadable(r)
        if why:
            out.append(f"{where}: {why}; treated as NOT approved, auto_approve does not take it, the cell is kept")
        elif is_true(r.get("approved")) and decision_of(r) == "rejected":
            out.append(f"{where}: approved but decision is 'rejected'; treated as NOT approved "
                       "(clear the decision cell to approve it)")
    return out


def has_marks(row) -> bool:
    """Did a person write anything in this row's approved or decision cell (yes, a decision, or text nobody can
    read)? Such a row is kept as written when the sheet is rebuilt."""
    return is_true(row.get("approved")) or _cell(row.get("decision", "")) != "" or bool(unreadable(row))


def merge_approvals(review: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """A rebuilt sheet keeps what a person wrote: a row of the earlier sheet with a mark (approved, a decision, or a
    value nobody can read, each as the person wrote it; the reply as the person left it, edits included) replaces the
    new choice for that post; undecided rows take the new choice."""
    review = review.copy()
    if review.empty:
        review["approved"] = review.get("approved", pd.Series(dtype=bool))
    else:
        review["approved"] = review["approved"].map(is_true)
    if "decision" not in review.columns:
        review["decision"] = ""
    if previous is None or previous.empty or "approved" not in previous.columns:
        return review
    kept = previous[[has_marks(r) for r in previous.to_dict("records")]].copy()
    if kept.empty:
        return review
    kept = kept.astype({"post_id": str, "comment_id": str})
    fresh = review[~review["post_id"].astype(str).isin(set(kept["post_id"]))]
    cols = list(review.columns) if len(review.columns) else list(kept.columns)
    cols += [c for c in kept.columns if c not in cols]  # a column a person added is kept too
    out = pd.concat([kept.reindex(columns=cols), fresh.reindex(columns=cols)], ignore_index=True)
    out["approved"] = out["approved"].astype(object)
    out["decision"] = out["decision"].astype(object).where(out["decision"].notna(), "")
    return out.sort_values("expected_score", ascending=False, kind="mergesort").reset_index(drop=True)


def approve(review: pd.DataFrame, comment_ids: Iterable[str] = ()) -> pd.DataFrame:
    """Approval given in the notebook, by comment id (approve_ids); an id not in the sheet is an error. A row a
    person rejected in the sheet stays rejected (approve_ids may be left over from an earlier run): said loudly."""
    review = review.copy()
    if review.empty:
        return review
    ids = {str(c) for c in comment_ids}
    unknown = ids - set(review["comment_id"].astype(str))
    if unknown:
        raise InputError(f"approve_ids not in the review sheet: {sorted(unknown)}")
    rejected = {str(r["comment_id"]) for r in review.to_dict("records") if decision_of(r) == "rejected"}
    for cid in sorted(ids & rejected):
        print(f"WARNING approve_ids: {cid} was rejected by a person in the review sheet; it stays rejected "
              "(approve it in the review panel, or clear its decision cell)")
    review["approved"] = review["approved"].astype(object)  # other rows keep what a person wrote
    review.loc[review["comment_id"].astype(str).isin(ids - rejected), "approved"] = True
    return review


def read_review(path, warn: bool = True) -> pd.DataFrame:
    """A review sheet as a person saved it (see helpers.live.sheets.read_sheet): ids and approvals kept as text,
    scores as
    numbers. An unreadable sheet is an InputError naming the file: 06 stops rather than rebuild over the marks.
    ``warn``: print approval_problems (an approved cell like `maybe`), each naming file, row and value."""
    from .sheets import read_sheet

    df = read_sheet(path, required=["post_id", "comment_id", "reply", "approved"], text=True, known=KNOWN_COLUMNS)
    for col in df.columns:
        if col in ("prob_real", "expected_score") or re.fullmatch(r"runner_up_\d+_(expected_score|prob_real)", col):
            df[col] = pd.to_numeric(df[col], errors="coerce")
    if warn:
        for problem in approval_problems(df, path):
            print("WARNING " + problem)
    return df
