"""The first discriminator: a BERT text-pair classifier over (comment, reply) that tells real Reddit replies
(`bert_gan_real.csv`, label 1) from GPT-2 fakes (`bert_gan_fake_*.csv` from 02, label 0). Splits follow 00's
per-thread `split`; the class imbalance (the seed's test set held 9,887 real vs 850 fake) is handled with balanced
class weights. Training stops early when the validation loss stops improving and keeps the best weights.

On the test split it reports the seed's metrics — auc, accuracy, f1, precision, recall, tp, tn, fp, fn (positive
class = real) — and draws the ROC curve. The model is saved as a keras-hub preset in `models/bert_realism/`, which
06 loads through `helpers.discriminators.scoring.Scorer`. Offline (the default) the base is `tiny`: a small BERT
whose WordPiece vocabulary is learned from the corpus, built once in `models/bert_base/tiny/` and shared with 04.
Online, use `--preset online_124M` (or set `bert_base = "bert_base_en_uncased"`, the seed's uncased L-12 H-768 BERT,
`bert_sequence_length = 128`, `bert_epochs = 3` and `bert_learning_rate = 2e-5`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import drive as drv
from ..contract import Params
from ..files import read_csv, read_csvs
from . import bert_models, bert_stage, bert_train, metrics
from .bert_stage import BertRun, push, train_and_save

KEY = "03"


def start(p: Params) -> BertRun:
    return bert_stage.start(KEY, p)


def load_data(run: BertRun) -> pd.DataFrame:
    """Real replies (label 1) and GPT-2 fakes (label 0), split by thread; the rows per split and class."""
    run.real = read_csv(run.drive.path(drv.BERT_GAN_REAL), required=bert_train.REAL_COLUMNS, hint="written by 00")
    fake = read_csvs(run.drive.glob(drv.BERT_GAN_FAKE_GLOB), required=bert_train.FAKE_COLUMNS, hint="written by 02")
    data, run.drops = bert_train.realism_frame(run.real, fake, run.p.bert_sequence_length, seed=run.p.seed)
    run.parts = bert_train.split(data, 2, run.p.bert_max_train_rows, run.p.seed)
    print("dropped / adjusted rows:", run.drops)
    return pd.DataFrame({s: part["label"].value_counts().reindex([1, 0], fill_value=0)
                         for s, part in run.parts.items()}).rename(index={1: "real", 0: "fake"})


def train(run: BertRun) -> pd.DataFrame:
    """Train the real-vs-fake classifier and save it to models/bert_realism/; the training history."""
    return train_and_save(run, 2, drv.BERT_REALISM)


def evaluate(run: BertRun) -> tuple[pd.Series, Path]:
    """The seed's metrics on the test split, and the ROC curve."""
    test = run.parts["test"]
    prob_real = bert_models.predict_proba(run.clf, test["comment"], test["reply"])[:, 1]
    result = metrics.binary_metrics(test["label"], prob_real)
    bert_stage.save_metrics(run, result, drv.REALISM_METRICS)
    roc = metrics.roc_png(test["label"], prob_real, run.drive.path(drv.REALISM_ROC),
                          title="Realism classifier ROC (test split)")
    return pd.Series({k: result[k] for k in metrics.BINARY_KEYS}, name="test split", dtype=object), roc


STEPS = (load_data, train, evaluate, push)
