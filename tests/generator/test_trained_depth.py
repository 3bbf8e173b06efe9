"""Issue 27: the thread-context depth travels with the data (data_summary.json) and the checkpoint (01's
context_depth.json); 05 and 02 say WARNING, naming both depths, when they prompt the generator at another depth
(allowed, the user's choice, never silent)."""

import json

import pandas as pd

from helpers import drive as drv
from helpers.contract import notebook_params
from helpers.files import write_csv
from helpers.generator import stage02
from helpers.generator.trained_depth import DEPTH_FILE, data_depth, record_depth, trained_depth
from helpers.live import stage05


def write(path, obj):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj), encoding="utf-8")


def test_the_depth_is_read_from_the_checkpoint_first_then_the_data(tmp_path):
    assert data_depth(tmp_path) is None and trained_depth(tmp_path, "run1") == (None, "")
    write(tmp_path / drv.DATA_SUMMARY, {"rows_out": 3})  # a depth-0 summary records none: the seed's lines
    assert data_depth(tmp_path) == 0 and trained_depth(tmp_path, "run1") == (0, drv.DATA_SUMMARY)
    write(tmp_path / drv.DATA_SUMMARY, {"rows_out": 3, "context_depth": 2})
    assert record_depth(tmp_path, "run1") == 2  # 01 after training
    assert json.loads((tmp_path / drv.CHECKPOINT_DIR / "run1" / DEPTH_FILE).read_text()) == {"context_depth": 2}
    write(tmp_path / drv.DATA_SUMMARY, {"rows_out": 3})  # 00 re-run at depth 0 later: the checkpoint still knows
    assert trained_depth(tmp_path, "run1") == (2, f"{drv.CHECKPOINT_DIR}/run1/{DEPTH_FILE}")


def start05(tmp_path, capsys, depth):
    stage05.start(notebook_params("05", {"drive_root": str(tmp_path), "drive_backend": "local",
                                         "context_depth": depth}))
    return [ln for ln in capsys.readouterr().out.splitlines() if "WARNING" in ln]


def test_05_warns_naming_both_depths_when_they_differ(tmp_path, capsys):
    assert start05(tmp_path, capsys, 0) == []  # nothing known: nothing to compare
    write(tmp_path / drv.DATA_SUMMARY, {"rows_out": 3, "context_depth": 1})
    (warning,) = start05(tmp_path, capsys, 0)
    assert "depth 0 (context_depth)" in warning and "trained with depth 1 (data_summary.json)" in warning
    assert start05(tmp_path, capsys, 1) == []
    write(tmp_path / drv.CHECKPOINT_DIR / "run1" / DEPTH_FILE, {"context_depth": 3})
    (warning,) = start05(tmp_path, capsys, 1)
    assert "depth 1" in warning and f"trained with depth 3 ({drv.CHECKPOINT_DIR}/run1/{DEPTH_FILE})" in warning


def test_02_warns_when_the_data_was_remade_at_another_depth_than_the_checkpoint_learned(tmp_path, capsys):
    write_csv(pd.DataFrame({"comment": ["a comment", "another one"], "comment_id": ["c1", "c2"],
                            "thread_id": ["t1", "t2"], "subreddit": "x", "split": "train"}),
              tmp_path / drv.GPT2_GENERATE)
    write(tmp_path / drv.DATA_SUMMARY, {"rows_out": 2})
    run = stage02.start(notebook_params("02", {"drive_root": str(tmp_path), "drive_backend": "local"}))
    stage02.comments(run)
    assert "WARNING" not in capsys.readouterr().out
    write(tmp_path / drv.CHECKPOINT_DIR / run.p.run_name / DEPTH_FILE, {"context_depth": 2})
    stage02.comments(run)
    (warning,) = [ln for ln in capsys.readouterr().out.splitlines() if "WARNING" in ln]
    assert "02 prompts with thread context depth 0" in warning and "trained with depth 2" in warning
