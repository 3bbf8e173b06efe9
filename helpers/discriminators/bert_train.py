"""Training data and training loops for the two discriminators (03 realism, 04 upvote bins).

Rows are checked once (``check_pairs``): a missing, non-text or empty comment/reply is dropped with a counted,
logged reason, and texts far longer than the sequence length are clipped before tokenising (WordPiece on a 1 MB
string is slow and the tokens past the sequence length are cut anyway). Splits follow 00's per-thread ``split``.
"""

from __future__ import annotations

import logging
from typing import Sequence

import numpy as np
import pandas as pd

from ..contract import default
from ..errors import InputError
from ..schema import NUM_RATING_BINS, SPLITS
from .bert_inputs import check_pairs, max_chars, with_context

log = logging.getLogger(__name__)

REAL_COLUMNS = ["comment", "reply", "rating", "reply_score", "thread_id", "comment_id", "split"]
FAKE_COLUMNS = ["comment", "reply", "thread_id", "split"]
TINY_NAME = "tiny"  # models/bert_base/tiny
def clean_frame(df: pd.DataFrame, label_col: str, sequence_length: int, name: str) -> tuple[pd.DataFrame, dict]:
    """Drop unusable rows with counted reasons; returns (kept rows with clipped text, {reason: count})."""
    c, r, reasons, clipped = check_pairs(df["comment"].tolist(), df["reply"].tolist(), sequence_length)
    out = df.copy()
    out["comment"], out["reply"] = (pd.Series(c, index=df.index, dtype=object),
                                    pd.Series(r, index=df.index, dtype=object))
    labels = pd.to_numeric(df[label_col], errors="coerce")
    reasons = [why or ("" if pd.notna(lab) else f"{label_col} is not a number") for why, lab in zip(reasons, labels)]
    bad_split = ~df["split"].isin(SPLITS)
    reasons = [why or ("split is not train/validation/test" if b else "") for why, b in zip(reasons, bad_split)]
    keep = np.array([not why for why in reasons], dtype=bool)
    drops = pd.Series([w for w in reasons if w], dtype=object).value_counts().to_dict()
    for why, n in drops.items():
        log.warning("%s: dropped %d row(s): %s", name, n, why)
    out = out[keep].copy()
    out["label"] = labels[keep].astype(int)
    if clipped:
        log.info("%s: clipped %d over-long row(s) to %d characters", name, clipped, max_chars(sequence_length))
    return out.reset_index(drop=True), {str(k): int(v) for k, v in drops.items()} | {"clipped_long_text": clipped}


def realism_frame(real: pd.DataFrame, fake: pd.DataFrame, sequence_length: int = default("bert_sequence_length", "03"),
                  seed: int = default("seed", "03")) -> tuple[pd.DataFrame, dict]:
    """Real (label 1) + fake (label 0) pairs; fakes take their thread's split from the real data so none leaks."""
    if fake.empty:
        raise InputError("no fake replies (bert_gan_fake_*.csv missing or empty): run 02_generate_gpt2_fakes first")
    if real.empty:
        raise InputError("no real replies in bert_gan_real.csv: run 00 first")
    real, fake = with_context(real).assign(real=1), with_context(fake).assign(real=0)
    thread_split = real.drop_duplicates("thread_id").set_index("thread_id")["split"]
    mapped = fake["thread_id"].map(thread_split)
    moved = int((mapped.notna() & (mapped != fake["split"])).sum())
    fake["split"] = mapped.where(mapped.notna(), fake["split"])
    if moved:
        log.warning("realism: %d fake row(s) moved to their thread's split", moved)
    held_out = _hold_out_fakes(fake, real, seed)
    cols = ["comment", "reply", "real", "thread_id", "split"]
    both = pd.concat([real[cols], fake[cols]], ignore_index=True)
    df, stats = clean_frame(both, "real", sequence_length, "realism data")
    stats["fake_moved_split"] = moved
    stats["fake_held_out"] = held_out
    return df, stats


def _hold_out_fakes(fake: pd.DataFrame, real: pd.DataFrame, seed: int) -> int:
    """When 02 wrote fakes for train comments only, move whole comments' fakes to validation/test (in place).

    Without this the test split has no fake class and the seed's metrics are undefined. Fakes are grouped by
    comment, in the real data's validation/test proportions; their real replies stay in train (a mild leak of the
    comment text only, which makes the test harder, not easier). Returns the number of fake rows moved.
    """
    if (fake["split"] == "validation").any() and (fake["split"] == "test").any():
        return 0
    key = "comment_id" if "comment_id" in fake.columns else "thread_id"
    groups = pd.Series(fake[key].dropna().unique()).sample(frac=1.0, random_state=seed).tolist()
    if len(groups) < 3:
        return 0
    frac = real["split"].value_counts(normalize=True)
    n_val = max(1, round(len(groups) * frac.get("validation", 0.1)))
    n_test = max(1, round(len(groups) * frac.get("test", 0.1)))
    to = {g: "validation" for g in groups[:n_val]} | {g: "test" for g in groups[n_val:n_val + n_test]}
    moved = fake[key].map(to)
    fake["split"] = moved.where(moved.notna(), fake["split"])
    log.warning("realism: no fakes in validation/test; held out the fakes of %d of %d comments (%d rows)",
                n_val + n_test, len(groups), int(moved.notna().sum()))
    return int(moved.notna().sum())


