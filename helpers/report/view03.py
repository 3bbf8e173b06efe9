"""Stage 03 in the report: its section (the realism classifier next to the seed), card line and scorecard rows."""

from __future__ import annotations

from pathlib import Path

from .. import drive as drv
from ..seed_figures import SEED
from .html_parts import details, figures, img_tag, json_object, json_or_none, kv_table, metric_line, not_run
from .html_parts import section as html_section
from .measure import Measure, num


def section(root: Path) -> str:
    """03: how well the realism classifier tells real replies from GPT-2 fakes, next to the seed's figures."""
    m = json_or_none(Path(root, drv.REALISM_METRICS))
    title = "03 · BERT realism classifier"
    if not m:
        return html_section("realism", title, not_run(title))
    body = figures([
        ("AUC", m.get("auc"), f"1 = always ranks a real reply above a fake (seed: {SEED['realism_auc']:.4f})"),
        ("accuracy", m.get("accuracy"), f"at threshold {m.get('threshold', 0.5)} (seed: "
                                        f"{SEED['realism_accuracy']:.4f}, on {SEED['realism_test_set']})"),
        ("test rows", m.get("n"), f"{m.get('positives', '?')} of them real"),
    ], "realism-figures")
    body += img_tag(Path(root, drv.REALISM_ROC), "realism_roc.png")
    body += details("Raw metrics (realism_metrics.json)", kv_table(m, "realism-metrics"))
    return html_section("realism", title, body)


def outcome(root: Path) -> str | None:
    return metric_line(root / drv.REALISM_METRICS,
                       "realism classifier on {n} test rows: AUC {auc}, accuracy {accuracy}")


def measures(root: Path) -> list[Measure]:
    realism = json_object(root / drv.REALISM_METRICS) or {}
    return [Measure("Realism AUC (03)", num(realism.get("auc")), num(SEED["realism_auc"]),
                    "1 = every real reply ranked above every GPT-2 fake"),
            Measure("Realism accuracy (03)", num(realism.get("accuracy")), num(SEED["realism_accuracy"]),
                    f"share classified right; the seed's test set was {SEED['realism_test_set']}")]
