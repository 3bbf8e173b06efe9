"""The second discriminator: a BERT text-pair classifier over (comment, reply) that predicts a real reply's rating bin
(the seed's bins on its score: 0 if < 1, 1 if == 1, 2 if < 5, else 3) from `bert_gan_real.csv`. Its expected bin
Σ k·p_k is the seed's upvote score, which 06 uses to pick the best realistic candidate. Splits follow 00's per-thread
`split`; bins are balanced with class weights; training stops early on the validation loss.

On the test split: per-bin ROC curves in one figure (the seed's figure), macro AUC, the confusion matrix, and the
pairwise accuracy on pairs of replies to the same comment with different scores — how DialogRPT measures upvote
prediction (its updown model 0.683; a reply-length baseline 0.531) — next to the length baseline on the same pairs.
The model is saved as a keras-hub preset in `models/bert_upvote/`. The base is shared with 03 (see its notes).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import drive as drv
from ..contract import Params
from ..files import read_csv
from ..schema import NUM_RATING_BINS
from . import bert_models, bert_stage, bert_train, metrics
from .bert_stage import BertRun, push, train_and_save

KEY = "04"
BIN_NAMES = ["0: score < 1", "1: score 1", "2: score 2-4", "3: score >= 5"]


def start(p: Params) -> BertRun:
    return bert_stage.start(KEY, p)


def load_data(run: BertRun) -> pd.DataFrame:
    """Real replies with their rating bin, split by thread; the rows per split and bin."""
    run.real = read_csv(run.drive.path(drv.BERT_GAN_REAL), required=bert_train.REAL_COLUMNS, hint="written by 00")
    data, run.drops = bert_train.upvote_frame(run.real, run.p.bert_sequence_length)
    run.parts = bert_train.split(data, NUM_RATING_BINS, run.p.bert_max_train_rows, run.p.seed)
    print("dropped rows:", run.drops)
    return pd.DataFrame({s: part["label"].value_counts().reindex(range(NUM_RATING_BINS), fill_value=0)
                         for s, part in run.parts.items()})


def train(run: BertRun) -> pd.DataFrame:
    """Train the 4-bin classifier and save it to models/bert_upvote/; the training history."""
    return train_and_save(run, NUM_RATING_BINS, drv.BERT_UPVOTE)


def evaluate(run: BertRun) -> tuple[pd.Series, Path, Path]:
    """Macro and per-bin AUC, pairwise accuracy on replies to the same comment, the ROC curves and confusion matrix."""
    test = run.parts["test"].copy()
    probs = bert_models.predict_proba(run.clf, test["comment"], test["reply"])
    test["expected_score"] = probs @ np.arange(NUM_RATING_BINS)
    result = metrics.multiclass_metrics(test["label"], probs, NUM_RATING_BINS)
    result["pairwise"] = metrics.pairwise_accuracy(test, min_gap=run.p.pairwise_min_gap)
    result["pairwise"]["dialogrpt_reference"] = {"updown_model": 0.683, "length_baseline": 0.531}
    bert_stage.save_metrics(run, result, drv.UPVOTE_METRICS)
    roc = metrics.per_class_roc_png(test["label"], probs, run.drive.path(drv.UPVOTE_ROC), labels=BIN_NAMES)
    confusion = metrics.confusion_png(result["confusion"], run.drive.path(drv.UPVOTE_CONFUSION), labels=BIN_NAMES)
    table = pd.Series({"accuracy": result["accuracy"], "macro_auc": result["macro_auc"],
                       **{f"auc bin {k}": v for k, v in result["per_class_auc"].items()},
                       **{f"pairwise {k}": v for k, v in result["pairwise"].items() if k != "dialogrpt_reference"}},
                      name="test split", dtype=object)
    return table, roc, confusion


STEPS = (load_data, train, evaluate, push)
