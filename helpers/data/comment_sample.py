"""Which comments of gpt2_generate.csv a stage generates for, outside 02 and 05: 08's fresh fakes, 09's prompts and
held-out comments, and ``evaluate``'s test comments, drawn by one sampler so "held out" means the same everywhere.

Held out is the test split (validation when test is empty); a sample is seeded, drawn without replacement and kept in
file order. Each caller passes its own seed key (e.g. [seed, round]): the keys are part of a run's record (a resumed
09 measures on the same comments), so they stay as they were when each stage was written.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .. import drive as drv
from ..errors import InputError

COLUMNS = ["comment", "comment_id", "thread_id", "subreddit", "split"]


def check_columns(generate: pd.DataFrame) -> None:
    missing = [c for c in COLUMNS if c not in generate.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file=drv.GPT2_GENERATE)


def split_part(generate: pd.DataFrame, which: str, nonempty: bool = False) -> pd.DataFrame:
    """The rows of one part: "train", or "held" (test, validation when test has no row); ``nonempty`` leaves out
    empty comments first."""
    df = generate[generate["comment"].fillna("").astype(str).str.strip() != ""] if nonempty else generate
    split = df["split"].astype(str)
    if which == "train":
        return df[split == "train"]
    held = df[split == "test"]
    return held if len(held) else df[split == "validation"]


def sample(part: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """At most n rows of ``part``, drawn with ``rng`` without replacement, in file order; the sampler's columns."""
    take = np.sort(rng.choice(len(part), min(int(n), len(part)), replace=False))
    return part.iloc[take][COLUMNS].reset_index(drop=True)


def pick(generate: pd.DataFrame, which: str, n: int, key: int | Sequence[int], nonempty: bool = False,
         none: str = "") -> pd.DataFrame:
    """n comments of one part (see split_part), seeded by ``key``; ``none`` is the error when the part is empty."""
    check_columns(generate)
    part = split_part(generate, which, nonempty)
    if part.empty:
        raise InputError(none or f"no comment in the {'train' if which == 'train' else 'test or validation'} split",
                         file=drv.GPT2_GENERATE)
    return sample(part, n, np.random.default_rng(key))
