"""Offline evaluation: N test-split comments, candidates from the tiny GPT-2, 06's selection, quality vs real."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers import drive as drv
from helpers.__main__ import main
from helpers.pipeline import evaluate


def test_picks_test_split_comments_and_falls_back_to_validation():
    gen = pd.DataFrame({"comment": list("abcdef"), "comment_id": list("123456"), "thread_id": "t", "subreddit": "s",
                        "split": ["train", "test", "test", "validation", "test", "train"]})
    got = evaluate.pick_test_comments(gen, 2, seed=1)
    assert len(got) == 2 and set(got["comment"]) <= {"b", "c", "e"}
    assert list(evaluate.pick_test_comments(gen, 10)["comment"]) == ["b", "c", "e"]
    no_test = gen[gen["split"] != "test"]
    assert list(evaluate.pick_test_comments(no_test, 5)["comment"]) == ["d"]


def test_cli_says_what_is_missing(tmp_path, capsys):
    assert main(["evaluate", "--drive", str(tmp_path), "--n", "3"]) == 2
    assert "gpt2_generate.csv" in capsys.readouterr().err
    assert main(["evaluate", "--drive", str(tmp_path), "--n", "0"]) == 2
    assert "--n" in capsys.readouterr().err


@pytest.mark.slow
def test_evaluate_on_the_tiny_models(pipeline, capsys):
    root = pipeline.upto("04")
    assert main(["evaluate", "--drive", str(root), "--n", "4", "--n-candidates", "3", "--length", "24",
                 "--min-prob-real", "0", "--run-date", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "selected vs candidates" in out and "distinct_2" in out
    m = json.loads((root / drv.EVALUATE_QUALITY.format(date="2026-11-22")).read_text())
    assert m["comments"] == 4 and m["groups"]["candidates"]["n"] <= 12
    assert 1 <= m["groups"]["selected"]["n"] <= 4 and m["groups"]["real"]["n"] >= 4
    assert set(m["lift"]) == {"selected_vs_candidates", "selected_vs_real"}
    assert m["lift"]["selected_vs_candidates"]["expected_score"] is not None
