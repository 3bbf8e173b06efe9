"""Replies per second of helpers.discriminators.scoring.Scorer vs the seed's way vs one keras predict, same tiny
models, one run.

- ours: Scorer.load once, then one Scorer.score over all rows (both models; tracing included, loading not).
- seed_style: the seed's getPrediction built a fresh estimator predictor for every chunk of 32 rows; here every
  chunk of 32 loads both classifiers from their presets and runs keras predict on them (timed on fewer rows).
- keras_predict: the two models loaded once, then one keras `predict` over all rows for each (tracing included).
Models: the notebooks' offline default (tiny base: vocab learned from the texts, hidden 64, 2 layers; sequence 64).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROWS = 4096
SEED_STYLE_ROWS = 256  # 8 chunks of 32: each costs seconds, so fewer rows; rows/s is what is compared
SEQUENCE_LENGTH = 64
WORK = Path(__file__).resolve().parent / "_work" / "scoring"


def _texts(n: int, rng) -> pd.DataFrame:
    words = ("the a of to and is it that this for you with on was are have be not but what my they just "
             "so like can think people would about one really time good book story writing novel garden plant "
             "water soil character plot chapter draft read reading year first great").split()
    return pd.DataFrame({"comment": [" ".join(rng.choice(words, rng.integers(10, 60))) for _ in range(n)],
                         "reply": [" ".join(rng.choice(words, rng.integers(5, 50))) for _ in range(n)]})


def _models(work: Path, n_texts: int = 2000) -> tuple[Path, Path]:
    from helpers.discriminators import bert_models as bm

    corpus = _texts(n_texts, np.random.default_rng(1))
    base = bm.resolve_base("tiny", work / "bases", texts=corpus["comment"].tolist() + corpus["reply"].tolist(),
                           vocab_size=4000, hidden_dim=64, intermediate_dim=128, num_layers=2, num_heads=2)
    out = []
    for name, k in (("realism", 2), ("upvote", 4)):
        out.append(bm.save_classifier(bm.build_classifier(base, k, SEQUENCE_LENGTH, seed=k), work / name))
    return out[0], out[1]


def run(smoke: bool = False) -> dict:
    """smoke: 64 rows (32 the seed's way), models from 200 texts, in a temporary folder."""
    if smoke:
        with tempfile.TemporaryDirectory(prefix="bench_scoring_") as tmp:
            return _measure(64, 32, Path(tmp), n_texts=200)
    return _measure(ROWS, SEED_STYLE_ROWS, WORK)


def _measure(rows: int, seed_style_rows: int, work: Path, n_texts: int = 2000) -> dict:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    from helpers.discriminators import bert_models as bm
    from helpers.discriminators.scoring import Scorer

    realism_dir, upvote_dir = _models(work, n_texts)
    df = _texts(rows, np.random.default_rng(2))
    c, r = df["comment"].tolist(), df["reply"].tolist()

    scorer = Scorer.load(realism_dir, upvote_dir)
    t = time.perf_counter()
    out = scorer.score(df)
    ours_s = time.perf_counter() - t
    assert out["score_error"].eq("").all()

    realism, upvote = bm.load_classifier(realism_dir), bm.load_classifier(upvote_dir)
    t = time.perf_counter()
    p_real = bm.predict_proba(realism, c, r, batch_size=512)
    p_up = bm.predict_proba(upvote, c, r, batch_size=512)
    keras_s = time.perf_counter() - t
    agree = float(max(np.abs(p_real[:, 1] - out["prob_real"]).max(),
                      np.abs(p_up - out[["p0", "p1", "p2", "p3"]].to_numpy()).max()))

    t = time.perf_counter()
    for start in range(0, seed_style_rows, 32):  # a fresh predictor per chunk, as the seed's getPrediction
        cc, rr = c[start:start + 32], r[start:start + 32]
        bm.predict_proba(bm.load_classifier(realism_dir), cc, rr, batch_size=32)
        bm.predict_proba(bm.load_classifier(upvote_dir), cc, rr, batch_size=32)
    seed_s = time.perf_counter() - t

    ours, seed, keras_rps = rows / ours_s, seed_style_rows / seed_s, rows / keras_s
    return {"ours_rps": round(ours, 1), "seed_style_rps": round(seed, 1), "keras_predict_rps": round(keras_rps, 1),
            "speedup_vs_seed_style": round(ours / seed, 1), "time_ratio_vs_keras_predict": round(keras_rps / ours, 3),
            "targets_met": bool(ours >= 5 * seed and ours_s <= 1.2 * keras_s),
            "rows": rows, "seed_style_rows": seed_style_rows, "sequence_length": SEQUENCE_LENGTH,
            "shared_tokenizer": scorer.shared_tokens, "max_abs_diff_vs_keras_predict": agree,
            "device": "CPU only (no GPU in this task)", "cpu_threads": os.cpu_count(),
            "tensorflow": tf.__version__, "note": "both models per row in every method; one run"}
