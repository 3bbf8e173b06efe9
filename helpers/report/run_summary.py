"""The text summary `demo` and `report` print at the end of a run: rows per stage, training metrics, the selected
replies, where the report and the executed notebooks are. An unreadable file shows as such on its line, never as an
exception: this runs at the end of every `run`."""

from __future__ import annotations

from pathlib import Path

from .. import drive as drv
from ..drive import latest
from ..errors import InputError
from .html_parts import flatten, fmt, json_or_none, read_table
from .stage_status import stage_statuses
from .views import VIEWS


def _count_rows(paths: list[Path]) -> int | str:
    total = 0
    for p in paths:
        try:
            df = read_table(p)
        except InputError as e:
            return f"unreadable: {e}"
        total += 0 if df is None else len(df)
    return total


def _metrics_line(root: Path, rel: str, keys: tuple[str, ...]) -> str:
    stem = Path(rel).stem
    try:
        m = json_or_none(Path(root, rel))
    except InputError as e:
        return f"  {stem}: unreadable: {e}"
    if not m:
        return f"  {stem}: not run"
    flat = flatten(m)
    shown = {k: v for k, v in flat.items()
             if k.split(".")[-1] in keys and not isinstance(v, (list, dict)) and "history" not in k}
    return f"  {stem}: " + ", ".join(f"{k}={fmt(v)}" for k, v in shown.items())


def _selected_lines(root: Path) -> list[str]:
    try:
        review = read_table(latest(root, drv.REVIEW_SHEET))
    except InputError as e:
        return [f"  unreadable: {e}"]
    if review is None or review.empty:
        return ["  none (stage 06 has not run, or no candidate passed selection)"]
    reply_col = "proposed_reply" if "proposed_reply" in review.columns else "reply"
    lines = []
    for r in review.to_dict("records"):
        scores = ", ".join(f"{k}={fmt(r[k])}" for k in ("prob_real", "expected_score") if k in r)
        lines.append(f"  r/{r.get('subreddit', '?')} comment {r.get('comment_id', '?')}: "
                     f"{str(r.get(reply_col, ''))[:100]!r} ({scores}; approved={r.get('approved', '')})")
    return lines


def summary_text(root: str | Path) -> str:
    """What `make demo` prints at the end: rows per stage, training metrics, the selected replies, where things are.
    An unreadable file shows as such on its line."""
    root = Path(root)
    lines = ["", "=== Run summary " + "=" * 60]
    lines.append("Stages: " + ", ".join(f"{s.key} {s.status}" for s in stage_statuses(root)))
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
        lines.append(_metrics_line(root, rel, keys))
    lines.append("Selected replies:")
    lines += _selected_lines(root)
    lines += [line for v in VIEWS if v.summary for line in v.summary(root)]  # 06's quality, 09's rounds
    lines.append(f"Report:             {root / drv.REPORT_HTML}")
    lines.append(f"Executed notebooks: {root / drv.EXECUTED_DIR}")
    return "\n".join(lines)
