"""One console line per stage, read from the summary file the stage wrote, so a command-line or papermill user sees
"1 of 3 rows dropped" without opening a file. A stage whose summary is absent or unreadable gets no line. Each
stage's line is its view's (helpers/report/viewNN.py, listed in views.py)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .views import VIEWS


def outcome_line(stage: str, drive_root: str | Path) -> str | None:
    """The stage's one-line outcome, or None when it wrote no summary this line can read."""
    view = next((v for v in VIEWS if v.key == stage), None)
    if view is None:
        return None
    try:
        return view.outcome(Path(drive_root))
    except (InputError, KeyError, IndexError):  # the report's section says why
        return None
