"""Stage 04 in the report: its section (the upvote classifier against reply length), card line and scorecard row."""

from __future__ import annotations

from pathlib import Path

from .. import drive as drv
from .html_parts import details, figures, img_tag, json_object, json_or_none, kv_table, metric_line, not_run
from .html_parts import section as html_section
from .measure import Measure, num


def section(root: Path) -> str:
    """04: does the upvote classifier rank replies better than reply length does."""
    m = json_or_none(Path(root, drv.UPVOTE_METRICS))
    title = "04 · BERT upvote classifier"
    if not m:
        return html_section("upvote", title, not_run(title))
    pw = m.get("pairwise") or {}
    ref = pw.get("dialogrpt_reference") or {}
    body = figures([
        ("pairwise accuracy", pw.get("model_accuracy"),
         f"of two replies to one comment, picks the higher-scored one ({pw.get('pairs', '?')} pairs)"),
        ("length baseline", pw.get("length_baseline_accuracy"), "the same, picking the longer reply: to beat"),
        ("macro AUC", m.get("macro_auc"), "mean of the 4 score bins' one-vs-rest AUC; the seed showed only a curve"),
        ("accuracy", m.get("accuracy"), "exact score bin, of 4"),
    ], "upvote-figures")
    if ref:
        body += (f'<p class="muted">For scale: DialogRPT\'s updown model reaches {ref.get("updown_model")} pairwise '
                 f'accuracy against a length baseline of {ref.get("length_baseline")} on Reddit.</p>')
    body += img_tag(Path(root, drv.UPVOTE_ROC), "upvote_roc.png") + img_tag(Path(root, drv.UPVOTE_CONFUSION),
                                                                            "upvote_confusion.png")
    body += details("Raw metrics (upvote_metrics.json)", kv_table(m, "upvote-metrics"))
    return html_section("upvote", title, body)


def outcome(root: Path) -> str | None:
    return metric_line(root / drv.UPVOTE_METRICS,
                       "upvote classifier on {n} test rows: macro AUC {macro_auc}, accuracy {accuracy}")


def measures(root: Path) -> list[Measure]:
    pw = (json_object(root / drv.UPVOTE_METRICS) or {}).get("pairwise") or {}
    model, base = pw.get("model_accuracy"), pw.get("length_baseline_accuracy")
    return [Measure("Upvote pairwise accuracy (04)", f"{num(model)} vs length {num(base)}" if pw else "–",
                    "not measured",
                    "picks the higher-scored of two replies to a comment; must beat picking the longer one")]
