"""Every stage's view in the report, in one list: its section(s) in report.html, its card's outcome line (the stage
strip, the runner's console), its rows on the first screen's scorecard and its lines in the run summary. A stage's view
is helpers/report/viewNN.py; a new part of the report is one more entry here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import (
    live_trouble,
    quality_report,
    view00,
    view01,
    view02,
    view03,
    view04,
    view05,
    view06,
    view07,
    view08,
    view09,
)
from .measure import Measure

Builder = Callable[[Path], str]


@dataclass(frozen=True)
class View:
    key: str
    sections: tuple[Builder, ...]  # each takes the Drive root and returns HTML ("" for nothing to say)
    outcome: Callable[[Path], str | None]  # the card's line; None when the stage left no summary to read
    measures: Callable[[Path], list[Measure]] | None = None  # its scorecard rows next to the seed
    summary: Callable[[Path], list[str]] | None = None  # its lines in the run summary


VIEWS: list[View] = [
    View("00", (view00.section,), view00.outcome),
    View("01", (view01.section,), view01.outcome),
    View("02", (view02.section,), view02.outcome),
    View("03", (view03.section,), view03.outcome, view03.measures),
    View("04", (view04.section,), view04.outcome, view04.measures),
    View("05", (view05.section, live_trouble.preflight_section), view05.outcome),  # preflight: what 05-07 may do where
    View("06", (view06.section, quality_report.report_section), view06.outcome, view06.measures,
         quality_report.summary_lines),  # quality: 02's fakes, 06's candidates vs selected, evaluate
    View("07", (view07.section,), view07.outcome, view07.measures),
    View("08", (view08.section,), view08.outcome),
    View("09", (view09.section,), view09.outcome, summary=view09.summary),
]
