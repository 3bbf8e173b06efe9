"""The scoring API the live stage calls: both discriminators loaded once, many (comment, reply) rows scored fast.

Why it is fast: the seed built a fresh estimator predictor for every 32 rows (graph rebuilt, checkpoint restored).
Here each model is loaded once and its forward pass is one traced tf.function; rows are tokenised in large batches
inside a tf.data pipeline (parallel map, prefetch) that overlaps with the forward passes, and when both models share
a tokenizer (they do when both were fine-tuned from the same base) the text is tokenised once for both.

Rows that cannot be scored (NaN, non-text or empty reply/comment) keep NaN scores and say why in ``score_error``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..context import conditioned
from ..contract import default
from ..errors import InputError
from .bert_inputs import check_pairs, model_inputs
from .bert_models import load_classifier

log = logging.getLogger(__name__)

SCORE_COLUMNS = ["prob_real", "p0", "p1", "p2", "p3", "expected_score", "score_error"]


def _tokenizer_key(clf) -> str:
    pre = clf.preprocessor
    return json.dumps([pre.sequence_length, pre.truncate, pre.tokenizer.get_config(),
                       pre.tokenizer.get_vocabulary()], sort_keys=True, default=str)


def _forward(clf):
    """One traced forward pass returning class probabilities; no preprocessing, no Keras predict loop."""
    import tensorflow as tf

    @tf.function(reduce_retracing=True)
    def run(x):
        return tf.nn.softmax(tf.cast(clf(x, training=False), tf.float32), axis=-1)

    return run


@dataclass
class Scorer:
    realism: Any  # keras-hub BertTextClassifier, 2 classes (1 = real)
    upvote: Any  # keras-hub BertTextClassifier, one class per rating bin
    batch_size: int = 512
    last_stats: dict = field(default_factory=dict)

    def __post_init__(self):
        if int(self.realism.num_classes) != 2:
            raise InputError(f"the realism model has {self.realism.num_classes} classes, expected 2")
        self.num_bins = int(self.upvote.num_classes)
        self.shared_tokens = _tokenizer_key(self.realism) == _tokenizer_key(self.upvote)
        self._fwd = (_forward(self.realism), _forward(self.upvote))

    @classmethod
    def load(cls, realism_dir: str | Path, upvote_dir: str | Path, batch_size: int = 512) -> "Scorer":
        """Load both models once (models/bert_realism and models/bert_upvote on the Drive root)."""
        return cls(load_classifier(realism_dir), load_classifier(upvote_dir), batch_size=batch_size)

    @property
    def sequence_length(self) -> int:
        return max(int(self.realism.preprocessor.sequence_length), int(self.upvote.preprocessor.sequence_length))

    def score(self, df: pd.DataFrame, comment_col: str = "comment", reply_col: str = "reply") -> pd.DataFrame:
        """Copy of ``df`` + prob_real, p0..p{k-1}, expected_score (Σ k·p_k), score_error ("" when scored)."""
        missing = [c for c in (comment_col, reply_col) if c not in df.columns]
        if missing:
            raise InputError(f"cannot score: missing column(s) {missing}; found {list(df.columns)}")
        comments, replies, reasons, clipped = check_pairs(conditioned(df, comment_col), df[reply_col].tolist(),
                                                          self.sequence_length)
        ok = np.array([not r for r in reasons], dtype=bool)
        idx = np.flatnonzero(ok)
        prob_real = np.full(len(df), np.nan)
        bins = np.full((len(df), self.num_bins), np.nan)
        if len(idx):
            real, up = self.predict([comments[i] for i in idx], [replies[i] for i in idx])
            prob_real[idx], bins[idx] = real[:, 1], up
        out = df.copy()
        out["prob_real"] = prob_real
        for k in range(self.num_bins):
            out[f"p{k}"] = bins[:, k]
        out["expected_score"] = bins @ np.arange(self.num_bins, dtype=float)
        out["score_error"] = pd.Series(reasons, index=df.index, dtype=object)
        errors = pd.Series([r for r in reasons if r], dtype=object).value_counts().to_dict()
        self.last_stats = {"rows": len(df), "scored": int(ok.sum()), "clipped_long_text": clipped,
                           "errors": {str(k): int(v) for k, v in errors.items()}}
        if errors:
            log.warning("scoring: %d row(s) not scored: %s", len(df) - int(ok.sum()), self.last_stats["errors"])
        return out

    def predict(self, comments: list[str], replies: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(realism probabilities [n, 2], upvote-bin probabilities [n, k]) for clean, clipped string pairs."""
        import tensorflow as tf

        def features(model):  # preprocess_samples: a bare preprocessor call would read (c, r) as (x, y)
            return lambda c, r: model_inputs(model.preprocess_samples((c, r)))

        pre_r, pre_u = self.realism, self.upvote
        ds = tf.data.Dataset.from_tensor_slices((np.asarray(comments, dtype=object),
                                                 np.asarray(replies, dtype=object))).batch(self.batch_size)
        if self.shared_tokens:
            ds = ds.map(lambda c, r: (features(pre_r)(c, r),) * 2, num_parallel_calls=tf.data.AUTOTUNE)
        else:
            ds = ds.map(lambda c, r: (features(pre_r)(c, r), features(pre_u)(c, r)),
                        num_parallel_calls=tf.data.AUTOTUNE)
        from ..quiet import bar as progress

        real_parts, up_parts = [], []
        with progress(total=len(comments), desc="scoring", unit="reply",
                      disable=len(comments) <= self.batch_size) as bar:
            for x_r, x_u in ds.prefetch(tf.data.AUTOTUNE):
                real_parts.append(self._fwd[0](x_r).numpy())
                up_parts.append(self._fwd[1](x_u).numpy())
                bar.update(len(real_parts[-1]))
        return np.concatenate(real_parts), np.concatenate(up_parts)


def realism_model_dir(root: str | Path, choice: str = default("realism_model")) -> Path:
    """The realism classifier 06 scores with: "auto" takes 08's refreshed one when a refresh round has finished (it
    has seen the newest fakes), else 03's; "bert_realism" or any folder (under the Drive root, or absolute) pins one."""
    from .. import drive as drv

    if choice in ("", "auto"):
        refreshed = Path(root, drv.ADVERSARIAL_MODEL)
        return refreshed if refreshed.is_dir() else Path(root, drv.BERT_REALISM)
    if choice in ("bert_realism", "bert_realism_refreshed"):
        return Path(root, drv.MODELS_DIR, choice)
    path = Path(choice)
    return path if path.is_absolute() else Path(root, path)
