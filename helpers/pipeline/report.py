"""The run report: one self-contained HTML file on the Drive root (images inlined), plus the text summary `demo` prints.

It reads only what the stages left on Drive, so it can be rebuilt any time (`python -m helpers report --drive DIR`);
a stage that has not run yet shows as such, and a file it cannot read is a warning (in the report and on stderr)
instead of failing the report: the report runs at the end of every `run`, and must never fail one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import pandas as pd

from .. import drive as drv
from .. import files
from ..drive import latest
from ..errors import BotError, InputError
from ..live.select import is_true
from ..live.sheets import unescape_frame
from ..report_html import (
    df_table,
    esc,
    first_line,
    fmt,
    img_tag,
    json_or_none,
    kv_table,
    not_run,
    read_table,
    section,
)
from ..tracking import adversarial, outcome_metrics
from . import generator_rounds_report, quality_report

# What a malformed file on Drive can raise while a section reads or draws it (pandas' ParserError, UnicodeDecodeError
# and JSONDecodeError are ValueErrors; a missing column is a KeyError).
READ_ERRORS = (BotError, OSError, ValueError, KeyError, TypeError, IndexError, AttributeError)

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222;
line-height:1.4;padding:0 1em}h1{border-bottom:2px solid #ff4500}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:3px 8px;
vertical-align:top;text-align:left}th{background:#f6f6f6}tr.chosen{background:#e8f6e8;font-weight:600}
.muted{color:#888}.comment{background:#f9f9f9;border-left:3px solid #ff4500;padding:.4em .8em;margin:1em 0 .3em}
img{max-width:100%;border:1px solid #eee}.badge{display:inline-block;padding:0 .5em;border-radius:3px;
background:#eee;font-size:.85em}.badge.ok{background:#c8ecc8}.badge.no{background:#f3d0d0}
"""


# ---- sections ------------------------------------------------------------------------------------------------------
def stages_section(root: Path) -> str:
    rows = []
    for p in sorted(Path(root, drv.MANIFEST_DIR).glob("*.json")):
        m = json_or_none(p) or {}
        params = ", ".join(f"{k}={v}" for k, v in sorted(m.get("params", {}).items())
                           if k not in ("drive_backend", "gdrive_folder"))
        rows.append({"stage": p.stem, "notebook": m.get("notebook", ""), "wall_s": m.get("wall_s", ""),
                     "outputs": len(m.get("outputs", {})), "parameters": params})
    if not rows:
        return section("stages", "Stages", not_run("No stage"))
    note = f'<p>Executed notebooks: <code>{esc(Path(root, drv.EXECUTED_DIR))}</code></p>'
    return section("stages", "Stages", df_table(pd.DataFrame(rows), "stages-table") + note)


def data_section(root: Path) -> str:
    summary = json_or_none(Path(root, drv.DATA_SUMMARY))
    if not summary:
        return section("data", "Data (00)", not_run("Stage 00"))
    per_sub = summary.get("rows_per_subreddit")
    rest = {k: v for k, v in summary.items() if k != "rows_per_subreddit"}
    body = kv_table(rest, "data-summary")
    if isinstance(per_sub, dict) and per_sub:
        table = pd.DataFrame(per_sub).T.fillna(0).astype(int)
        order = [c for c in ("train", "validation", "test") if c in table.columns]
        table = table[order + [c for c in table.columns if c not in order]].rename_axis("subreddit").reset_index()
        body += "<h3>Rows per subreddit and split</h3>" + df_table(table, "data-per-subreddit")
    return section("data", "Data (00)", body)


def gpt2_section(root: Path) -> str:
    m = json_or_none(Path(root, drv.GPT2_METRICS))
    body = (kv_table(m, "gpt2-metrics") if m else not_run("Stage 01"))
    body += img_tag(Path(root, drv.GPT2_LOSS_PNG), "GPT-2 training loss curve")
    return section("gpt2", "GPT-2 fine-tuning (01)", body)


def classifier_section(root: Path, sid: str, title: str, metrics: str, images: list[str]) -> str:
    m = json_or_none(Path(root, metrics))
    body = kv_table(m, f"{sid}-metrics") if m else not_run(title)
    for rel in images:
        body += img_tag(Path(root, rel), Path(rel).name)
    return section(sid, title, body)


def _read(path: Path | None) -> pd.DataFrame | None:
    """A people-facing CSV as it was meant (the formula-safety ' prefixes removed); InputError naming it if
    unreadable."""
    df = read_table(path)
    return None if df is None else unescape_frame(df)


