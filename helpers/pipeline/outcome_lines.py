"""One console line per stage, read from the summary file the stage wrote, so a command-line or papermill user sees
"1 of 3 rows dropped" without opening a file. A stage whose summary is absent or unreadable gets no line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .. import drive as drv
from ..drive import FETCH_SUMMARY, latest
from ..errors import InputError
from ..report_html import json_object
from ..words import counts
from . import generator_rounds_report


def _fmt(x: Any, digits: int = 3) -> str:
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


# Stages whose line shows fields of one JSON metrics file: {field} is the field's value (floats to 3 digits, a dict of
# counts as "name n, ...", a missing field as None).
METRIC_LINES: dict[str, tuple[str, str]] = {
    "03": (drv.REALISM_METRICS, "realism classifier on {n} test rows: AUC {auc}, accuracy {accuracy}"),
    "04": (drv.UPVOTE_METRICS, "upvote classifier on {n} test rows: macro AUC {macro_auc}, accuracy {accuracy}"),
    "07": (drv.OUTCOME_METRICS, "{replies} posted replies checked: {upvoted} upvoted, {removed_or_deleted} removed or "
                                "deleted"),
}


def metric_line(root: Path, name: str, template: str) -> str | None:
    m = json_object(root / name)
    if m is None:
        return None
    fields = {k: counts(m.get(k)) if isinstance(m.get(k), dict) else _fmt(m.get(k))
              for k in re.findall(r"\{(\w+)\}", template)}
    states = m.get("states") if name == drv.OUTCOME_METRICS else None  # 07: where the replies are now, when known
    return template.format(**fields) + (f"; now {counts(states)}" if isinstance(states, dict) and states else "")


def line_00(root: Path) -> str | None:
    s = json_object(root / drv.DATA_SUMMARY)
    if s is None:
        return None
    extra = s.get("source_stats", {})
    requests = f", {extra['requests']} requests" if "requests" in extra else ""
    return (f"source {s.get('source')}: {s.get('rows_in')} rows in, {s.get('rows_out')} kept, "
            f"{s.get('dropped_total')} dropped ({counts(s.get('dropped'))}), {s.get('truncated', 0)} truncated"
            f"{requests}")


def line_01(root: Path) -> str | None:
    m = json_object(root / drv.GPT2_METRICS)
    if m is None:
        return None
    return (f"GPT-2 steps {m.get('steps_before')} -> {m.get('steps_after')}, validation loss "
            f"{_fmt(m.get('validation_loss_before'))} -> {_fmt(m.get('validation_loss_after'))}")


def line_02(root: Path) -> str | None:
    chunks = sorted(root.glob(drv.BERT_GAN_FAKE_GLOB))
    if not chunks:
        return None
    sig = json_object(root / drv.BERT_GAN_FAKE_SIGNATURE) or {}
    return f"{len(chunks)} fake chunk file(s) from checkpoint {sig.get('checkpoint', '?')}"


def line_05(root: Path) -> str | None:
    s = json_object(latest(root, FETCH_SUMMARY))
    if s is None:
        return None
    return (f"{s.get('posts_seen')} posts seen, {s.get('comments_kept')} comments kept, dropped "
            f"{counts(s.get('dropped'))}; {s.get('candidates', '?')} candidate replies")


def line_06(root: Path) -> str | None:
    path = latest(root, drv.WOULD_POST)
    if path is None:
        return None
    try:
        status = pd.read_csv(path, usecols=["status"], keep_default_na=False)["status"]
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    return f"{len(status)} review row(s) in {path.name}: {counts(status.value_counts().to_dict())}"


def line_08(root: Path) -> str | None:
    m = json_object(root / drv.ADVERSARIAL_JSON)
    rounds = (m or {}).get("rounds")
    if not rounds:
        return None
    last = rounds[-1]
    return (f"{len(rounds)} adversarial round(s); last: AUC on its fresh fakes {_fmt(last.get('auc_newest_before'))} "
            f"-> {_fmt(last.get('auc_newest_after'))}, fooled {_fmt(last.get('fooled_before'))} -> "
            f"{_fmt(last.get('fooled_after'))}")


def line_09(root: Path) -> str | None:
    """09's card: the last round's verdict and why first; None before the first round or when the table is
    unreadable (the report's section says why)."""
    try:
        return generator_rounds_report.card_line(root)
    except (InputError, KeyError, IndexError):
        return None


LINES: dict[str, Callable[[Path], str | None]] = {
    "00": line_00, "01": line_01, "02": line_02, "05": line_05, "06": line_06, "08": line_08, "09": line_09}


def outcome_line(stage: str, drive_root: str | Path) -> str | None:
    """The stage's one-line outcome, or None when it wrote no summary this line can read."""
    if stage in METRIC_LINES:
        return metric_line(Path(drive_root), *METRIC_LINES[stage])
    fn = LINES.get(stage)
    return fn(Path(drive_root)) if fn else None
