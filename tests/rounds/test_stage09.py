"""Stage 09 end to end on the tiny models (slow): notebook 09 under papermill on the smoke pipeline's Drive root, real
GPT-2 sampling and fine-tuning in their own processes, real BERT judges; the base checkpoint is never written, a
re-run with more rounds runs only the new one."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import drive as drv
from helpers.pipeline import runner

pytestmark = pytest.mark.slow


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def root(pipeline, tmp_path_factory) -> Path:
    """A copy of the smoke pipeline's root after 08 (08's refreshed classifier chooses, 03's is held out)."""
    src = pipeline.upto("08")
    dst = tmp_path_factory.mktemp("gr") / "drive"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("executed", "manifests"))
    return dst


def test_rounds_write_new_checkpoints_and_never_touch_the_base(pipeline, root):
    base = digest(root / drv.CHECKPOINT_DIR / "run1")
    params = pipeline.params | {"gr_rounds": 1, "gr_prompts": 4, "gr_eval_comments": 3, "gr_steps": 2}
    runner.run_stage("09", root, params)
    table = pd.read_csv(root / drv.GENERATOR_ROUNDS)
    assert table[["round", "run_name", "base"]].values.tolist() == [[1, "run1_g1", "run1"]]
    assert digest(root / drv.CHECKPOINT_DIR / "run1") == base
    if table["train_docs"].iloc[0] and table["candidate_docs"].iloc[0] + table["human_docs"].iloc[0]:
        assert (root / drv.CHECKPOINT_DIR / "run1_g1" / "counter").read_text().strip() == str(
            int((root / drv.CHECKPOINT_DIR / "run1" / "counter").read_text()) + 2)
        assert not pd.isna(table["heldout_prob_real"].iloc[0]) and not pd.isna(table["test_loss"].iloc[0])
    first = table.iloc[0].astype(str).tolist()
    runner.run_stage("09", root, params | {"gr_rounds": 2})
    table = pd.read_csv(root / drv.GENERATOR_ROUNDS)
    assert table["round"].tolist() == [1, 2] and table.iloc[0].astype(str).tolist() == first
    accepted = table["accepted"].astype(str).iloc[0] == "True"
    assert table["base"].iloc[1] == ("run1_g1" if accepted else "run1")
    assert digest(root / drv.CHECKPOINT_DIR / "run1") == base