def base_corpus(real: pd.DataFrame) -> list[str]:
    """Texts the tiny base learns its vocabulary from: train-split real comments and replies (same for 03 and 04)."""
    real = with_context(real)
    train = real[real["split"] == "train"] if "split" in real.columns else real
    return [t for t in pd.concat([train["comment"], train["reply"]]).drop_duplicates().tolist() if isinstance(t, str)]


def upvote_frame(real: pd.DataFrame,
                 sequence_length: int = default("bert_sequence_length", "04")) -> tuple[pd.DataFrame, dict]:
    """Real pairs labelled with their rating bin (0..3); rows with a rating outside the bins are dropped."""
    if real.empty:
        raise InputError("no real replies in bert_gan_real.csv: run 00 first")
    real = with_context(real)
    keep_cols = [c for c in ("comment", "reply", "rating", "reply_score", "comment_id", "thread_id", "split")
                 if c in real.columns]
    df, stats = clean_frame(real[keep_cols], "rating", sequence_length, "upvote data")
    out_of_range = ~df["label"].between(0, NUM_RATING_BINS - 1)
    if out_of_range.any():
        stats[f"rating outside 0..{NUM_RATING_BINS - 1}"] = int(out_of_range.sum())
        log.warning("upvote data: dropped %d row(s) with rating outside the bins", int(out_of_range.sum()))
        df = df[~out_of_range].reset_index(drop=True)
    return df, stats


def split(df: pd.DataFrame, num_classes: int, max_train_rows: int = default("bert_max_train_rows", "03"),
          seed: int = default("seed", "03")) -> dict[str, pd.DataFrame]:
    """{train, validation, test}; train must hold at least two classes. max_train_rows > 0 samples train per class."""
    parts = {s: df[df["split"] == s].reset_index(drop=True) for s in SPLITS}
    train = parts["train"]
    if train.empty:
        raise InputError("no training rows (split == 'train') left after cleaning")
    present = sorted(train["label"].unique().tolist())
    if len(present) < 2:
        raise InputError(f"training rows hold a single class ({present}); a classifier needs at least two of "
                         f"{list(range(num_classes))}")
    if max_train_rows and len(train) > max_train_rows:
        frac = max_train_rows / len(train)  # keep every class, in proportion (class weights fix the balance)
        picks = [g.sample(max(1, round(len(g) * frac)), random_state=seed) for _, g in train.groupby("label")]
        train = pd.concat(picks).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    parts["train"] = train
    return parts


def class_weights(labels: Sequence[int], num_classes: int) -> dict[int, float]:
    """Balanced weights n / (k · count_c) over the classes present; absent classes get 0 (they never occur)."""
    labels = np.asarray(labels, dtype=int)
    counts = np.bincount(labels, minlength=num_classes)
    present = int((counts > 0).sum())
    return {c: (len(labels) / (present * counts[c]) if counts[c] else 0.0) for c in range(num_classes)}


def _tokens(clf, df: pd.DataFrame, chunk: int = 4096) -> dict[str, np.ndarray]:
    """Tokenise once, in large chunks, so epochs reuse the ids instead of re-running WordPiece every epoch."""
    parts = []
    for start in range(0, len(df), chunk):
        rows = df.iloc[start:start + chunk]
        x = clf.preprocess_samples((np.asarray(rows["comment"].tolist(), dtype=object),
                                    np.asarray(rows["reply"].tolist(), dtype=object)))
        x = x[0] if isinstance(x, tuple) else x
        parts.append({k: np.asarray(v) for k, v in x.items()})
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _dataset(clf, df: pd.DataFrame, batch_size: int, weights: dict[int, float] | None, shuffle: bool, seed: int):
    import tensorflow as tf

    y = df["label"].to_numpy(dtype="int32")
    parts = (_tokens(clf, df), y)
    if weights is not None:
        parts += (np.array([weights[int(v)] for v in y], dtype="float32"),)
    ds = tf.data.Dataset.from_tensor_slices(parts)
    if shuffle:
        ds = ds.shuffle(len(df), seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def train_classifier(clf, parts: dict[str, pd.DataFrame], num_classes: int,
                     epochs: int = default("bert_epochs", "03"), batch_size: int = default("bert_batch_size", "03"),
                     patience: int = default("bert_patience", "03"), balance: bool = True,
                     seed: int = default("seed", "03")) -> dict:
    """Fit on train with balanced class weights; early stop on validation loss, keeping the best weights."""
    import keras

    keras.utils.set_random_seed(seed)
    weights = class_weights(parts["train"]["label"], num_classes) if balance else None
    train_ds = _dataset(clf, parts["train"], batch_size, weights, shuffle=True, seed=seed)
    val = parts.get("validation")
    val_ds = _dataset(clf, val, batch_size, None, shuffle=False, seed=seed) if val is not None and len(val) else None
    callbacks = []
    if val_ds is not None and patience > 0:
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=int(patience),
                                                       restore_best_weights=True))
    pre, clf.preprocessor = clf.preprocessor, None  # the datasets hold token ids already
    try:
        from tqdm.keras import TqdmCallback

        from ..quiet import bar_class

        hist = clf.fit(train_ds, validation_data=val_ds, epochs=int(epochs), verbose=0, shuffle=False,  # pre-shuffled
                       callbacks=[*callbacks, TqdmCallback(verbose=0, desc="training", tqdm_class=bar_class())])
    finally:
        clf.preprocessor = pre
    history = {k: [round(float(v), 5) for v in vals] for k, vals in hist.history.items()}
    return {"history": history, "epochs_run": len(history.get("loss", [])), "class_weights": weights,
            "train_rows": len(parts["train"]), "validation_rows": 0 if val is None else len(val)}
