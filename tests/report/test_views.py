"""Every stage has one view (helpers/report/viewNN.py) listed once in helpers/report/views.py, and the report's
sections, the cards' lines, the scorecard and the run summary all come from that one list."""

from __future__ import annotations

from helpers.contract import STAGES
from helpers.report import outcome_lines, report, scorecard, views


def test_one_view_per_stage_in_stage_order():
    assert [v.key for v in views.VIEWS] == list(STAGES)
    for v in views.VIEWS:
        assert v.sections and all(fn.__module__.startswith("helpers.report.") for fn in v.sections)


def test_the_report_the_cards_and_the_scorecard_read_the_list(tmp_path):
    assert report.SECTIONS == [(v.key, fn) for v in views.VIEWS for fn in v.sections]
    first = views.VIEWS[0]
    views.VIEWS[0] = views.View(first.key, first.sections, lambda root: "read from the list",
                                lambda root: [scorecard.Measure("Listed (00)", "1", "–", "x")])
    try:
        assert outcome_lines.outcome_line("00", tmp_path) == "read from the list"
        assert [m.name for m in scorecard.measures(tmp_path)][0] == "Listed (00)"
    finally:
        views.VIEWS[0] = first
