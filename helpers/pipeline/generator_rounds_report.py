"""The report's "Generator rounds" section (09) and the run summary's line: the per-round table and the plot of the
held-out vs the choosing judge, distinct-2 and test loss. Kept apart from report.py so 09's view changes here only."""

from __future__ import annotations

from pathlib import Path

from .. import drive as drv
from ..errors import InputError
from ..generator.lineage import accepted_flag
from ..report_html import df_table, esc, fmt, img_tag, not_run, read_table, section
from ..rounds.rounds_table import rounds_png

SHOWN = ["round", "run_name", "base", "accepted", "choosing_prob_real_base", "choosing_prob_real",
         "heldout_prob_real_base", "heldout_prob_real", "pass_share_base", "pass_share", "distinct_2_base",
         "distinct_2", "test_loss_base", "test_loss", "train_docs", "replay_share", "adv_auc_newest", "seconds",
         "reason"]


def report_section(root: str | Path) -> str:
    """The rounds table and its plot (redrawn when missing); "not run" before 09 ran."""
    root = Path(root)
    title = "Generator rounds (09)"
    df = read_table(Path(root, drv.GENERATOR_ROUNDS))  # an unreadable file: InputError, a warning in the report
    if df is None:
        return section("generator-rounds", title, not_run("Stage 09"))
    png = Path(root, drv.GENERATOR_ROUNDS_PNG)
    if not png.exists():
        rounds_png(df, png)
    note = ("<p>Each round fine-tunes the newest accepted GPT-2 on its best candidates by the choosing judges (06's "
            "classifiers and filters), real train pairs and approved replies. A gain counts only when the "
            f"<b>held-out judge</b> ({esc(_judge(df))}), which never chose, sees it on test comments, and "
            "distinct-2 and the loss on real test replies stay within their guards. <code>_base</code>: the "
            "round's starting checkpoint on the same test comments.</p>")
    return section("generator-rounds", title, note + df_table(df.reindex(columns=SHOWN), "generator-rounds") +
                   img_tag(png, "held-out vs choosing judge, distinct-2, test loss per round"))


def _judge(df) -> str:
    judges = df["heldout_judge"].dropna().astype(str).unique() if "heldout_judge" in df.columns else []
    return ", ".join(judges) or "?"


def summary_line(root: str | Path) -> str:
    """One line for the run summary: rounds, accepted, the newest accepted generator, held-out judge before/after."""
    try:
        df = read_table(Path(root, drv.GENERATOR_ROUNDS))
        if df is None or df.empty:
            return "Generator rounds:  not run"
        acc = df["accepted"].map(accepted_flag).fillna(False).astype(bool)  # as 05/08/09 read it
        newest = str(df.loc[acc, "run_name"].iloc[-1]) if acc.any() else "none (01's checkpoint stays in use)"
        last = df.iloc[-1]
        held, chose = (fmt(last[c]) for c in ("heldout_prob_real", "choosing_prob_real"))
        held0, chose0 = (fmt(last[c]) for c in ("heldout_prob_real_base", "choosing_prob_real_base"))
    except (InputError, KeyError) as e:  # the summary never fails a run: the problem shows on its line
        return f"Generator rounds:  unreadable: {e}"
    return (f"Generator rounds:  {len(df)} round(s), {int(acc.sum())} accepted; newest accepted: {newest}; last "
            f"round held-out judge {held0} -> {held}, choosing judge {chose0} -> {chose}")
