"""Stage 06 in the report: its section (the replies chosen for review, every candidate folded away), card line,
scorecard rows and run-summary lines; its quality section is quality_report's."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import drive as drv
from ..drive import latest
from ..live.select import decision_of, is_approved
from ..live.sheets import unescape_frame
from ..words import counts
from .html_parts import details, esc, figures, fmt, json_object, not_run, read_table
from .html_parts import section as html_section
from .measure import Measure, signed


def _read(path: Path | None) -> pd.DataFrame | None:
    """A people-facing CSV as it was meant (the formula-safety ' prefixes removed); InputError naming it if
    unreadable."""
    df = read_table(path)
    return None if df is None else unescape_frame(df)


def section(root: Path) -> str:
    """06: the replies chosen for review with their status; per comment, every candidate with its scores (folded)."""
    title = "06 · Scored, chosen and reviewed replies"
    preds = _read(latest(root, drv.REPLY_SCORES))
    if preds is None or preds.empty:
        return html_section("candidates", title, not_run("Stage 06"))
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
    return html_section("candidates", title, body)


def _status(pick: dict | None, ledger_status: str | None, post_taken: bool = False) -> str:
    if pick is None and post_taken:  # the seed's rule: one reply per post
        return '<span class="badge">another comment on this post was chosen</span>'
    if pick is None:
        return '<span class="badge no">no candidate passed selection</span>'
    if ledger_status:
        return f'<span class="badge ok">{esc(ledger_status)}</span>'
    return approval_badge(pick)


def approval_badge(pick: dict) -> str:
    """Approved, rejected by a person, or awaiting, by 06's own definitions (helpers.live.select), so the report and
    06 never disagree about a row."""
    if is_approved(pick):
        return '<span class="badge ok">approved</span>'
    if decision_of(pick) == "rejected":
        return '<span class="badge no">rejected by a person</span>'
    return '<span class="badge">awaiting approval</span>'


def outcome(root: Path) -> str | None:
    path = latest(root, drv.WOULD_POST)
    if path is None:
        return None
    try:
        status = pd.read_csv(path, usecols=["status"], keep_default_na=False)["status"]
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    return f"{len(status)} review row(s) in {path.name}: {counts(status.value_counts().to_dict())}"


def measures(root: Path) -> list[Measure]:
    quality = json_object(latest(root, drv.QUALITY_METRICS)) or {}  # latest() gives the path under root already
    lift = (quality.get("lift") or {}).get("selected_vs_candidates") or {}
    return [Measure("Selection lift, realism (06)", signed(lift.get("prob_real")), "not measured",
                    "mean prob_real of the chosen replies minus all candidates'"),
            Measure("Selection lift, expected score (06)", signed(lift.get("expected_score")), "not measured",
                    "mean predicted score of the chosen replies minus all candidates'")]
