"""Stage 09's placebo arm: what a round would gain from fine-tuning alone.

A copy of the round's base, fine-tuned on real train pairs only with the same steps, learning rate and number of
documents as the round's candidate, never chosen by a judge. Any judge that prefers the placebo to the base rewards
drift, not realism; a round counts only if its candidate beats the placebo too (helpers.rounds.guards.verdict).
Its checkpoint is ``checkpoint/<run_name>_g<k>_placebo``: never a generator 05/08/evaluate may use.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import InputError
from .rounds_data import norm

SUFFIX = "_placebo"


def placebo_name(run_name: str, k: int) -> str:
    return f"{run_name}_g{k}{SUFFIX}"


def is_round_checkpoint(folder: str, run_name: str) -> bool:
    """A checkpoint folder a round of 09 wrote (its candidate or its placebo), which gr_restart forgets."""
    return re.fullmatch(re.escape(run_name) + r"_g\d+(" + SUFFIX + ")?", folder) is not None


def placebo_set(real: pd.DataFrame, n_docs: int, held_out_ids: set[str], blocked: set[str], seed: int,
                file: str = "") -> pd.DataFrame:
    """``n_docs`` real train pairs (rounds_data's training-set columns), drawn as the round's replay is: never a
    held-out comment or a blocked reply; repeated only if there are fewer pairs than documents."""
    pool = real[(real["split"].astype(str) == "train") & ~real["comment_id"].astype(str).isin(held_out_ids)
                & ~real["reply"].map(norm).isin(blocked) & (real["reply"].map(norm) != "")]
    if n_docs and pool.empty:
        raise InputError("no real train pair for the placebo arm", file=file)
    rng = np.random.default_rng([int(seed), 11])
    take = np.sort(rng.choice(len(pool), int(n_docs), replace=n_docs > len(pool))) if n_docs else np.zeros(0, int)
    return pd.DataFrame({"comment": pool["comment"].astype(str).to_numpy()[take],
                         "reply": pool["reply"].astype(str).to_numpy()[take],
                         "comment_id": pool["comment_id"].astype(str).to_numpy()[take], "source": "placebo",
                         "weight": 1})
