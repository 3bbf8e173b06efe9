"""Notebooks 01 and 02 under papermill on the bundled sample (through 00), with the smoke parameters."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers import drive as drv
from helpers import files

pytestmark = pytest.mark.slow


def test_01_finetunes_and_reports_losses(pipeline):
    root = pipeline.upto("01")
    m = json.loads((root / drv.GPT2_METRICS).read_text())
    assert m["steps_after"] == m["steps_target"] == pipeline.params["gpt2_steps"]
    assert m["train_loss_after"] < m["train_loss_before"]
    assert m["validation_loss_before"] is not None and m["validation_loss_after"] < m["validation_loss_before"]
    assert (root / drv.GPT2_LOSS_PNG).read_bytes()[:4] == b"\x89PNG"
    run = root / drv.CHECKPOINT_DIR / "run1"
    assert (run / "counter").read_text().strip() == str(pipeline.params["gpt2_steps"])
    assert json.loads((root / drv.GPT2_MODELS / "tiny" / "hparams.json").read_text())["n_ctx"] == 1024


def test_02_writes_chunked_fakes_in_the_seed_shape(pipeline):
    root = pipeline.upto("02")
    chunks = sorted(root.glob(drv.BERT_GAN_FAKE_GLOB))
    assert chunks and chunks[0].name == "bert_gan_fake_0000.csv"
    fakes = files.read_csvs(chunks, required=["comment", "reply", "real"])
    assert list(fakes.columns) == ["comment", "reply", "real", "comment_id", "thread_id", "subreddit", "split",
                                   "generation_ended"]  # the seed's columns first; did the sample reach its end
    assert (fakes["real"] == 0).all()
    assert set(fakes["split"]) == {"train", "validation", "test"}  # fake_splits default: held-out threads get fakes too
    assert fakes["reply"].fillna("").str.len().gt(0).all()
    per_comment = fakes.groupby("comment_id").size()
    assert per_comment.max() <= pipeline.params["n_candidates"]
    gen = pd.read_csv(root / drv.GPT2_GENERATE)
    split_of = dict(zip(gen["comment_id"], gen["split"]))
    assert all(split_of[c] == s for c, s in zip(fakes["comment_id"], fakes["split"]))  # each fake keeps its split
    quality = json.loads((root / drv.FAKES_QUALITY).read_text())
    assert quality["split"] == "test" and set(quality["groups"]) == {"candidates", "real"}
    assert quality["groups"]["candidates"]["n"] == (fakes["split"] == "test").sum()
    assert quality["lift"]["candidates_vs_real"]["length_mean"] is not None
