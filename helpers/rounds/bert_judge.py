"""Stage 09's second gold judge: a small BERT trained from the base weights against one generator's own samples.

Why a second judge of another kind: a round that only learned to dodge character n-grams (TF-IDF's view) would pass
one judge and fool nobody else. This judge starts from the BERT base (models/bert_base/<bert_base>/, the tiny one 03
builds offline, or a keras-hub preset online), never from 03's or 08's trained classifier, so it inherits no other
judge's blind spots; it sees the reply alone (the comment segment empty), as the TF-IDF judge does. Same recipe,
data sizes and seed for every generator, so its AUCs are comparable across arms.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .fresh_judge import texts_of, training_texts
from .stats import pair_matrix

EPOCHS = 3  # from random-initialised (tiny) weights one pass over a few hundred replies learns too little
BATCH = 16
SEQUENCE_LENGTH = 64  # 03's bert_sequence_length


def fit_bert(real: Sequence[str], fake: Sequence[str], base: str, seed: int = 0, epochs: int = EPOCHS,
             learning_rate: float = 1e-3):
    """A fresh BertTextClassifier from ``base`` on real (label 0) vs fake (label 1) replies, classes weighted."""
    import tensorflow as tf

    from ..discriminators.bert_models import build_classifier
    from ..discriminators.bert_train import train_classifier
    from ..errors import StageError

    if not tf.executing_eagerly():  # gpt-2-simple's TF1 graph mode was switched on in this process
        raise StageError("the BERT fresh judge (Keras 3) needs eager TensorFlow: run GPT-2 in its child process "
                         "(helpers.generator.worker), never in the process that judges")
    real, fake = training_texts(real, fake, seed)
    clf = build_classifier(base, 2, SEQUENCE_LENGTH, learning_rate=learning_rate, seed=int(seed))
    df = pd.DataFrame({"comment": "", "reply": _clip(real + fake), "label": [0] * len(real) + [1] * len(fake)})
    train_classifier(clf, {"train": df}, 2, epochs=epochs, batch_size=BATCH, patience=0, seed=int(seed))
    return clf


def _clip(texts: list[str]) -> list[str]:
    from ..discriminators.bert_inputs import max_chars

    return [t[:max_chars(SEQUENCE_LENGTH)] for t in texts]


def prob_fake(clf, texts: Sequence[str]) -> np.ndarray:
    from ..discriminators.bert_models import predict_proba

    texts = _clip(texts_of(texts))
    return predict_proba(clf, [""] * len(texts), texts)[:, 1] if texts else np.zeros(0)


def gold_matrix(real_train: Sequence[str], fake_train: Sequence[str], real_test: pd.DataFrame,
                fake_test: pd.DataFrame, comments: Sequence[str], seed: int = 0, base: str = "") -> np.ndarray:
    """As helpers.rounds.fresh_judge.gold_matrix, with a BERT judge trained from ``base`` (a resolved folder)."""
    if not base:
        raise ValueError("the BERT fresh judge needs a BERT base folder")
    clf = fit_bert(real_train, fake_train, base, seed)
    return pair_matrix(prob_fake(clf, fake_test["reply"]), fake_test["comment_id"].astype(str).to_numpy(),
                       prob_fake(clf, real_test["reply"]), real_test["comment_id"].astype(str).to_numpy(),
                       list(comments))


def matrix_maker(base: str, bases_dir: str | Path) -> Callable[..., np.ndarray]:
    """gold_matrix with the base resolved on first use (the tiny one built from the real train replies if missing)."""
    from ..discriminators.bert_models import resolve_base

    def make(real_train, fake_train, real_test, fake_test, comments, seed=0):
        folder = resolve_base(base, bases_dir, texts=list(real_train))
        return gold_matrix(real_train, fake_train, real_test, fake_test, comments, seed, base=folder)

    return make
