"""The run report: one self-contained HTML file on the Drive root (images inlined), plus the text summary `demo` prints.

It reads only what the stages left on Drive, so it can be rebuilt any time (`python -m helpers report --drive DIR`);
a stage that has not run yet shows as such instead of failing the report.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from . import drive as drv
from .select import is_true
from .sheets import unescape_frame

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222;
line-height:1.4;padding:0 1em}h1{border-bottom:2px solid #ff4500}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:3px 8px;
vertical-align:top;text-align:left}th{background:#f6f6f6}tr.chosen{background:#e8f6e8;font-weight:600}
.muted{color:#888}.comment{background:#f9f9f9;border-left:3px solid #ff4500;padding:.4em .8em;margin:1em 0 .3em}
img{max-width:100%;border:1px solid #eee}.badge{display:inline-block;padding:0 .5em;border-radius:3px;
background:#eee;font-size:.85em}.badge.ok{background:#c8ecc8}.badge.no{background:#f3d0d0}
"""


def esc(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return esc(x)


def img_tag(path: Path, alt: str) -> str:
    if not path.exists():
        return f'<p class="muted">{esc(path.name)} not written yet.</p>'
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{esc(alt)}" data-file="{esc(path.name)}" src="data:image/png;base64,{data}">'


def flatten(d: Any, prefix: str = "") -> dict[str, Any]:
    """Nested metrics dicts -> {'a.b': value} rows; lists of numbers kept short."""
    out: dict[str, Any] = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(flatten(v, f"{prefix}{k}." if not isinstance(v, dict) else f"{prefix}{k}."))
        return {k.rstrip("."): v for k, v in out.items()}
    if isinstance(d, list) and len(d) > 12:
        return {prefix: f"[{len(d)} values]"}
    return {prefix: d}


def kv_table(d: dict, table_id: str) -> str:
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{fmt(v)}</td></tr>" for k, v in flatten(d).items())
    return f'<table id="{esc(table_id)}" class="metrics">{rows}</table>'


def df_table(df: pd.DataFrame, table_id: str = "", max_rows: int = 50) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{fmt(v)}</td>" for v in row) + "</tr>"
                   for row in df.head(max_rows).itertuples(index=False))
    more = f'<p class="muted">{len(df) - max_rows} more rows not shown.</p>' if len(df) > max_rows else ""
    return f'<table id="{esc(table_id)}"><tr>{head}</tr>{body}</table>{more}'


def json_or_none(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    except json.JSONDecodeError:
        return None


def section(sid: str, title: str, body: str) -> str:
    return f'<section id="{esc(sid)}"><h2>{esc(title)}</h2>\n{body}\n</section>\n'


def not_run(what: str) -> str:
    return f'<p class="muted">{esc(what)} has not run on this Drive root yet.</p>'


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


def latest(root: Path, dated: str) -> Path | None:
    """The newest run's file of a dated name from helpers.drive (e.g. REVIEW_SHEET, 'live/review_{date}.csv')."""
    found = sorted(p for p in Path(root).glob(dated.format(date="*")) if ".bak." not in p.name)
    return found[-1] if found else None


def _read(path: Path | None) -> pd.DataFrame | None:
    if path is None or not path.exists():
        return None
    try:
        return unescape_frame(pd.read_csv(path, keep_default_na=False, na_values=[""]))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return None


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
    """Approved or awaiting, by 06's own definition (helpers.select.is_true), so the two never disagree."""
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
    lambda r: _late("outcome_metrics", r),  # 07
    lambda r: _late("adversarial", r),  # 08
]


def _late(module: str, root: Path) -> str:
    """A section rendered by its stage's own module (imported here, not at the top: they import this one)."""
    import importlib

    return importlib.import_module(f"helpers.{module}").report_section(root)


def build_report(root: str | Path, extra: list[Callable[[Path], str]] | None = None) -> Path:
    """Write report.html on the Drive root; `extra` sections (e.g. outcome tracking) are appended."""
    root = Path(root)
    body = "".join(fn(root) for fn in SECTIONS + list(extra or []))
    page = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>Reddit bot run report</title>"
            f"<style>{CSS}</style></head><body><h1>Reddit bot run report</h1>"
            f"<p class=\"muted\">Drive root: <code>{esc(root.resolve())}</code></p>{body}</body></html>")
    return drv.write_text(page, root / drv.REPORT_HTML)


def _count_rows(paths: list[Path]) -> int:
    total = 0
    for p in paths:
        df = _read(p)
        total += 0 if df is None else len(df)
    return total


def summary_text(root: str | Path) -> str:
    """What `make demo` prints at the end: rows per stage, training metrics, the selected replies, where things are."""
    root = Path(root)
    lines = ["", "=== Run summary " + "=" * 60]
    counts = {
        "gpt2_finetune.csv rows": _count_rows([root / drv.GPT2_FINETUNE]),
        "gpt2_generate.csv comments": _count_rows([root / drv.GPT2_GENERATE]),
        "bert_gan_real.csv rows": _count_rows([root / drv.BERT_GAN_REAL]),
        "bert_gan_fake_*.csv rows": _count_rows(sorted(root.glob(drv.BERT_GAN_FAKE_GLOB))),
        "proposed replies": _count_rows([p for p in [latest(root, drv.PROPOSED_REPLIES)] if p]),
        "scored replies": _count_rows([p for p in [latest(root, drv.REPLY_SCORES)] if p]),
    }
    lines.append("Rows per stage:")
    lines += [f"  {k:<30} {v}" for k, v in counts.items()]
    lines.append("Training metrics:")
    for rel, keys in ((drv.GPT2_METRICS, ("validation_loss_before", "validation_loss_after", "final_train_loss")),
                      (drv.REALISM_METRICS, ("auc", "accuracy", "f1")),
                      (drv.UPVOTE_METRICS, ("macro_auc", "accuracy", "model_accuracy", "length_baseline_accuracy"))):
        stem = Path(rel).stem
        m = json_or_none(Path(root, rel))
        if not m:
            lines.append(f"  {stem}: not run")
            continue
        flat = flatten(m)
        shown = {k: v for k, v in flat.items()
                 if k.split(".")[-1] in keys and not isinstance(v, (list, dict)) and "history" not in k}
        lines.append(f"  {stem}: " + ", ".join(f"{k}={fmt(v)}" for k, v in shown.items()))
    review = _read(latest(root, drv.REVIEW_SHEET))
    lines.append("Selected replies:")
    if review is None or review.empty:
        lines.append("  none (stage 06 has not run, or no candidate passed selection)")
    else:
        reply_col = "proposed_reply" if "proposed_reply" in review.columns else "reply"
        for r in review.to_dict("records"):
            scores = ", ".join(f"{k}={fmt(r[k])}" for k in ("prob_real", "expected_score") if k in r)
            lines.append(f"  r/{r.get('subreddit', '?')} comment {r.get('comment_id', '?')}: "
                         f"{str(r.get(reply_col, ''))[:100]!r} ({scores}; approved={r.get('approved', '')})")
    lines.append(f"Report:             {root / drv.REPORT_HTML}")
    lines.append(f"Executed notebooks: {root / drv.EXECUTED_DIR}")
    return "\n".join(lines)
