"""How good the models are, next to the seed's figures: one row per measure for the report's first screen.

Each row is read from the metrics file its stage wrote (03, 04, 06, 07); a stage that has not run gives "–". The seed
measured fewer things than this pipeline does: where it gave no figure, the row says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import drive as drv
from ..drive import latest
from ..report_html import esc, fmt, json_object
from ..seed_figures import SEED, seed_upvoted_share
from .stage_status import FAILED, UNFINISHED, stage_statuses


@dataclass
class Measure:
    name: str
    value: str  # this run's figure, formatted ("–" when its stage has not run)
    seed: str  # the seed's figure, or why there is none
    means: str  # what it says, in a phrase
    note: str = ""  # e.g. that the figure is an earlier run's

    @property
    def stage(self) -> str:
        """The stage that measured it: the name ends with "(NN)"."""
        return self.name.rsplit("(", 1)[-1].rstrip(")")


def mark_stale(rows: list[Measure], root: Path) -> list[Measure]:
    """A figure whose stage's last run failed or did not finish is an earlier run's: say so next to it."""
    stale = {s.key: s.status for s in stage_statuses(root) if s.status in (FAILED, UNFINISHED)}
    for m in rows:
        if m.stage in stale and not m.value.startswith("–"):
            m.note = f"an earlier run's: the last run {stale[m.stage]}"
    return rows


def _num(x, pct: bool = False) -> str:
    if x is None or not isinstance(x, (int, float)):
        return "–"
    return f"{x:.0%}" if pct else fmt(float(x))


def measures(root: str | Path) -> list[Measure]:
    root = Path(root)
    realism = json_object(root / drv.REALISM_METRICS) or {}
    upvote = json_object(root / drv.UPVOTE_METRICS) or {}
    pw = upvote.get("pairwise") or {}
    quality = json_object(latest(root, drv.QUALITY_METRICS)) or {}  # latest() gives the path under root already
    lift = (quality.get("lift") or {}).get("selected_vs_candidates") or {}
    outcome = json_object(root / drv.OUTCOME_METRICS) or {}
    model, base = pw.get("model_accuracy"), pw.get("length_baseline_accuracy")
    posted = outcome.get("replies")
    upvoted = (f"{_num(outcome.get('fraction_upvoted'), pct=True)} ({outcome.get('upvoted')} of {posted})"
               if posted else "– (nothing posted yet)")
    return [
        Measure("Realism AUC (03)", _num(realism.get("auc")), _num(SEED["realism_auc"]),
                "1 = every real reply ranked above every GPT-2 fake"),
        Measure("Realism accuracy (03)", _num(realism.get("accuracy")), _num(SEED["realism_accuracy"]),
                f"share classified right; the seed's test set was {SEED['realism_test_set']}"),
        Measure("Upvote pairwise accuracy (04)",
                f"{_num(model)} vs length {_num(base)}" if pw else "–", "not measured",
                "picks the higher-scored of two replies to a comment; must beat picking the longer one"),
        Measure("Selection lift, realism (06)", _signed(lift.get("prob_real")), "not measured",
                "mean prob_real of the chosen replies minus all candidates'"),
        Measure("Selection lift, expected score (06)", _signed(lift.get("expected_score")), "not measured",
                "mean predicted score of the chosen replies minus all candidates'"),
        Measure("Posted replies with an upvote (07)", upvoted,
                f"{seed_upvoted_share():.0%} ({SEED['posted_upvoted']} of {SEED['posted']})",
                "score ≥ 2: someone besides the bot voted it up"),
    ]


def _signed(x) -> str:
    return f"{x:+.3g}" if isinstance(x, (int, float)) else "–"


def scorecard_html(root: str | Path) -> str:
    rows = "".join(f'<tr><th>{esc(m.name)}</th><td class="num">{esc(m.value)}'
                   f'{"<br><span class=stale>" + esc(m.note) + "</span>" if m.note else ""}</td>'
                   f'<td class="num">{esc(m.seed)}</td><td class="means">{esc(m.means)}</td></tr>'
                   for m in mark_stale(measures(root), Path(root)))
    return ('<table id="scorecard-table"><tr><th>measure</th><th>this run</th><th>seed</th><th>what it says</th>'
            f"</tr>{rows}</table>")
