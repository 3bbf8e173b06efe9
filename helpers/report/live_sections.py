"""The report's sections of the live stages: 06 (the replies chosen for review, every candidate folded away), 07 (what
happened to the posted replies, next to the seed) and 08 (the adversarial rounds)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import drive as drv
from ..drive import latest
from ..live.review_sheet import decision_of, is_approved
from ..live.sheets import unescape_frame
from ..seed_figures import seed_upvoted_share
from .html_parts import (
    details,
    df_table,
    esc,
    figures,
    fmt,
    img_tag,
    json_or_none,
    kv_table,
    not_run,
    read_table,
    section,
)


def _read(path: Path | None) -> pd.DataFrame | None:
    """A people-facing CSV as it was meant (the formula-safety ' prefixes removed); InputError naming it if
    unreadable."""
    df = read_table(path)
    return None if df is None else unescape_frame(df)


def candidates_section(root: Path) -> str:
    """06: the replies chosen for review with their status; per comment, every candidate with its scores (folded)."""
    title = "06 · Scored, chosen and reviewed replies"
    preds = _read(latest(root, drv.REPLY_SCORES))
    if preds is None or preds.empty:
        return section("candidates", title, not_run("Stage 06"))
    review = _read(latest(root, drv.REVIEW_SHEET))
    ledger = _read(Path(root, drv.POSTING_LEDGER))
    reply_col = "proposed_reply" if "proposed_reply" in preds.columns else "reply"
    chosen: dict[str, dict] = {}
    if review is not None and "comment_id" in review.columns:
        chosen = {str(r["comment_id"]): r for r in review.to_dict("records")}
    chosen_posts = {str(r.get("post_id", "")) for r in chosen.values()}
    posted: dict[str, str] = {}
    if ledger is not None and {"comment_id", "status"} <= set(ledger.columns):
        posted = {str(r["comment_id"]): str(r["status"]) for r in ledger.to_dict("records")}
    allowed = int((preds["rejected"].fillna("").astype(str) == "").sum()) if "rejected" in preds else None
    body = figures([
        ("candidates scored", len(preds), f"for {preds['comment_id'].nunique()} comments"),
        ("passed the filters", allowed, "realistic enough, no link, not a parrot, not blocked…"),
        ("chosen for review", len(chosen), "the best expected score per post: one reply per post"),
        ("approved", sum(is_approved(r) for r in chosen.values()), "by a person, on the review sheet"),
    ], "candidates-figures")
    if chosen:
        rows = "".join(f"<tr><td>r/{esc(r.get('subreddit', ''))}</td><td>{esc(r.get('comment', ''))}</td>"
                       f"<td>{esc(r.get('reply', r.get(reply_col, '')))}</td><td>{fmt(r.get('prob_real'))}</td>"
                       f"<td>{fmt(r.get('expected_score'))}</td><td>{_status(r, posted.get(cid))}</td></tr>"
                       for cid, r in chosen.items())
        body += ('<h3>Chosen for review</h3><table id="chosen-replies"><tr><th>subreddit</th><th>comment</th>'
                 f"<th>chosen reply</th><th>prob_real</th><th>expected_score</th><th>status</th></tr>{rows}</table>")
    parts = []
    for cid, group in preds.groupby("comment_id", sort=False):
        first = group.iloc[0]
        pick = chosen.get(str(cid))
        post_taken = pick is None and str(first.get("post_id", "")) in chosen_posts
        head = (f'<div class="comment" data-comment-id="{esc(cid)}"><b>r/{esc(first.get("subreddit", ""))}</b> '
                f'{esc(first.get("title", ""))}<br>{esc(first.get("comment", ""))} '
                f'{_status(pick, posted.get(str(cid)), post_taken)}</div>')
        rows = []
        ordered = group.sort_values("expected_score", ascending=False) if "expected_score" in group else group
        for r in ordered.to_dict("records"):
            is_chosen = pick is not None and str(pick.get(reply_col, pick.get("reply", ""))) == str(r[reply_col])
            cls = ' class="chosen"' if is_chosen else ""
            rows.append(f"<tr{cls}><td>{esc(r[reply_col])}</td>"
                        f"<td>{fmt(r.get('prob_real'))}</td><td>{fmt(r.get('expected_score'))}</td>"
                        f"<td>{'✔ chosen' if is_chosen else esc(r.get('rejected', ''))}</td></tr>")
        parts.append(head + '<table class="candidates"><tr><th>candidate reply</th><th>prob_real</th>'
                            f"<th>expected_score</th><th>chosen, or why not</th></tr>{''.join(rows)}</table>")
    body += details(f"Every candidate, per comment ({preds['comment_id'].nunique()} comments)", "\n".join(parts))
    return section("candidates", title, body)


def _status(pick: dict | None, ledger_status: str | None, post_taken: bool = False) -> str:
    if pick is None and post_taken:  # the seed's rule: one reply per post
        return '<span class="badge">another comment on this post was chosen</span>'
    if pick is None:
        return '<span class="badge no">no candidate passed selection</span>'
    if ledger_status:
        return f'<span class="badge ok">{esc(ledger_status)}</span>'
    return approval_badge(pick)


def approval_badge(pick: dict) -> str:
    """Approved, rejected by a person, or awaiting, by 06's own definitions (helpers.live.review_sheet), so the report
    and 06 never disagree about a row."""
    if is_approved(pick):
        return '<span class="badge ok">approved</span>'
    if decision_of(pick) == "rejected":
        return '<span class="badge no">rejected by a person</span>'
    return '<span class="badge">awaiting approval</span>'


def outcomes_section(root: Path) -> str:
    """07: how the posted replies fared (score ≥ 2 = upvoted), next to the seed's hand count."""
    title = "07 · Outcomes of posted replies"
    m = json_or_none(Path(root, drv.OUTCOME_METRICS))
    if not m:
        return section("outcomes", title, not_run("Stage 07"))
    if not m.get("replies"):
        return section("outcomes", title, '<p class="muted">No reply has been posted yet (06 in the offline demo '
                                          'is always a dry run), so there is nothing to track.</p>')
    frac = m.get("fraction_upvoted")
    body = figures([
        ("upvoted", f"{frac:.0%}" if isinstance(frac, float) else None,
         f"{m.get('upvoted')} of {m.get('replies')} posted replies reached score ≥ 2 (seed: "
         f"{seed_upvoted_share():.0%})"),
        ("removed or deleted", m.get("removed_or_deleted"), "by moderators or their authors: worth a look"),
        ("bin accuracy", m.get("bin_accuracy"), "04's predicted score bin was the actual one"),
        ("checks", m.get("checks"), "times 07 looked at the replies"),
    ], "outcome-figures")
    for rel, alt in ((drv.OUTCOME_CONFUSION, "actual vs predicted upvote bin"),
                     (drv.OUTCOME_CALIBRATION, "upvote calibration"), (drv.OUTCOME_GROWTH, "score per check")):
        body += img_tag(Path(root, rel), alt)
    head = {k: m.get(k) for k in ("upvote_definition", "replies", "checks", "upvoted", "fraction_upvoted",
                                  "mean_score", "removed_or_deleted", "states", "with_prediction", "bin_accuracy",
                                  "brier_p_upvoted", "mean_predicted_p_upvoted", "seed_for_comparison")}
    raw = (kv_table(head, "outcome-metrics")
           + "<h3>Per subreddit</h3>" + df_table(pd.DataFrame(m.get("per_subreddit", [])), "outcome-per-subreddit")
           + "<h3>Per week</h3>" + df_table(pd.DataFrame(m.get("per_week", [])), "outcome-per-week")
           + "<h3>Calibration</h3>" + df_table(pd.DataFrame(m.get("calibration", [])), "outcome-calibration"))
    return section("outcomes", title, body + details("Raw metrics: per subreddit, per week, calibration", raw))


def adversarial_section(root: Path) -> str:
    """08: does the realism classifier keep up with fresh fakes, round by round."""
    title = "08 · Adversarial refresh rounds"
    table = Path(root, drv.ADVERSARIAL_ROUNDS)
    if not table.exists():
        return section("adversarial", title, not_run("Stage 08"))
    df = read_table(table)  # an unreadable file: InputError naming it, a warning in the report
    last = df.iloc[-1].to_dict() if df is not None and len(df) else {}
    body = figures([
        ("rounds", 0 if df is None else len(df), "each: fresh GPT-2 fakes, then the classifier trains on them"),
        ("AUC before, last round", last.get("auc_newest_before"),
         "real vs the round's held-out fakes: lower = the fakes got harder to catch"),
        ("AUC after, last round", last.get("auc_newest_after"), "after training on old + new fakes: caught up?"),
        ("fooled after", last.get("fooled_after"), "share of the newest fakes still taken for real"),
    ], "adversarial-figures")
    body += img_tag(Path(root, drv.ADVERSARIAL_PNG), "AUC per round")
    return section("adversarial", title, body + details("Raw rounds table", df_table(df, "adversarial-rounds")))
