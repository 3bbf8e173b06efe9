"""Stage 09 in the report: its section (the per-round table and the plot of the held-out vs the choosing judge,
distinct-2 and test loss), its card's line and its run-summary line."""

from __future__ import annotations

from pathlib import Path

from .. import drive as drv
from ..errors import InputError
from ..generator.lineage import read_rounds
from ..rounds.rounds_table import rounds_png, verdict_line
from .html_parts import df_table, esc, fmt, img_tag, not_run
from .html_parts import section as html_section

# The verdict and its reason first: at 1,280 px the table's right half is off-screen.
SHOWN = ["round", "verdict", "reason", "run_name", "base", "gold_auc_base", "gold_auc", "gold_auc_placebo",
         "gold_gain_vs_base_lo", "gold_gain_vs_placebo_lo", "gold_gain_vs_noise", "gold_bert_auc_base",
         "gold_bert_auc", "gold_bert_auc_placebo", "gold_bert_gain_vs_base_lo", "gold_bert_gain_vs_placebo_lo",
         "gold_bert_gain_vs_noise",
         "eval_n", "eval_n_needed",
         "copy_share", "mean_words_base", "mean_words", "choosing_prob_real_base", "choosing_prob_real",
         "heldout_prob_real_base", "heldout_prob_real", "pass_share_base", "pass_share", "distinct_2_base",
         "distinct_2", "test_loss_base", "test_loss", "train_docs", "replay_share", "adv_auc_newest", "seconds"]


def section(root: str | Path) -> str:
    """The rounds table and its plot (redrawn when missing); "not run" before 09 ran."""
    root = Path(root)
    title = "Generator rounds (09)"
    if not Path(root, drv.GENERATOR_ROUNDS).exists():
        return html_section("generator-rounds", title, not_run("Stage 09"))
    df = read_rounds(root)  # an unreadable file or a bad cell: InputError, a warning in the report
    png = Path(root, drv.GENERATOR_ROUNDS_PNG)
    if not png.exists():
        rounds_png(df, png)
    note = (f"<p><b>{esc(verdict_line(df))}</b> Each round fine-tunes the newest accepted GPT-2 on its best "
            "candidates by the choosing judges (06's), real train pairs and approved replies, and a placebo on real "
            "pairs only. A round counts only when a <b>fresh judge</b> (trained from scratch against each generator's "
            "own samples) catches it less often than both its base and its placebo, the paired bootstrap CI's lower "
            "bound clear of gr_min_gain, on enough held-out comments, on every gold judge (gr_gold_judges: "
            "<code>gold_</code> TF-IDF, <code>gold_bert_</code> BERT from the base weights, shown when it "
            f"ran); the held-out judge ({esc(_judge(df))}) and "
            "the choosing judge are shown beside it. <code>_lo</code>: the CI's lower bound.</p>")
    old = df["accepted"].map({True: "accepted", False: "rejected"})
    shown = df.assign(verdict=df["verdict"].fillna(old) if "verdict" in df else old).reindex(columns=SHOWN)
    shown = shown.drop(columns=[c for c in shown if c.startswith("gold_bert_") and shown[c].isna().all()])
    shown["reason"] = shown["reason"].fillna("")
    return html_section("generator-rounds", title, note + df_table(shown, "generator-rounds-table") +
                   img_tag(png, "held-out vs choosing judge, distinct-2, test loss per round"))


def _judge(df) -> str:
    judges = df["heldout_judge"].dropna().astype(str).unique() if "heldout_judge" in df.columns else []
    return ", ".join(judges) or "?"


def outcome(root: str | Path) -> str | None:
    """09's card in the stage strip: the last round's verdict and its reason first (the card shows three lines), then
    how many rounds were accepted; None before the first round."""
    df = read_rounds(root)
    if df.empty:
        return None
    acc, last = df["accepted"], df.iloc[-1]
    reason = str(last.get("reason", "") or "").strip()
    said = last.get("verdict") if isinstance(last.get("verdict"), str) else "rejected"
    verdict = "accepted" if acc.iloc[-1] else said + (f": {reason}" if reason else "")
    newest = f" (newest {df.loc[acc, 'run_name'].iloc[-1]})" if acc.any() else ""
    return f"round {last['round']} {verdict}; {int(acc.sum())} of {len(df)} round(s) accepted{newest}"


def summary_line(root: str | Path) -> str:
    """One line for the run summary: rounds, accepted, the newest accepted generator, held-out judge before/after."""
    try:
        df = read_rounds(root)
        if df.empty:
            return "Generator rounds:  not run"
        acc = df["accepted"]
        newest = str(df.loc[acc, "run_name"].iloc[-1]) if acc.any() else "none (01's checkpoint stays in use)"
        last = df.iloc[-1]
        held, chose = (fmt(last[c]) for c in ("heldout_prob_real", "choosing_prob_real"))
        held0, chose0 = (fmt(last[c]) for c in ("heldout_prob_real_base", "choosing_prob_real_base"))
    except (InputError, KeyError) as e:  # the summary never fails a run: the problem shows on its line
        return f"Generator rounds:  unreadable: {e}"
    return (f"Generator rounds:  {len(df)} round(s), {int(acc.sum())} accepted; newest accepted: {newest}; last "
            f"round held-out judge {held0} -> {held}, choosing judge {chose0} -> {chose}. {verdict_line(df)}")


def summary(root: str | Path) -> list[str]:
    return [summary_line(root)]
