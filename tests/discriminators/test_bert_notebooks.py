"""Notebooks 03 and 04 under papermill on the bundled sample (after 00-02), with the smoke parameters."""

import numpy as np
import pytest

from helpers import drive as drv
from helpers import files
from helpers.discriminators import metrics

pytestmark = pytest.mark.slow
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def root(pipeline):
    return pipeline.upto("04")


def test_03_writes_the_realism_model_metrics_and_roc(root):
    m = files.read_json(root / drv.REALISM_METRICS)
    assert set(metrics.BINARY_KEYS) <= set(m)
    assert m["tp"] + m["tn"] + m["fp"] + m["fn"] == m["n"] > 0
    assert m["tn"] + m["fp"] > 0, "the test split must hold fakes (held out by comment when 02 wrote train only)"
    assert m["auc"] is not None and 0 <= m["auc"] <= 1
    assert m["training"]["epochs_run"] >= 1 and m["model"]["num_classes"] == 2
    assert (root / drv.REALISM_ROC).read_bytes()[:8] == PNG
    assert (root / drv.BERT_REALISM / "task.json").exists()
    assert (root / drv.BERT_BASE_DIR / "tiny" / "metadata.json").exists()


def test_04_writes_the_upvote_model_metrics_and_figures(root):
    m = files.read_json(root / drv.UPVOTE_METRICS)
    assert set(m["per_class_auc"]) == {"0", "1", "2", "3"} and m["macro_auc"] is not None
    cm = np.array(m["confusion"])
    assert cm.shape == (4, 4) and cm.sum() == m["n"] > 0
    pw = m["pairwise"]
    assert pw["pairs"] > 0 and 0 <= pw["model_accuracy"] <= 1 and 0 <= pw["length_baseline_accuracy"] <= 1
    for f in (drv.UPVOTE_ROC, drv.UPVOTE_CONFUSION):
        assert (root / f).read_bytes()[:8] == PNG
    assert m["model"]["num_classes"] == 4


def test_the_saved_models_serve_the_scoring_api(root):
    from helpers.discriminators.scoring import Scorer

    real = files.read_csv(root / drv.BERT_GAN_REAL).head(20)
    scorer = Scorer.load(root / drv.BERT_REALISM, root / drv.BERT_UPVOTE)
    out = scorer.score(real)
    assert scorer.shared_tokens  # 03 and 04 share the tiny base, so the text is tokenised once
    assert (out["score_error"] == "").all() and out["expected_score"].between(0, 3).all()
