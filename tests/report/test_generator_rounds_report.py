"""The report's "Generator rounds" section and the run summary's line, from a rounds table on Drive."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers import drive as drv
from helpers.files import write_csv
from helpers.pipeline import generator_rounds_report as grr
from helpers.pipeline import report, run_summary
from helpers.rounds.rounds_table import ROUND_COLUMNS


def table(root: Path) -> None:
    rows = [{"round": 1, "run_name": "run1_g1", "base": "run1", "accepted": True, "reason": "",
             "heldout_judge": "bert_realism", "choosing_prob_real_base": 0.2, "choosing_prob_real": 0.4,
             "heldout_prob_real_base": 0.1, "heldout_prob_real": 0.15, "distinct_2_base": 0.9, "distinct_2": 0.88,
             "test_loss_base": 3.5, "test_loss": 3.51},
            {"round": 2, "run_name": "run1_g2", "base": "run1_g1", "accepted": False,
             "reason": "held-out judge did not improve (0.1500 -> 0.1400, needs > +0)", "heldout_judge": "bert_realism",
             "choosing_prob_real_base": 0.4, "choosing_prob_real": 0.6, "heldout_prob_real_base": 0.15,
             "heldout_prob_real": 0.14, "distinct_2_base": 0.88, "distinct_2": 0.8, "test_loss_base": 3.51,
             "test_loss": 3.52}]
    write_csv(pd.DataFrame(rows).reindex(columns=ROUND_COLUMNS), root / drv.GENERATOR_ROUNDS)


def test_section_shows_every_round_and_the_plot(tmp_path):
    assert "has not run" in grr.report_section(tmp_path)
    table(tmp_path)
    html = grr.report_section(tmp_path)
    assert "run1_g1" in html and "run1_g2" in html and "held-out judge did not improve" in html
    assert "data:image/png;base64" in html and (tmp_path / drv.GENERATOR_ROUNDS_PNG).exists()
    assert 'id="generator-rounds"' in report.build_report(tmp_path).read_text()


def test_summary_line_names_the_newest_accepted_generator(tmp_path):
    assert grr.summary_line(tmp_path) == "Generator rounds:  not run"
    table(tmp_path)
    line = grr.summary_line(tmp_path)
    assert "2 round(s), 1 accepted; newest accepted: run1_g1" in line and "0.15 -> 0.14" in line
    assert line in run_summary.summary_text(tmp_path)
    (tmp_path / drv.GENERATOR_ROUNDS).write_text("round,run_name\n1,run1_g1\n")
    assert "unreadable" in grr.summary_line(tmp_path)
