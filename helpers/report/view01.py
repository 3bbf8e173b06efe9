"""Stage 01 in the report: its section (validation loss before and after fine-tuning) and its card's line."""

from __future__ import annotations

from pathlib import Path

from .. import drive as drv
from .html_parts import details, figures, img_tag, json_object, json_or_none, kv_table, not_run
from .html_parts import section as html_section


def _fmt(x, digits: int = 3) -> str:
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def section(root: Path) -> str:
    """01: did fine-tuning teach GPT-2 the subreddits' replies (validation loss before and after)."""
    m = json_or_none(Path(root, drv.GPT2_METRICS))
    title = "01 · GPT-2 fine-tuning"
    if not m:
        return html_section("gpt2", title, not_run("Stage 01") + img_tag(Path(root, drv.GPT2_LOSS_PNG), "loss"))
    body = figures([
        ("validation loss before", m.get("validation_loss_before"), "on held-out replies, before fine-tuning"),
        ("validation loss after", m.get("validation_loss_after"), "lower: real replies look likelier to GPT-2"),
        ("training steps", m.get("steps_after"), f"base model {m.get('base_model', '?')}"),
    ], "gpt2-figures")
    body += img_tag(Path(root, drv.GPT2_LOSS_PNG), "GPT-2 training loss curve")
    body += details("Raw metrics (gpt2_finetune.json)", kv_table(m, "gpt2-metrics"))
    return html_section("gpt2", title, body)


def outcome(root: Path) -> str | None:
    m = json_object(root / drv.GPT2_METRICS)
    if m is None:
        return None
    return (f"GPT-2 steps {m.get('steps_before')} -> {m.get('steps_after')}, validation loss "
            f"{_fmt(m.get('validation_loss_before'))} -> {_fmt(m.get('validation_loss_after'))}")
