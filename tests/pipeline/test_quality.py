"""Quality metrics on small hand-made sets whose values are worked out by hand, and the selection lift."""

import json

import pandas as pd
import pytest

from helpers import files
from helpers import quality as q
from helpers.report import run_summary


def test_distinct_and_repetition_known_values():
    texts = ["A b c a b c.", "a, B!"]
    # unigrams: 8, distinct {a, b, c}; bigrams: ab bc ca ab bc | ab -> 6, distinct 3
    assert q.distinct_n(texts, 1) == pytest.approx(3 / 8)
    assert q.distinct_n(texts, 2) == pytest.approx(3 / 6)
    # trigrams: abc bca cab abc (one repeat) | none -> 1 / 4
    assert q.repeated_trigram_rate(texts) == pytest.approx(1 / 4)
    assert q.repeated_trigram_rate(["a b c", "a b c"]) == 0.0  # the same reply twice is not a loop within a reply
    assert q.distinct_n(["a b c", "a b c"], 1) == pytest.approx(3 / 6)  # ... but it is bland across replies
    assert q.distinct_n([], 1) is None and q.repeated_trigram_rate(["a b"]) is None


def test_quality_metrics_known_values():
    df = pd.DataFrame({"reply": ["a b c a b c", "a b", "", "x"],
                       "comment": ["A b c a b c!", "x y z", "q", "y"],
                       "title": ["", "", "", "X"],
                       "prob_real": [0.2, 0.4, 0.9, 0.6], "expected_score": [1.0, 2.0, 3.0, 0.0]})
    m = q.quality_metrics(df)
    assert m["n"] == 3  # the empty reply is left out, and so are its scores
    assert m["length_mean"] == pytest.approx(3.0)  # 6, 2, 1 words
    assert m["length_std"] == pytest.approx(((3 ** 2 + 1 + 2 ** 2) / 3) ** 0.5)
    assert m["parrot_rate"] == pytest.approx(2 / 3)  # copy of the comment; "x" copies its title
    assert m["prob_real"] == pytest.approx(0.4) and m["expected_score"] == pytest.approx(1.0)
    assert m["distinct_1"] == pytest.approx(4 / 9)


def test_selection_lift_and_table(tmp_path):
    cand = {"distinct_2": 0.5, "prob_real": 0.4, "parrot_rate": 0.2, "expected_score": 1.0}
    sel = {"distinct_2": 0.8, "prob_real": 0.9, "parrot_rate": 0.0, "expected_score": 1.5}
    real = {"distinct_2": 0.9, "prob_real": 0.95, "parrot_rate": 0.0, "expected_score": None}
    s = q.quality_summary({"real": real, "candidates": cand, "selected": sel}, date="2026-11-22")
    assert s["lift"]["selected_vs_candidates"]["distinct_2"] == pytest.approx(0.3)
    assert s["lift"]["selected_vs_candidates"]["parrot_rate"] == pytest.approx(-0.2)
    assert s["lift"]["selected_vs_real"]["prob_real"] == pytest.approx(-0.05)
    assert s["lift"]["selected_vs_real"]["expected_score"] is None
    json.dumps(s)  # what 06 writes
    table = q.quality_table(s)
    assert list(table.columns) == ["candidates", "selected", "real", "lift selected vs candidates",
                                   "lift selected vs real"]
    assert table.loc["prob_real", "lift selected vs candidates"] == pytest.approx(0.5)
    assert q.summary_line(s).startswith("chosen replies minus all candidates: realism +0.5")
    assert "_" not in q.summary_line(s)  # words, not the file's identifiers
    assert q.summary_line(q.quality_summary({"candidates": cand}), "fakes").startswith("nothing to compare")
    assert q.summary_line(q.quality_summary({"candidates": cand, "real": cand}), "fakes").startswith(
        "fakes minus real replies: realism +0")


