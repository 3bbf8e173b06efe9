"""Stage 00 in the report: its section (the pairs kept, what was dropped, per subreddit) and its card's line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import drive as drv
from ..words import counts
from .html_parts import details, df_table, figures, json_object, json_or_none, kv_table, not_run
from .html_parts import section as html_section


def _total(x) -> int | None:
    """rows_out: a number, or (older summaries) a number per split."""
    if isinstance(x, dict):
        return sum(v for v in x.values() if isinstance(v, (int, float)))
    return x if isinstance(x, (int, float)) else None


def section(root: Path) -> str:
    """00: how many comment -> reply pairs the run learns from, and what was dropped."""
    summary = json_or_none(Path(root, drv.DATA_SUMMARY))
    title = "00 · Data: comment → reply pairs"
    if not summary:
        return html_section("data", title, not_run("Stage 00"))
    per_sub = summary.get("rows_per_subreddit")
    splits = summary.get("rows_per_split") or {}
    body = figures([
        ("pairs kept", _total(summary.get("rows_out")), "comment → reply pairs the models learn from"),
        ("dropped", summary.get("dropped_total"), "deleted, bots, duplicates, links… (counts below)"),
        ("test pairs", splits.get("test"), "held out by thread: every test figure is measured on these"),
        ("source", summary.get("source"), "where the pairs came from"),
    ], "data-figures")
    if isinstance(per_sub, dict) and per_sub:
        table = pd.DataFrame(per_sub).T.fillna(0).astype(int)
        order = [c for c in ("train", "validation", "test") if c in table.columns]
        table = table[order + [c for c in table.columns if c not in order]].rename_axis("subreddit").reset_index()
        body += "<h3>Rows per subreddit and split</h3>" + df_table(table, "data-per-subreddit")
    rest = {k: v for k, v in summary.items() if k != "rows_per_subreddit"}
    body += details("Raw summary (data_summary.json)", kv_table(rest, "data-summary"))
    return html_section("data", title, body)


def outcome(root: Path) -> str | None:
    s = json_object(root / drv.DATA_SUMMARY)
    if s is None:
        return None
    extra = s.get("source_stats", {})
    requests = f", {extra['requests']} requests" if "requests" in extra else ""
    return (f"source {s.get('source')}: {s.get('rows_in')} rows in, {s.get('rows_out')} kept, "
            f"{s.get('dropped_total')} dropped ({counts(s.get('dropped'))}), {s.get('truncated', 0)} truncated"
            f"{requests}")
