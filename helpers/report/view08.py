"""Stage 08 in the report: its section (the adversarial rounds) and its card's line."""

from __future__ import annotations

from pathlib import Path

from .. import drive as drv
from .html_parts import details, df_table, figures, img_tag, json_object, not_run, read_table
from .html_parts import section as html_section


def _fmt(x, digits: int = 3) -> str:
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def section(root: Path) -> str:
    """08: does the realism classifier keep up with fresh fakes, round by round."""
    title = "08 · Adversarial refresh rounds"
    table = Path(root, drv.ADVERSARIAL_ROUNDS)
    if not table.exists():
        return html_section("adversarial", title, not_run("Stage 08"))
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
    return html_section("adversarial", title, body + details("Raw rounds table", df_table(df, "adversarial-rounds")))


def outcome(root: Path) -> str | None:
    m = json_object(root / drv.ADVERSARIAL_JSON)
    rounds = (m or {}).get("rounds")
    if not rounds:
        return None
    last = rounds[-1]
    return (f"{len(rounds)} adversarial round(s); last: AUC on its fresh fakes {_fmt(last.get('auc_newest_before'))} "
            f"-> {_fmt(last.get('auc_newest_after'))}, fooled {_fmt(last.get('fooled_before'))} -> "
            f"{_fmt(last.get('fooled_after'))}")
