"""Stage 06, choosing: the seed's rule (believable, not too long, best expected score, one reply per post). The
review sheet it fills, and what a person's marks in it mean, are helpers.live.review_sheet.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import pandas as pd

from ..contract import default
from ..drive import REPLY_SCORES
from ..errors import InputError
from ..filters import FilterSettings, ToxicityScorer, apply_filters, first_repeat, rejected_by_post
from .review_sheet import CONVERSATION_SHEET, REVIEW_COLUMNS

SCORED_REQUIRED = ["subreddit", "post_id", "comment_id", "comment", "proposed_reply", "prob_real", "expected_score"]
LINK = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\]\(|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|co|ly|gg|me|"
                  r"info|biz|xyz|ru|cn|tk|shop|link|click|example)\b(?:/|\s|$))")


def predictions_path(run_date: str) -> str:
    return REPLY_SCORES.format(date=run_date)


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
