"""Stage 07 in the report: its section (how the posted replies fared, next to the seed), card line and scorecard
row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import drive as drv
from ..seed_figures import SEED, seed_upvoted_share
from ..words import counts
from .html_parts import details, df_table, figures, img_tag, json_object, json_or_none, kv_table, metric_line, not_run
from .html_parts import section as html_section
from .measure import Measure, num


def section(root: Path) -> str:
    """07: how the posted replies fared (score ≥ 2 = upvoted), next to the seed's hand count."""
    title = "07 · Outcomes of posted replies"
    m = json_or_none(Path(root, drv.OUTCOME_METRICS))
    if not m:
        return html_section("outcomes", title, not_run("Stage 07"))
    if not m.get("replies"):
        return html_section("outcomes", title, '<p class="muted">No reply has been posted yet (06 in the offline demo '
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
    return html_section("outcomes", title, body + details("Raw metrics: per subreddit, per week, calibration", raw))


def outcome(root: Path) -> str | None:
    """Checked, upvoted, removed; where the replies are now, when known."""
    line = metric_line(root / drv.OUTCOME_METRICS, "{replies} posted replies checked: {upvoted} upvoted, "
                                                   "{removed_or_deleted} removed or deleted")
    states = (json_object(root / drv.OUTCOME_METRICS) or {}).get("states")
    return line + (f"; now {counts(states)}" if isinstance(states, dict) and states else "") if line else None


def measures(root: Path) -> list[Measure]:
    outcome = json_object(root / drv.OUTCOME_METRICS) or {}
    posted = outcome.get("replies")
    upvoted = (f"{num(outcome.get('fraction_upvoted'), pct=True)} ({outcome.get('upvoted')} of {posted})"
               if posted else "– (nothing posted yet)")
    return [Measure("Posted replies with an upvote (07)", upvoted,
                    f"{seed_upvoted_share():.0%} ({SEED['posted_upvoted']} of {SEED['posted']})",
                    "score ≥ 2: someone besides the bot voted it up")]
