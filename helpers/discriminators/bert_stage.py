"""What 03 (realism) and 04 (upvote bins) do alike: open the stage, build or load the BERT base, train a classifier
on the split rows, save it and the metrics. One place, so the two stages cannot drift apart."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import drive as drv
from ..contract import Params
from ..files import write_json
from ..stage import StageRun, open_stage, push_outputs
from . import bert_models, bert_train, metrics


@dataclass
class BertRun(StageRun):
    """A 03/04 run in progress: filled in step by step, so a notebook can show each part."""

    key: str = ""
    real: pd.DataFrame = field(default_factory=pd.DataFrame)
    parts: dict[str, pd.DataFrame] = field(default_factory=dict)
    drops: dict[str, Any] = field(default_factory=dict)
    clf: Any = None
    fit: dict[str, Any] = field(default_factory=dict)


def start(key: str, p: Params) -> BertRun:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", force=True)
    return BertRun(p, open_stage(key, p), key=key)


def train_and_save(run: BertRun, n_classes: int, model_dir: str) -> pd.DataFrame:
    """Build (tiny) or load the base, train with early stopping on the validation loss, save the classifier."""
    p = run.p
    base = bert_models.resolve_base(p.bert_base, run.drive.path(drv.BERT_BASE_DIR),
                                    texts=bert_train.base_corpus(run.real), seed=p.seed,
                                    vocab_size=p.bert_tiny_vocab_size, hidden_dim=p.bert_tiny_hidden_dim,
                                    intermediate_dim=2 * p.bert_tiny_hidden_dim, num_layers=p.bert_tiny_layers)
    run.clf = bert_models.build_classifier(base, n_classes, p.bert_sequence_length,
                                           learning_rate=p.bert_learning_rate, seed=p.seed)
    run.fit = bert_train.train_classifier(run.clf, run.parts, n_classes, p.bert_epochs, p.bert_batch_size,
                                          p.bert_patience, seed=p.seed)
    bert_models.save_classifier(run.clf, run.drive.path(model_dir))
    print("base:", base, bert_models.classifier_info(run.clf))
    return pd.DataFrame(run.fit["history"])


def save_metrics(run: BertRun, result: dict[str, Any], path: str) -> None:
    """The test-split metrics with what produced them: base, model shape, training history, dropped rows."""
    write_json(metrics.json_safe(result | {"bert_base": run.p.bert_base, "model": bert_models.classifier_info(run.clf),
                                           "training": run.fit, "data": run.drops}), run.drive.path(path))


def push(run: BertRun) -> None:
    """Send the model, the shared tiny base and the metrics to Drive (gdrive backend; elsewhere already there)."""
    push_outputs(run.key, run.p, run.drive)
