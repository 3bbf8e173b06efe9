"""The report's "Generator rounds" section and the run summary's line, from a rounds table on Drive."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers import drive as drv
from helpers.files import write_csv
from helpers.generator.lineage import ROUND_COLUMNS
from helpers.report import report, run_summary
from helpers.report import view09 as grr


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
    assert "has not run" in grr.section(tmp_path)
    table(tmp_path)
    html = grr.section(tmp_path)
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


def test_the_card_says_first_whether_the_last_round_was_rejected_and_why(tmp_path):
    from helpers.report.outcome_lines import outcome_line

    table(tmp_path)
    line = outcome_line("09", tmp_path)
    assert line.startswith("round 2 rejected: held-out judge did not improve (0.1500 -> 0.1400, needs > +0)"), line
    assert "1 of 2 round(s) accepted" in line and "run1_g1" in line


def test_the_table_says_rejected_and_why_in_its_first_columns(tmp_path):
    from bs4 import BeautifulSoup

    table(tmp_path)
    rows = BeautifulSoup(grr.section(tmp_path), "html.parser").find(id="generator-rounds-table").find_all("tr")
    head = [th.get_text() for th in rows[0].find_all("th")]
    assert head[:3] == ["round", "verdict", "reason"], head
    cells = [[td.get_text() for td in tr.find_all("td")][:3] for tr in rows[1:]]
    assert cells == [["1", "accepted", ""], ["2", "rejected", "held-out judge did not improve (0.1500 -> 0.1400, "
                                                              "needs > +0)"]]
    assert "#generator-rounds-table{display:block;overflow-x:auto" in report.CSS  # scrolls inside the page


def test_a_bad_accepted_cell_is_named_in_the_report_as_09_and_05_refuse_it(tmp_path):
    """One reader of the rounds table (helpers.generator.lineage): a cell 05 and 09 refuse is not counted as a
    rejection by the report."""
    from helpers.errors import InputError
    from helpers.generator.lineage import done_rounds

    table(tmp_path)
    df = pd.read_csv(tmp_path / drv.GENERATOR_ROUNDS, dtype={"accepted": str})
    df.loc[1, "accepted"] = "maybe"
    df.to_csv(tmp_path / drv.GENERATOR_ROUNDS, index=False)
    with __import__("pytest").raises(InputError, match="row 2"):
        done_rounds(tmp_path)
    assert "unreadable" in grr.summary_line(tmp_path) and "row 2" in grr.summary_line(tmp_path)
    assert "generator_rounds.csv" in report.build_report(tmp_path).read_text().split('id="warnings"')[1]


def test_bert_gold_aucs_are_shown_beside_the_tfidf_ones_only_when_the_bert_judge_ran(tmp_path):
    table(tmp_path)
    assert "gold_auc_placebo" in grr.section(tmp_path) and "gold_bert_auc" not in grr.section(tmp_path)
    df = pd.read_csv(tmp_path / drv.GENERATOR_ROUNDS).assign(gold_bert_auc=[0.61, 0.73], gold_bert_auc_base=0.8)
    write_csv(df, tmp_path / drv.GENERATOR_ROUNDS)
    html = grr.section(tmp_path)
    assert "gold_bert_auc_base" in html and "0.73" in html and html.index("gold_auc") < html.index("gold_bert_auc")
