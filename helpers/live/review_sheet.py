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


def review_path(run_date: str) -> str:
    return REVIEW_SHEET.format(date=run_date)


def is_true(value) -> bool:
    """The one definition of "approved" (06 and the report): true/yes/y/1/1.0/x/✓/approved in any case."""
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, float) and value != value):
        return False
    return str(value).strip().lower() in TRUE_WORDS


def decision_of(row) -> str:
    """What a person chose for this row in 06's panel: "approved", "rejected" or "" (not decided there)."""
    value = row.get("decision", "") if hasattr(row, "get") else ""
    value = "" if value is None or (isinstance(value, float) and value != value) else str(value).strip().lower()
    return value if value in DECISIONS else ""


def is_approved(row) -> bool:
    """May this review row be posted? Its approved cell says yes (is_true) and no person rejected it: a row marked
    both approved and rejected is not posted (read_review names it)."""
    return is_true(row.get("approved")) and decision_of(row) != "rejected"


def approved_mask(review: pd.DataFrame) -> pd.Series:
    return pd.Series([is_approved(r) for r in review.to_dict("records")], index=review.index, dtype=bool)


def approval_problems(review: pd.DataFrame, path="") -> list[str]:
    """Cells a reader could take the wrong way, each named by file, row (as a spreadsheet numbers it: the header is
    row 1) and value: an approved value that is neither yes nor no (`maybe`), an unknown decision, a row both
    approved and rejected. Each is treated as NOT approved; nothing is silently read as "no"."""
    out = []
    for i, r in enumerate(review.to_dict("records")):
        where = f"{Path(str(path)).name or 'review sheet'} row {i + 2} (comment {r.get('comment_id', '?')})"
        value, decision = r.get("approved"), r.get("decision", "")
        text = "" if value is None or (isinstance(value, float) and value != value) else str(value).strip().lower()
        if not isinstance(value, bool) and text not in TRUE_WORDS | FALSE_WORDS:
            out.append(f"{where}: approved value {value!r} is neither yes nor no; treated as NOT approved "
                       "(write True or False)")
        dec = "" if decision is None or (isinstance(decision, float) and decision != decision) else str(decision)
        if dec.strip().lower() not in DECISIONS:
            out.append(f"{where}: decision {decision!r} is not approved/rejected/blank; ignored")
        if is_true(value) and decision_of(r) == "rejected":
            out.append(f"{where}: approved but decision is 'rejected'; treated as NOT approved "
                       "(clear the decision cell to approve it)")
    return out


def merge_approvals(review: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """A rebuilt sheet keeps what a person decided: an approved or rejected row of the earlier sheet (its reply as
    the person left it, edits included) replaces the new choice for that post; undecided rows take the new choice."""
    review = review.copy()
    if review.empty:
        review["approved"] = review.get("approved", pd.Series(dtype=bool))
    else:
        review["approved"] = review["approved"].map(is_true)
    if "decision" not in review.columns:
        review["decision"] = ""
    if previous is None or previous.empty or "approved" not in previous.columns:
        return review
    previous = previous.assign(decision=[decision_of(r) for r in previous.to_dict("records")])
    kept = previous[previous["approved"].map(is_true) | (previous["decision"] == "rejected")].copy()
    if kept.empty:
        return review
    kept["approved"] = [is_approved(r) for r in kept.to_dict("records")]
    kept = kept.astype({"post_id": str, "comment_id": str})
    fresh = review[~review["post_id"].astype(str).isin(set(kept["post_id"]))]
    cols = list(review.columns) if len(review.columns) else list(kept.columns)
    out = pd.concat([kept.reindex(columns=cols), fresh], ignore_index=True)
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
    review["approved"] = review["approved"].map(is_true) | review["comment_id"].astype(str).isin(ids - rejected)
    return review


def read_review(path, warn: bool = True) -> pd.DataFrame:
    """A review sheet as a person saved it (see helpers.live.sheets.read_sheet): ids and approvals kept as text,
    scores as
    numbers. An unreadable sheet is an InputError naming the file: 06 stops rather than rebuild over the marks.
    ``warn``: print approval_problems (an approved cell like `maybe`), each naming file, row and value."""
    from .sheets import read_sheet

    df = read_sheet(path, required=["post_id", "comment_id", "reply", "approved"], text=True)
    for col in df.columns:
        if col in ("prob_real", "expected_score") or re.fullmatch(r"runner_up_\d+_(expected_score|prob_real)", col):
            df[col] = pd.to_numeric(df[col], errors="coerce")
    if warn:
        for problem in approval_problems(df, path):
            print("WARNING " + problem)
    return df
