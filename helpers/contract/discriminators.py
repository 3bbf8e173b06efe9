"""Stages 03–04 of the contract: the two BERT classifiers (realism, upvote bins), which share their BERT settings."""

from __future__ import annotations

from .. import drive as drv
from .spec import File, P, Stage

TINY_BASE = f"{drv.BERT_BASE_DIR}/tiny/"

# 03 and 04 take the same BERT parameters, so the two notebooks cannot drift apart.
BERT = (
    P("bert_base", "tiny",
      "tiny (offline: small BERT, vocab learned from the corpus) | \"bert_base_en_uncased\" (the seed's BERT, "
      "online) | any keras-hub preset, hf:// handle or local folder (keras-hub preset or Hugging Face BERT: "
      "config.json, model.safetensors, vocab.txt)"),
    P("bert_sequence_length", 64,
      "tokens per [CLS] comment [SEP] reply [SEP]; longer pairs are truncated (the seed: 128)"),
    P("bert_epochs", 6,
      "passes over the training rows, early stop on validation loss (the seed: 3 with its pretrained BERT; "
      "the tiny base learns from scratch)", low=1),
    P("bert_batch_size", 32, "rows per training step (the seed: 32)", low=1),
    P("bert_learning_rate", 1e-3,
      "1e-3 suits the tiny base trained from scratch; use 2e-5 for a pretrained BERT", low=0, low_open=True),
    P("bert_patience", 2, "epochs without a better validation loss before stopping (0: never stop early)", low=0),
    P("bert_max_train_rows", 0,
      "sample at most this many training rows, every class or bin kept in proportion (0: all)", low=0),
    P("bert_tiny_vocab_size", 4000,
      "tiny base only (built when models/bert_base/tiny is missing): WordPiece vocabulary size"),
    P("bert_tiny_hidden_dim", 64, "tiny base only: hidden size (2 heads, feed-forward 2x hidden)"),
    P("bert_tiny_layers", 2, "tiny base only: transformer layers"),
)

STAGE_03 = Stage(
    key="03", name="train_realism_bert", part="discriminators",
    title="Train the BERT realism classifier (real vs GPT-2 fake)", runtime="GPU",
    reads=(File(drv.BERT_GAN_REAL), File(drv.BERT_GAN_FAKE), File(TINY_BASE, "when present")),
    writes=(File(drv.BERT_REALISM + "/"), File(TINY_BASE, "when missing"), File(drv.REALISM_METRICS),
            File(drv.REALISM_ROC)),
    params=(
        *BERT,
        P("seed", 1234, "reproducibility: initialisation, shuffling, the held-out fakes", low=0),
    ),
)

STAGE_04 = Stage(
    key="04", name="train_upvote_bert", part="discriminators", title="Train the BERT upvote classifier (4 rating bins)",
    runtime="GPU",
    reads=(File(drv.BERT_GAN_REAL), File(TINY_BASE, "when present")),
    writes=(File(drv.BERT_UPVOTE + "/"), File(TINY_BASE, "when missing"), File(drv.UPVOTE_METRICS),
            File(drv.UPVOTE_ROC), File(drv.UPVOTE_CONFUSION)),
    params=(
        *BERT,
        P("pairwise_min_gap", 1, "pairwise accuracy uses reply pairs whose scores differ by at least this much"),
        P("seed", 1234, "reproducibility: initialisation and shuffling", low=0),
    ),
)
