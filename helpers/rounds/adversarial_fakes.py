"""Stage 08's fresh fakes: which comments a round writes for, and their generation.

Generation runs in the GPT-2 worker process (helpers.generator.worker), because gpt-2-simple's TF1 graph and the Keras 3
BERT model that 08 trains must not share a runtime. A round's file is written whole (atomic), so a round killed while
generating starts its generation again and one killed later reuses the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import drive as drv
from ..contract import default
from ..data import comment_sample
from ..errors import InputError
from ..generator import worker


def fakes_path(root: str | Path, k: int) -> Path:
    return Path(root, drv.ADVERSARIAL_FAKES.format(k))


def pick_comments(generate: pd.DataFrame, k: int, n_train: int, n_eval: int, seed: int) -> pd.DataFrame:
    """Round k's comments: n_train from the train split, n_eval held out from test (validation if test is empty).
    A different sample every round (seeded by seed and k), so each round's fakes are fresh."""
    comment_sample.check_columns(generate)
    train, held = (comment_sample.split_part(generate, which, nonempty=True) for which in ("train", "held"))
    if train.empty or held.empty:
        raise InputError("needs comments in the train split and in test (or validation)", file=drv.GPT2_GENERATE)
    rng = np.random.default_rng([int(seed), int(k)])  # one stream: train drawn first, then held out
    return pd.concat([comment_sample.sample(train, n_train, rng).assign(split="train"),
                      comment_sample.sample(held, n_eval, rng).assign(split="test")]).reset_index(drop=True)


def generate_round(root: str | Path, k: int, comments: pd.DataFrame, run_name: str = default("run_name", "08"),
                   n: int = default("n_candidates", "08"), seed: int = default("seed", "08"),
                   timeout_s: float = 3600, **gen: float) -> tuple[Path, float]:
    """Write adversarial/round_<k>_fakes.csv with the GPT-2 worker; kept as is when it exists (resume). gen:
    temperature, top_k, top_p, length (each left out takes notebook 08's default)."""
    out = fakes_path(root, k)
    return out, worker.sample(root, run_name, comments, out, n=n, seed=seed, what=f"round {k}: generating fakes",
                              timeout_s=timeout_s, **gen)