def candidates_section(root: Path) -> str:
    """Per comment: every candidate with prob_real and expected score, the chosen one marked, its review status."""
    preds = _read(latest(root, drv.REPLY_SCORES))
    if preds is None or preds.empty:
        return section("candidates", "Candidate replies (05, 06)", not_run("Stage 06"))
    review = _read(latest(root, drv.REVIEW_SHEET))
    ledger = _read(Path(root, drv.POSTING_LEDGER))
    reply_col = "proposed_reply" if "proposed_reply" in preds.columns else "reply"
    chosen: dict[str, dict] = {}
    if review is not None and "comment_id" in review.columns:
        for r in review.to_dict("records"):
            chosen[str(r["comment_id"])] = r
    chosen_posts = {str(r.get("post_id", "")) for r in chosen.values()}
    posted: dict[str, str] = {}
    if ledger is not None and {"comment_id", "status"} <= set(ledger.columns):
        for r in ledger.to_dict("records"):
            posted[str(r["comment_id"])] = str(r["status"])
    parts = []
    for cid, group in preds.groupby("comment_id", sort=False):
        first = group.iloc[0]
        pick = chosen.get(str(cid))
        post_taken = pick is None and str(first.get("post_id", "")) in chosen_posts
        status = _status(pick, posted.get(str(cid)), post_taken)
        head = (f'<div class="comment" data-comment-id="{esc(cid)}"><b>r/{esc(first.get("subreddit", ""))}</b> '
                f'{esc(first.get("title", ""))}<br>{esc(first.get("comment", ""))} {status}</div>')
        rows = []
        ordered = group.sort_values("expected_score", ascending=False) if "expected_score" in group else group
        for r in ordered.to_dict("records"):
            is_chosen = pick is not None and str(pick.get(reply_col, pick.get("reply", ""))) == str(r[reply_col])
            cls = ' class="chosen"' if is_chosen else ""
            mark = "✔ chosen" if is_chosen else ""
            rows.append(f"<tr{cls}><td>{esc(r[reply_col])}</td><td>{fmt(r.get('prob_real'))}</td>"
                        f"<td>{fmt(r.get('expected_score'))}</td><td>{mark}</td></tr>")
        table = ("<table class=\"candidates\"><tr><th>candidate reply</th><th>prob_real</th>"
                 f"<th>expected_score</th><th></th></tr>{''.join(rows)}</table>")
        parts.append(head + table)
    intro = (f"<p>{preds['comment_id'].nunique()} comments, {len(preds)} candidates; "
             f"{len(chosen)} chosen for review.</p>")
    return section("candidates", "Candidate replies (05, 06)", intro + "\n".join(parts))


def _status(pick: dict | None, ledger_status: str | None, post_taken: bool = False) -> str:
    if pick is None and post_taken:  # the seed's rule: one reply per post
        return '<span class="badge">another comment on this post was chosen</span>'
    if pick is None:
        return '<span class="badge no">no candidate passed selection</span>'
    if ledger_status:
        return f'<span class="badge ok">{esc(ledger_status)}</span>'
    return approval_badge(pick)


def approval_badge(pick: dict) -> str:
    """Approved or awaiting, by 06's own definition (helpers.live.select.is_true), so the two never disagree."""
    if is_true(pick.get("approved", "")):
        return '<span class="badge ok">approved</span>'
    return '<span class="badge">awaiting approval</span>'


SECTIONS: list[Callable[[Path], str]] = [
    stages_section,
    data_section,
    gpt2_section,
    lambda r: classifier_section(r, "realism", "BERT realism classifier (03)", drv.REALISM_METRICS, [drv.REALISM_ROC]),
    lambda r: classifier_section(r, "upvote", "BERT upvote classifier (04)", drv.UPVOTE_METRICS,
                                 [drv.UPVOTE_ROC, drv.UPVOTE_CONFUSION]),
    candidates_section,
    quality_report.report_section,  # 02, 06, evaluate
    outcome_metrics.report_section,  # 07
    adversarial.report_section,  # 08
    generator_rounds_report.report_section,  # 09
]


def render_sections(root: Path, sections: list[Callable[[Path], str]]) -> tuple[str, list[str]]:
    """Each section's HTML; a section whose files cannot be read gives a warning (naming the file) instead."""
    parts, warnings = [], []
    for fn in sections:
        try:
            parts.append(fn(root))
        except READ_ERRORS as e:
            name = getattr(fn, "__name__", "section")
            warnings.append(str(e) if isinstance(e, InputError) and e.file
                            else f"{name}: a file it reads is malformed ({type(e).__name__}: {first_line(e)})")
    return "".join(parts), warnings


def warnings_section(warnings: list[str]) -> str:
    items = "".join(f"<li>{esc(w)}</li>" for w in warnings)
    return section("warnings", "Warnings: files the report could not read", f"<ul>{items}</ul>") if warnings else ""


def build_report(root: str | Path) -> Path:
    """Write report.html on the Drive root. A file that cannot be read is a warning line in the report and on stderr,
    never an exception."""
    root = Path(root)
    body, warnings = render_sections(root, SECTIONS)
    for w in warnings:
        print(f"warning: report: {w}", file=sys.stderr, flush=True)
    page = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>Reddit bot run report</title>"
            f"<style>{CSS}</style></head><body><h1>Reddit bot run report</h1>"
            f"<p class=\"muted\">Drive root: <code>{esc(root.resolve())}</code></p>{warnings_section(warnings)}"
            f"{body}</body></html>")
    return files.write_text(page, root / drv.REPORT_HTML)
