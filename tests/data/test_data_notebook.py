"""Notebook 00 run by papermill on the bundled sample into the session's Drive root (shared with later stages)."""

import json

import pytest

from helpers import drive as drv
from helpers import files
from helpers.schema import FINETUNE_COLUMNS, GENERATE_COLUMNS, REAL_COLUMNS


@pytest.mark.slow
def test_notebook_00_writes_the_contract_files(pipeline):
    root = pipeline.upto("00")
    ft = files.read_csv(root / drv.GPT2_FINETUNE, required=FINETUNE_COLUMNS)
    gen = files.read_csv(root / drv.GPT2_GENERATE, required=GENERATE_COLUMNS)
    real = files.read_csv(root / drv.BERT_GAN_REAL, required=REAL_COLUMNS)
    assert list(ft.columns) == FINETUNE_COLUMNS and list(gen.columns) == GENERATE_COLUMNS
    assert list(real.columns) == REAL_COLUMNS
    assert len(ft) == len(real) >= 500 and ft["text"].str.contains(" [SEP] ", regex=False).all()
    assert set(real["rating"]) == {0, 1, 2, 3} and (real["real"] == 1).all()
    assert real["reply_score"].dtype.kind == "i" and real["comment_score"].dtype.kind == "i"
    assert gen["comment_id"].is_unique and set(gen["comment_id"]) == set(real["comment_id"])
    splits = real.groupby("thread_id")["split"].nunique()
    assert (splits == 1).all() and set(real["split"]) == {"train", "validation", "test"}
    summary = json.loads((root / drv.DATA_SUMMARY).read_text())
    assert summary["rows_in"] == summary["rows_out"] + summary["dropped_total"]
    nb = json.loads((root / drv.EXECUTED_DIR / "00_pull_reddit_data.ipynb").read_text())
    printed = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    assert "rows out:" in printed and "bot_author" in printed
    assert not any(o.get("output_type") == "error" for c in nb["cells"] for o in c.get("outputs", []))
