"""A report reads each stage's status once: the strip, the stage parts and the scorecard's "an earlier run's" notes
share one reading (before, each asked again, so three readings of a Drive a stage was writing could disagree)."""

from __future__ import annotations

from collections import Counter

from helpers.contract import STAGES
from helpers.report import report, stage_status


def test_each_stage_status_is_read_once_per_report(tmp_path, monkeypatch):
    seen: Counter = Counter()
    real = stage_status.stage_status

    def counted(root, key):
        seen[key] += 1
        return real(root, key)

    monkeypatch.setattr(stage_status, "stage_status", counted)
    report.build_report(tmp_path)
    assert seen == Counter(dict.fromkeys(STAGES, 1)), seen
