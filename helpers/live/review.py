"""The review sheet as a person works through it in 06's review panel (helpers.live.review_panel): approve, reject,
approve an edited reply, pick a runner-up instead. Pure functions over the sheet's DataFrame, and ReviewSheet, which
writes each change to the sheet file at once — atomically, keeping every other row as the person left it, and never
over a sheet someone changed since it was read (its revision differs: reload and say so instead). The check and the
write are one step, a compare-and-swap against the sheet where it lives (helpers.live.sync): on Drive for gdrive, the
file itself for local and colab.

No widgets here, so every rule is testable without a browser. Posting stays 06's separate `post` step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ..errors import InputError
from ..filters import text_reason
from . import sync
from .review_sheet import approval_problems, read_review
from .sheets import sheet_bytes
from .text_rules import TextRules


def text_problem(text: str, row: dict, rules: TextRules) -> str | None:
    """Why this text may not be approved for this row (None: it may)."""
    problem = rules.problem(text)
    if problem or rules.quality is None:
        return problem
    # ended=True: "cut at the length limit" is a generation's fault, judged at selection; a person's text is whole
    return text_reason(str(text), _text(row.get("comment")), _text(row.get("title")), rules.quality, rules.posted,
                       ended=True)


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _index(review: pd.DataFrame, comment_id: str) -> Any:
    hits = review.index[review["comment_id"].astype(str) == str(comment_id)]
    if len(hits) != 1:
        raise InputError(f"comment {comment_id} is {'not' if not len(hits) else 'more than once'} in the review sheet")
    return hits[0]


def _with_decision(review: pd.DataFrame) -> pd.DataFrame:
    out = review.copy()
    if "decision" not in out.columns:
        out["decision"] = ""
    out["approved"] = out["approved"].astype(object)
    out["decision"] = out["decision"].astype(object)
    return out


def approve_reply(review: pd.DataFrame, comment_id: str, text: str, rules: TextRules) -> tuple[pd.DataFrame, str]:
    """Approve this text (the chosen reply, a person's edit, or a picked runner-up) for the comment; a text that fails
    a check is not approved: the sheet comes back unchanged with the reason."""
    i = _index(review, comment_id)
    problem = text_problem(text, review.loc[i].to_dict(), rules)
    if problem:
        return review, problem
    out = _with_decision(review)
    out.loc[i, ["reply", "approved", "decision"]] = [str(text), True, "approved"]
    return out, ""


def reject_reply(review: pd.DataFrame, comment_id: str) -> pd.DataFrame:
    """A person's no: not approved, and marked so that a rebuilt sheet and approve_ids keep it rejected."""
    i = _index(review, comment_id)
    out = _with_decision(review)
    out.loc[i, ["approved", "decision"]] = [False, "rejected"]
    return out


def runner_ups(review: pd.DataFrame, comment_id: str) -> list[tuple[int, str, float, float]]:
    """The runner-ups of this row: (k, text, expected_score, prob_real), non-empty ones only."""
    r = review.loc[_index(review, comment_id)]
    out, k = [], 1
    while f"runner_up_{k}" in review.columns:
        text = _text(r[f"runner_up_{k}"]).strip()
        if text:
            out.append((k, text, _num(r.get(f"runner_up_{k}_expected_score")), _num(r.get(f"runner_up_{k}_prob_real"))))
        k += 1
    return out


def _num(value: Any) -> float:
    return float(pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0])


def pick_runner_up(review: pd.DataFrame, comment_id: str, k: int) -> pd.DataFrame:
    """Runner-up k becomes the reply (its scores with it) and the reply becomes runner-up k, so a person can switch
    back; the row needs approving again."""
    i = _index(review, comment_id)
    col = f"runner_up_{k}"
    if col not in review.columns or not _text(review.loc[i, col]).strip():
        raise InputError(f"comment {comment_id} has no {col} in the review sheet")
    out = _with_decision(review)
    for a, b in ((col, "reply"), (f"{col}_expected_score", "expected_score"), (f"{col}_prob_real", "prob_real")):
        if a not in out.columns:
            out[a] = float("nan")
        if b in out.columns:
            out.loc[i, [a, b]] = [out.loc[i, b], out.loc[i, a]]
    out.loc[i, ["approved", "decision"]] = [False, ""]
    return out


def fingerprint(path: str | Path) -> str:
    """The sheet's revision as read ("" if there is none): a change by anyone, however saved, changes it."""
    path = Path(path)
    return sync.revision_of(path.read_bytes() if path.exists() else None)


@dataclass
class ReviewSheet:
    """One review sheet on the Drive root, read once and then changed click by click. ``drive`` (helpers.drive.Drive):
    on the gdrive backend each change is checked against the sheet on Drive (pulled first) and pushed at once."""

    path: Path
    rules: TextRules = TextRules()
    drive: Any = None
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    seen: str = ""  # revision of the sheet as last read or written here
    problems: list[str] = field(default_factory=list)  # approval_problems of the sheet as read

    @classmethod
    def open(cls, path: str | Path, rules: TextRules | None = None, drive: Any = None) -> "ReviewSheet":
        sheet = cls(Path(path), rules or TextRules(), drive)
        sheet.reload()
        return sheet

    def reload(self) -> None:
        """The sheet as it is now where it lives (gdrive: fetched from Drive afresh)."""
        _, self.seen = sync.read(self.drive, self.path)
        self.frame = read_review(self.path, warn=False)
        self.problems = approval_problems(self.frame, self.path)

    def change(self, edit: Callable[[pd.DataFrame], pd.DataFrame]) -> str:
        """Apply ``edit`` and write the sheet at once; "" when written, else why not (the sheet changed since it was
        read: it is reloaded, nothing is written). Check and write are one compare-and-swap: no save by anyone
        between them is written over."""
        new = edit(self.frame)
        data = sheet_bytes(new)
        if not sync.swap(self.drive, self.path, self.seen, data):
            self.reload()
            return (f"{self.path.name} was changed since it was read (on Drive or by another notebook); reloaded it "
                    "and wrote nothing: check the card and click again")
        self.frame, self.seen = new, sync.revision_of(data)
        return ""

    def approve(self, comment_id: str, text: str) -> str:
        """"" when approved and written, else the reason (a failed check, or a changed sheet)."""
        row = self.frame.loc[_index(self.frame, comment_id)].to_dict()
        problem = text_problem(text, row, self.rules)
        if problem:
            return f"not approved: {problem}"
        return self.change(lambda df: approve_reply(df, comment_id, text, self.rules)[0])

    def reject(self, comment_id: str) -> str:
        return self.change(lambda df: reject_reply(df, comment_id))

    def pick(self, comment_id: str, k: int) -> str:
        return self.change(lambda df: pick_runner_up(df, comment_id, k))
