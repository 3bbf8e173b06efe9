"""Did every stage run? One row per contract stage, read from what a run leaves on the Drive root: the executed notebook
(papermill records start, end, duration and whether a cell raised), the stage's manifest (written only when it
finished), and, for a stage run by hand in Colab (no runner, so neither file), its outputs' one outcome line.

Status, and what it means to a person:
- ``ok``: it finished; its outcome line says what it made.
- ``failed``: its last run raised; the executed notebook shows the error.
- ``unfinished``: its last run started and did not finish (still running, or stopped).
- ``not run``: nothing on this Drive root says it ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .. import drive as drv
from ..contract import STAGES
from .html_parts import json_object
from .outcome_lines import outcome_line

OK, FAILED, UNFINISHED, NOT_RUN = "ok", "failed", "unfinished", "not run"


@dataclass
class StageStatus:
    """What the stage strip shows for one stage."""

    key: str
    title: str
    status: str
    when: str = ""  # "YYYY-MM-DD HH:MM UTC"
    seconds: float | None = None
    outcome: str = ""  # its one outcome line (helpers.report.outcome_lines), or the error of a failed run
    notebook: str = ""  # the executed notebook, relative to the Drive root ("" when there is none)


def _papermill(path: Path) -> dict | None:
    """The executed notebook's papermill metadata; None when it is missing or unreadable (written mid-run)."""
    nb = json_object(path)
    if nb is None:
        return None
    pm = nb.get("metadata", {}).get("papermill")
    return pm if isinstance(pm, dict) else {}


def _error_line(path: Path) -> str:
    """The first error a cell of the executed notebook shows ("" when none can be read)."""
    cells = (json_object(path) or {}).get("cells", [])
    for cell in cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                first = (str(out.get("evalue", "")).strip().splitlines() or [""])[0][:200]
                return f"{out.get('ename', 'Error')}: {first}"
    return ""


def _utc(stamp: str | float | None) -> str:
    if stamp in (None, ""):
        return ""
    if isinstance(stamp, (int, float)):
        t = datetime.fromtimestamp(stamp, timezone.utc)
    else:
        try:
            t = datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).astimezone(timezone.utc)
        except ValueError:
            return str(stamp)
    return t.strftime("%Y-%m-%d %H:%M UTC")


def _manifest(root: Path, key: str) -> tuple[dict | None, float | None]:
    path = Path(root, drv.MANIFEST_DIR, f"{key}.json")
    m = json_object(path)
    return (m, path.stat().st_mtime) if m is not None else (None, None)


def stage_status(root: str | Path, key: str) -> StageStatus:
    """One stage's row of the strip (see the module docstring for what each status means)."""
    root = Path(root)
    stage = STAGES[key]
    executed = Path(root, drv.EXECUTED_DIR, f"{stage.notebook}.ipynb")
    pm = _papermill(executed)
    manifest, manifest_mtime = _manifest(root, key)
    line = outcome_line(key, root) or ""
    row = StageStatus(key, stage.title, NOT_RUN, outcome=line)
    if pm is not None:
        row.notebook = executed.relative_to(root).as_posix()
    if pm and pm.get("exception"):
        row.status, row.when, row.seconds = FAILED, _utc(pm.get("end_time")), pm.get("duration")
        row.outcome = _error_line(executed) or "a cell raised: see the executed notebook"
    elif pm is not None and pm.get("start_time") and not pm.get("end_time"):
        row.status, row.when = UNFINISHED, _utc(pm.get("start_time"))
        row.outcome = "started, did not finish (still running, or stopped)"
    elif manifest is not None:
        row.status = OK
        row.when = _utc((pm or {}).get("end_time") or manifest.get("finished_at") or manifest_mtime)
        row.seconds = (pm or {}).get("duration") or manifest.get("wall_s")
    elif line:  # run by hand (Colab): no runner wrote a manifest, but its outputs are there
        row.status, row.outcome = OK, f"{line} (run outside `python -m helpers run`)"
    return row


def stage_statuses(root: str | Path) -> list[StageStatus]:
    """Every contract stage, in order."""
    return [stage_status(root, key) for key in STAGES]


def duration(seconds: float | None) -> str:
    """'42 s', '3 min 5 s', '1 h 2 min'; '' when unknown."""
    if seconds is None:
        return ""
    s = int(round(float(seconds)))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60} min"


def manifest_params(root: str | Path, key: str) -> dict:
    """The parameters the stage's last finished run used (its manifest), for the report's folded details."""
    manifest, _ = _manifest(Path(root), key)
    params = (manifest or {}).get("params", {})
    return {k: v for k, v in sorted(params.items()) if k not in ("drive_backend", "gdrive_folder")}
