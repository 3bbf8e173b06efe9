"""The first screen's scorecard reads the same files as the stages' parts, however the Drive root was given: `make demo`
passes a relative `--drive drive`."""

from __future__ import annotations

from helpers import drive as drv
from helpers import files
from helpers.report.scorecard import measures


def test_selection_lift_is_read_under_a_relative_drive_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lift = {"prob_real": 0.125, "expected_score": -0.25}
    files.write_json({"lift": {"selected_vs_candidates": lift}},
                     tmp_path / "drive" / drv.QUALITY_METRICS.format(date="2026-12-01"))
    rows = {m.name: m.value for m in measures("drive")}  # relative, as `python -m helpers demo --drive drive`
    assert rows["Selection lift, realism (06)"] == "+0.125"
    assert rows["Selection lift, expected score (06)"] == "-0.25"
