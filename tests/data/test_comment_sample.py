"""One comment sampler (helpers.data.comment_sample) for 08's fresh fakes, 09's prompts and held-out comments and
evaluate's test comments: "held out" is the test split (validation when test is empty) for all of them."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from helpers.data import comment_sample
from helpers.errors import InputError
from helpers.pipeline import evaluate
from helpers.rounds import adversarial_fakes, rounds_data

PICKERS = {"evaluate": lambda df: evaluate.pick_test_comments(df, 3, seed=1),
           "09 held out": lambda df: rounds_data.pick_eval_comments(df, 3, 1),
           "08 held out": lambda df: adversarial_fakes.pick_comments(df, 1, 2, 3, 1).query("split == 'test'")}


def frame(splits: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"comment": [f"comment {i}" for i in range(len(splits))],
                         "comment_id": [f"{s}{i}" for i, s in enumerate(splits)], "thread_id": "t",
                         "subreddit": "s", "split": splits})


@pytest.mark.parametrize("name", PICKERS)
def test_held_out_is_test_else_validation_for_every_stage(name):
    pick = PICKERS[name]
    assert {c[:4] for c in pick(frame(["train"] * 4 + ["test"] * 4 + ["validation"] * 4))["comment_id"]} == {"test"}
    assert {c[:4] for c in pick(frame(["train"] * 4 + ["validation"] * 4))["comment_id"]} == {"vali"}


@pytest.mark.parametrize("fn", [evaluate.pick_test_comments, rounds_data.pick_eval_comments,
                                rounds_data.pick_prompts, adversarial_fakes.pick_comments])
def test_every_picker_draws_through_the_one_sampler(fn):
    assert "comment_sample." in inspect.getsource(fn)


def test_a_missing_column_or_an_empty_part_is_named():
    with pytest.raises(InputError, match="gpt2_generate.csv.*missing column.*thread_id"):
        comment_sample.pick(frame(["test"]).drop(columns="thread_id"), "held", 1, 1)
    with pytest.raises(InputError, match="no comment in the train split"):
        comment_sample.pick(frame(["test"]), "train", 1, 1)