def test_real_replies_take_one_split_sampled():
    real = pd.DataFrame({"reply": [f"r{i}" for i in range(10)], "split": ["test"] * 6 + ["train"] * 4})
    assert len(q.real_replies(real)) == 6
    got = q.real_replies(real, max_rows=3, seed=1)
    assert len(got) == 3 and set(got["reply"]) <= {f"r{i}" for i in range(6)}


def test_report_has_a_quality_section_and_the_summary_a_quality_line(tmp_path):
    from bs4 import BeautifulSoup

    from helpers.report import report

    cand = q.quality_metrics(pd.DataFrame({"reply": ["ok ok ok", "nice one"], "comment": "c", "prob_real": [0.2, 0.6]}))
    sel = q.quality_metrics(pd.DataFrame({"reply": ["nice one"], "comment": "c", "prob_real": [0.6]}))
    s = q.quality_summary({"candidates": cand, "selected": sel}, rejected={"parrot": 1})
    files.write_json(s, tmp_path / q.quality_path("2026-11-22"))
    files.write_json(q.quality_summary({"candidates": cand}), tmp_path / q.fakes_path())
    files.write_csv(pd.DataFrame({"comment_id": ["c1", "c1"], "proposed_reply": ["ok ok ok", "nice one"],
                                "rejected": ["parrot", ""]}), tmp_path / "live/reply_score_predictions_2026-11-22.csv")
    soup = BeautifulSoup(report.build_report(tmp_path).read_text(), "html.parser")
    sec = soup.find("section", id="quality")
    table = sec.find("table", id="quality-06-table")
    rows = {tr.find_all("td")[0].text: [td.text for td in tr.find_all("td")[1:]] for tr in table.find_all("tr")[1:]}
    assert rows["prob_real"] == ["0.4", "0.6", "0.2"]  # candidates, selected, lift
    assert sec.find("img", attrs={"data-file": "quality-06.png"})["src"].startswith("data:image/png;base64,")
    assert soup.find("section", id="fakes").find("table", id="quality-fakes-table") is not None  # in 02's part
    reasons = sec.find("table", id="quality-rejections")
    assert [td.text for td in reasons.find_all("td")] == ["parrot", "1"]
    assert "ok ok ok" in sec.find("table", id="quality-rejected-candidates").text
    text = run_summary.summary_text(tmp_path)
    assert "Quality: chosen replies minus all candidates: realism +0.2" in text and "rejected: parrot 1" in text
    assert "selection lift" not in soup.find("section", id="fakes").text  # 02 selects nothing: no "no selection lift"
    assert "nothing to compare" in soup.find("section", id="fakes").text
    assert "prob_real +" not in sec.text and "chosen replies minus" not in sec.text  # the figures above say it


def test_distinct_at_a_matched_size():
    assert q.distinct_n_at(["a a", "a a", "a a"], 1, 2) == pytest.approx(1 / 4)
    assert q.distinct_n_at(["a b", "c d", "e f", "g h"], 2, 2) == pytest.approx(1.0)
    assert q.distinct_n_at(["a b", "a b"], 1, 2) == pytest.approx(2 / 4)  # the whole set
    assert q.distinct_n_at(["a b"], 1, 2) is None and q.distinct_n_at(["a b"], 1, 0) is None
    # 8 copies of one reply and 2 distinct ones: 2 drawn replies are unlike the whole set's 4/20 on average
    texts = ["x y"] * 8 + ["p q", "r s"]
    assert q.distinct_n(texts, 1) == pytest.approx(6 / 20)
    assert 0.5 < q.distinct_n_at(texts, 1, 2, draws=200) < 0.8  # exact expectation: 0.5 + 0.5 * P(>= 1 other) = 0.69
    m = q.quality_metrics(pd.DataFrame({"reply": ["a b", "c d", "e f"], "comment": "z"}), matched_size=2)
    assert m["distinct_1_matched"] == pytest.approx(1.0) and m["distinct_1"] == pytest.approx(1.0)
