"""Where posting is stopped (07's holds: a notice at the top of the report) and the last preflight (account,
subreddits: in 05's part).

Why at the top: a removed reply, a ban or a suspension matters more than any score below it, and a person must act
(look into it, then clear the hold with 06's `clear_holds`) before the bot posts there again. Empty when neither file
exists, so a run that never went live shows nothing here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import drive as drv
from ..drive import latest
from ..files import read_json
from ..reddit.preflight import COLUMNS
from .html_parts import df_table, esc, section


def holds_rows(root: Path) -> pd.DataFrame:
    """One row per hold: what is held (r/<name> or the account), why, since when."""
    path = Path(root, drv.HOLDS)
    holds = read_json(path).get("holds", {}) if path.exists() else {}
    return pd.DataFrame([{"held": k, "reason": v.get("reason", ""), "since": v.get("since", "")}
                         for k, v in sorted(holds.items())], columns=["held", "reason", "since"])


def preflight_html(stage: str, pf: dict) -> str:
    """One stage's check: the account line and the subreddits' table."""
    a = pf.get("account") or {}
    who = (f"u/{esc(a.get('name'))}: " + ("<b>SUSPENDED</b>" if a.get("suspended") else
           f"not suspended, {esc(a.get('age_days'))} days old, karma {esc(a.get('karma'))}")
           if a.get("name") else "account not checked (rules from the archive)")
    warn = f" &mdash; {esc(a['warning'])}" if a.get("warning") else ""
    subs = pd.DataFrame(pf.get("subreddits", []))
    subs = subs[[c for c in COLUMNS if c in subs]]  # the printed table's order (the JSON's keys are sorted)
    table = df_table(subs, f"preflight-{stage}") if len(subs) else '<p class="muted">no subreddit to check</p>'
    return f"<p>Preflight of {esc(stage)} ({esc(pf.get('checked_at', ''))}): {who}{warn}</p>" + table


def holds_notice(root: Path) -> str:
    """Above the stage strip, only while a hold is set: what is held, why, and how posting resumes."""
    held = holds_rows(root)
    if held.empty:
        return ""
    return ('<div class="notice" id="holds"><b>Posting stopped.</b> 07 saw a removed reply, a ban or a suspension; '
            "06 posts nothing where a hold is set until <code>clear_holds</code> names it (after you have looked into "
            "it).</div>" + df_table(held, "holds-table"))


def preflight_section(root: Path) -> str:
    """05's part: the newest preflight of each stage (account, each subreddit's verdict and reason); "" when no
    stage went through a preflight (nothing went live or recorded)."""
    newest = latest(root, drv.PREFLIGHT)
    if newest is None:
        return ""
    checks = read_json(newest).get("checks", {})
    held = "no holds: 07 saw no removed reply, ban or suspension" if holds_rows(root).empty else "holds are set (top)"
    parts = [f'<p class="muted">{held}</p>'] + [preflight_html(stage, pf) for stage, pf in sorted(checks.items())]
    return section("live-trouble", "Going live: preflight and holds", "\n".join(parts))
