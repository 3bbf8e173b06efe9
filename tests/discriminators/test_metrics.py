"""The seed's metrics, 4-bin metrics, DialogRPT-style pairwise accuracy, and the PNG figures."""

import json

import numpy as np
import pandas as pd
import pytest

from helpers.discriminators import metrics as mt

PNG = b"\x89PNG\r\n\x1a\n"


def test_binary_metrics_match_hand_counts_and_have_every_seed_key():
    y = [1, 1, 1, 0, 0, 1]
    p = [0.9, 0.8, 0.3, 0.6, 0.1, 0.7]
    m = mt.binary_metrics(y, p)
    assert set(mt.BINARY_KEYS) <= set(m)
    assert (m["tp"], m["fn"], m["fp"], m["tn"]) == (3, 1, 1, 1)
    assert m["precision"] == pytest.approx(3 / 4) and m["recall"] == pytest.approx(3 / 4)
    assert m["f1"] == pytest.approx(0.75) and m["accuracy"] == pytest.approx(4 / 6)
    assert m["auc"] == pytest.approx(7 / 8)  # 7 of the 8 (real, fake) pairs are ordered right
    json.dumps(m)


def test_single_class_auc_is_undefined_not_a_crash():
    m = mt.binary_metrics([1, 1, 1], [0.2, 0.9, 0.6])
    assert m["auc"] is None and m["tp"] == 2 and m["fn"] == 1


def test_multiclass_metrics_macro_auc_and_confusion():
    y = np.array([0, 1, 2, 3, 0, 1, 2, 3])
    probs = np.eye(4)[[0, 1, 2, 2, 0, 1, 2, 3]] * 0.7 + 0.075
    m = mt.multiclass_metrics(y, probs, 4)
    assert m["confusion"][3] == [0, 0, 1, 1] and np.trace(m["confusion"]) == 7
    assert m["accuracy"] == pytest.approx(7 / 8)
    assert m["per_class_auc"]["0"] == pytest.approx(1.0)
    assert m["macro_auc"] == pytest.approx(np.mean(list(m["per_class_auc"].values())))
    missing = mt.multiclass_metrics(np.array([0, 1, 1]), np.full((3, 4), 0.25), 4)
    assert missing["per_class_auc"]["3"] is None and missing["class_counts"]["3"] == 0


def test_pairwise_accuracy_counts_pairs_within_a_comment_and_the_length_baseline():
    df = pd.DataFrame({
        "comment_id": ["a", "a", "a", "b", "b", "c"],
        "reply_score": [10, 1, 1, 5, 0, 3],
        "expected_score": [2.5, 0.5, 1.0, 0.2, 0.2, 1.0],
        "reply": ["one two three", "one", "one two three four", "x", "x y", "alone"]})
    m = mt.pairwise_accuracy(df)
    # pairs: a(10>1) a(10>1) [a(1=1) skipped], b(5>0); c alone
    assert m["pairs"] == 3 and m["groups"] == 2
    assert m["model_accuracy"] == pytest.approx((1 + 1 + 0.5) / 3)  # b's tie counts half
    assert m["length_baseline_accuracy"] == pytest.approx((1 + 0 + 0) / 3)
    assert mt.pairwise_accuracy(df, min_gap=20)["pairs"] == 0


def test_figures_are_written_as_png(tmp_path):
    y = np.array([0, 1, 2, 3, 1, 0])
    probs = np.random.default_rng(0).dirichlet(np.ones(4), size=6)
    for path in (mt.roc_png([0, 1, 1, 0], [0.1, 0.9, 0.4, 0.5], tmp_path / "roc.png"),
                 mt.roc_png([1, 1], [0.1, 0.9], tmp_path / "roc1.png"),
                 mt.per_class_roc_png(y, probs, tmp_path / "m" / "roc4.png"),
                 mt.confusion_png(mt.multiclass_metrics(y, probs)["confusion"], tmp_path / "cm.png")):
        assert path.read_bytes()[:8] == PNG
    assert not list(tmp_path.rglob("*.tmp"))


def test_json_safe_replaces_nan():
    assert mt.json_safe({"a": float("nan"), "b": [1.0, float("nan")]}) == {"a": None, "b": [1.0, None]}
