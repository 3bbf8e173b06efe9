"""Stage 06, choosing: the seed's rule (believable, not too long, best expected score, one reply per post) and the
review sheet a person approves before anything is posted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from ..contract import default
from ..drive import REPLY_SCORES, REVIEW_SHEET
from ..errors import InputError
from ..filters import FilterSettings, ToxicityScorer, apply_filters, first_repeat, rejected_by_post

SCORED_REQUIRED = ["subreddit", "post_id", "comment_id", "comment", "proposed_reply", "prob_real", "expected_score"]
REVIEW_COLUMNS = ["subreddit", "post_id", "title", "comment_id", "comment_permalink", "comment", "reply",
                  "prob_real", "expected_score", "candidates_for_post", "approved", "decision"]
CONVERSATION_SHEET = ["turn", "inbox_id", "inbox_type", "author", "bot_turns", "chain"]  # after `decision`
TRUE_WORDS = {"true", "yes", "y", "1", "1.0", "x", "✓", "approved"}  # "approved", wherever 06 or the report asks
FALSE_WORDS = {"false", "no", "n", "0", "0.0", "", "nan"}  # what else an approved cell may say; anything more warns
DECISIONS = ("", "approved", "rejected")  # the `decision` column: blank, or what a person chose in 06's panel
LINK = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\]\(|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|co|ly|gg|me|"
                  r"info|biz|xyz|ru|cn|tk|shop|link|click|example)\b(?:/|\s|$))")


def predictions_path(run_date: str) -> str:
    return REPLY_SCORES.format(date=run_date)


def review_path(run_date: str) -> str:
    return REVIEW_SHEET.format(date=run_date)


def blocklist_pattern(blocklist: Iterable[str]) -> re.Pattern | None:
    """Case-insensitive; a word or phrase matches whole words only ("ass" does not block "class"); an entry that
    starts or ends with a non-word character (``https://``, ``.ru``) matches there as a prefix or suffix, so
    ``https://`` blocks ``https://spam.example``."""
    terms = sorted({str(t).strip() for t in blocklist if str(t).strip()}, key=len, reverse=True)
    if not terms:
        return None
    alts = [(r"(?<!\w)" if re.match(r"\w", t) else "") + re.escape(t) + (r"(?!\w)" if re.search(r"\w$", t) else "")
            for t in terms]
    return re.compile("|".join(alts), re.IGNORECASE)


def reply_problem(text: str, *, blocklist: Iterable[str] | re.Pattern | None = (), max_length: int = 1000,
                  allow_links: bool = False) -> str | None:
    """Why this reply text may not be posted (None: it may). The one check that selection and the re-validation of
    a person's edited text before posting both use, so an edit cannot slip past a rule."""
    text = "" if text is None or (isinstance(text, float) and text != text) else str(text)
    pattern = blocklist if isinstance(blocklist, re.Pattern) or blocklist is None else blocklist_pattern(blocklist)
    if not text.strip():
        return "empty reply"
    if pattern is not None and pattern.search(text):
        return "blocklist"
    if not allow_links and LINK.search(text):
        return "link"
    if len(text) >= max_length:
        return f"length >= {max_length}"
    return None


def filter_candidates(scored: pd.DataFrame, min_prob_real: float = 0.9, max_length: int = 1000,
                      blocklist: Iterable[str] = (), allow_links: bool = False) -> pd.DataFrame:
    """Every candidate with a ``rejected`` reason ("" when it may be chosen)."""
    missing = [c for c in SCORED_REQUIRED if c not in scored.columns]
    if missing:
        raise InputError(f"scored replies lack column(s) {missing}")
    df = scored.copy()
    reply = df["proposed_reply"].fillna("").astype(str)
    err = df["score_error"].fillna("").astype(str) if "score_error" in df.columns else pd.Series("", index=df.index)
    prob = pd.to_numeric(df["prob_real"], errors="coerce")
    pat = blocklist_pattern(blocklist)
    text_reason = reply.map(lambda t: reply_problem(t, blocklist=pat, max_length=max_length, allow_links=allow_links))
    reason = pd.Series("", index=df.index, dtype=object)
    reason[text_reason.notna()] = text_reason[text_reason.notna()]
    reason[~(prob > min_prob_real) & (reply.str.strip() != "")] = f"prob_real <= {min_prob_real}"
    reason[err != ""] = "not scored: " + err[err != ""]
    df["rejected"] = reason
    return df


def choose(filtered: pd.DataFrame, n_runner_ups: int = 2) -> pd.DataFrame:
    """One row per post: the best allowed candidate by expected_score (then prob_real), plus runner-ups."""
    ok = filtered[filtered["rejected"] == ""].sort_values(
        ["expected_score", "prob_real", "comment_id"], ascending=[False, False, True], kind="mergesort")
    rows = []
    for _, group in ok.groupby("post_id", sort=False):
        best = group.iloc[0]
        row = {
            "subreddit": best["subreddit"], "post_id": best["post_id"], "title": best.get("title", ""),
            "comment_id": best["comment_id"], "comment_permalink": best.get("comment_permalink", ""),
            "comment": best["comment"], "reply": best["proposed_reply"],
            "prob_real": float(best["prob_real"]), "expected_score": float(best["expected_score"]),
            "candidates_for_post": len(group),
        }
        others = group.iloc[1:1 + n_runner_ups]
        for k in range(n_runner_ups):
            has = k < len(others)
            row[f"runner_up_{k + 1}"] = others.iloc[k]["proposed_reply"] if has else ""
            row[f"runner_up_{k + 1}_expected_score"] = float(others.iloc[k]["expected_score"]) if has else None
            row[f"runner_up_{k + 1}_prob_real"] = float(others.iloc[k]["prob_real"]) if has else None
        row["approved"] = False
        row["decision"] = ""
        row.update({c: best[c] for c in CONVERSATION_SHEET if c in best.index})  # a conversation turn's chain
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        runner = [c for k in range(n_runner_ups) for c in (f"runner_up_{k + 1}", f"runner_up_{k + 1}_expected_score",
                                                           f"runner_up_{k + 1}_prob_real")]
        return pd.DataFrame(columns=REVIEW_COLUMNS[:-2] + runner + ["approved", "decision"])
    return out.sort_values("expected_score", ascending=False, kind="mergesort").reset_index(drop=True)


def build_review(scored: pd.DataFrame, min_prob_real: float = default("min_prob_real", "06"),
                 max_length: int = default("max_reply_chars", "06"), blocklist: Iterable[str] = (),
                 n_runner_ups: int = default("n_runner_ups", "06"), quality: FilterSettings | None = None,
                 posted: Sequence[str] = (), toxicity: ToxicityScorer | None = None,
                 allow_links: bool = default("allow_links", "06")) -> tuple[pd.DataFrame, dict]:
    """The review sheet and a summary of why candidates were rejected."""
    _, review, summary = select_candidates(scored, min_prob_real, max_length, blocklist, n_runner_ups, quality,
                                           posted, toxicity, allow_links)
    return review, summary


def select_candidates(scored: pd.DataFrame, min_prob_real: float = default("min_prob_real", "06"),
                      max_length: int = default("max_reply_chars", "06"), blocklist: Iterable[str] = (),
                      n_runner_ups: int = default("n_runner_ups", "06"), quality: FilterSettings | None = None,
                      posted: Sequence[str] = (), toxicity: ToxicityScorer | None = None,
                      allow_links: bool = default("allow_links", "06")) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Every candidate with its ``rejected`` reason, the review sheet, and the summary; ``quality`` adds the
    filters of helpers.filters (``posted``: the bot's recent replies, for posted_before)."""
    filtered = filter_candidates(scored, min_prob_real, max_length, blocklist, allow_links)
    if quality is not None:
        filtered = apply_filters(filtered, quality, posted, toxicity)
    review = choose(filtered, n_runner_ups)
    while quality is not None and (i := first_repeat(review["reply"].astype(str).tolist(),
                                                     quality.posted_before_threshold)) is not None:
        dup = review.iloc[i]  # a lower-scored post's choice repeats a better one's: that candidate steps aside
        same = (filtered["post_id"] == dup["post_id"]) & (filtered["proposed_reply"] == dup["reply"])
        filtered.loc[same & (filtered["rejected"] == ""), "rejected"] = "repeat_in_run"
        review = choose(filtered, n_runner_ups)
    if quality is not None:
        review.insert(review.columns.get_loc("approved"), "rejected_for_post",
                      review["post_id"].astype(str).map(rejected_by_post(filtered)).fillna("").astype(str))
    reasons = filtered.loc[filtered["rejected"] != "", "rejected"].str.replace(r"^not scored: .*", "not scored",
                                                                                regex=True)
    summary = {"candidates": len(filtered), "allowed": int((filtered["rejected"] == "").sum()),
               "posts_chosen": len(review), "rejected": reasons.value_counts().to_dict()}
    return filtered, review, summary


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
