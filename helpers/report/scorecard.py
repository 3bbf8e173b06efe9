"""How good the models are, next to the seed's figures: one row per measure for the report's first screen.

Each row is read by its stage's view from the metrics file the stage wrote (03, 04, 06, 07); a stage that has not run
gives "–". The seed measured fewer things than this pipeline does: where it gave no figure, the row says so.
"""

from __future__ import annotations

from pathlib import Path

from .html_parts import esc
from .measure import Measure
from .stage_status import FAILED, UNFINISHED, StageStatus, stage_statuses
from .views import VIEWS


def mark_stale(rows: list[Measure], statuses: list[StageStatus]) -> list[Measure]:
    """A figure whose stage's last run failed or did not finish is an earlier run's: say so next to it."""
    stale = {s.key: s.status for s in statuses if s.status in (FAILED, UNFINISHED)}
    for m in rows:
        if m.stage in stale and not m.value.startswith("–"):
            m.note = f"an earlier run's: the last run {stale[m.stage]}"
    return rows


def measures(root: str | Path) -> list[Measure]:
    """Every stage's scorecard rows, in stage order (helpers/report/views.py)."""
    return [m for v in VIEWS if v.measures for m in v.measures(Path(root))]


def scorecard_html(root: str | Path, statuses: list[StageStatus] | None = None) -> str:
    """The measures next to the seed's; ``statuses``: the report's one reading of the stages (read here without)."""
    statuses = statuses if statuses is not None else stage_statuses(root)
    rows = "".join(f'<tr><th>{esc(m.name)}</th><td class="num">{esc(m.value)}'
                   f'{"<br><span class=stale>" + esc(m.note) + "</span>" if m.note else ""}</td>'
                   f'<td class="num">{esc(m.seed)}</td><td class="means">{esc(m.means)}</td></tr>'
                   for m in mark_stale(measures(root), statuses))
    return ('<table id="scorecard-table"><tr><th>measure</th><th>this run</th><th>seed</th><th>what it says</th>'
            f"</tr>{rows}</table>")
