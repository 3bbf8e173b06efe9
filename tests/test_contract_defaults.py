"""Helper functions take their defaults from the stage contract, so calling them from Python gives what the notebooks
give: once `finetune` trained at 1e-4 for 60 steps while 01 used 1e-3 for 150, `run_rounds` sampled 2 candidates at
5e-5 while 08 used 10 at 1e-3, and the tiny BERT base had 2,000 words from Python but 4,000 in the notebooks."""

from __future__ import annotations

import importlib
import inspect

import pytest

from helpers.contract import default

TABLE = {
    ("helpers.generator.gpt2_finetune", "finetune"): {
        "model_name": ("base_model", "01"),
        "run_name": ("run_name", "01"),
        "steps": ("gpt2_steps", "01"),
        "learning_rate": ("gpt2_learning_rate", "01"),
        "batch_size": ("gpt2_batch_size", "01"),
        "save_every": ("gpt2_save_every", "01"),
        "sample_every": ("gpt2_sample_every", "01"),
        "seed": ("seed", "01"),
    },
    ("helpers.discriminators.bert_models", "build_tiny_base"): {
        "vocab_size": ("bert_tiny_vocab_size", "03"),
        "num_layers": ("bert_tiny_layers", "03"),
        "hidden_dim": ("bert_tiny_hidden_dim", "03"),
        "seed": ("seed", "03"),
    },
    ("helpers.discriminators.bert_models", "build_classifier"): {
        "sequence_length": ("bert_sequence_length", "03"),
        "learning_rate": ("bert_learning_rate", "03"),
        "seed": ("seed", "03"),
    },
    ("helpers.discriminators.bert_train", "train_classifier"): {
        "epochs": ("bert_epochs", "03"),
        "batch_size": ("bert_batch_size", "03"),
        "patience": ("bert_patience", "03"),
        "seed": ("seed", "03"),
    },
    ("helpers.discriminators.bert_train", "split"): {
        "max_train_rows": ("bert_max_train_rows", "03"),
        "seed": ("seed", "03"),
    },
    ("helpers.discriminators.bert_train", "realism_frame"): {
        "sequence_length": ("bert_sequence_length", "03"),
        "seed": ("seed", "03"),
    },
    ("helpers.discriminators.bert_train", "upvote_frame"): {"sequence_length": ("bert_sequence_length", "04")},
    ("helpers.tracking.adversarial", "run_rounds"): {
        "rounds": ("adv_rounds", "08"),
        "mode": ("adv_mode", "08"),
        "run_name": ("run_name", "08"),
        "train_comments": ("adv_train_comments", "08"),
        "eval_comments": ("adv_eval_comments", "08"),
        "n_candidates": ("n_candidates", "08"),
        "epochs": ("adv_epochs", "08"),
        "batch_size": ("bert_batch_size", "08"),
        "learning_rate": ("bert_learning_rate", "08"),
        "max_train_rows": ("adv_max_train_rows", "08"),
        "base": ("bert_base", "08"),
        "seed": ("seed", "08"),
    },
    ("helpers.live.select", "select_candidates"): {
        "min_prob_real": ("min_prob_real", "06"),
        "max_length": ("max_reply_chars", "06"),
        "n_runner_ups": ("n_runner_ups", "06"),
        "allow_links": ("allow_links", "06"),
    },
    ("helpers.live.select", "build_review"): {
        "min_prob_real": ("min_prob_real", "06"),
        "max_length": ("max_reply_chars", "06"),
        "n_runner_ups": ("n_runner_ups", "06"),
        "allow_links": ("allow_links", "06"),
    },
    ("helpers.live.posting", "post_replies"): {
        "dry_run": ("dry_run", "06"),
        "auto_approve": ("auto_approve", "06"),
        "max_posts_per_run": ("max_posts_per_run", "06"),
        "max_posts_per_subreddit_per_day": ("max_posts_per_subreddit_per_day", "06"),
        "delay_min_s": ("delay_min_s", "06"),
        "delay_max_s": ("delay_max_s", "06"),
        "max_rate_limit_wait_s": ("max_rate_limit_wait_s", "06"),
    },
    ("helpers.data.prepare", "prepare"): {
        "max_chars": ("max_chars", "00"),
        "validation_fraction": ("validation_fraction", "00"),
        "test_fraction": ("test_fraction", "00"),
        "seed": ("seed", "00"),
    },
    ("helpers.data.prepare", "clean_pairs"): {"max_chars": ("max_chars", "00")},
    ("helpers.generator.fakes", "generate_fakes"): {
        "chunk_size": ("fake_chunk_size", "02"),
        "n": ("n_candidates", "02"),
    },
    ("helpers.generator.fakes", "select_comments"): {"max_comments": ("fake_max_comments", "02")},
    ("helpers.live.proposals", "propose_replies"): {"n": ("n_candidates", "05")},
    ("helpers.live.proposals", "fetch_comments"): {
        "posts_per_subreddit": ("posts_per_subreddit", "05"),
        "min_comment_score": ("min_comment_score", "05"),
    },
    ("helpers.generator.generation", "GenerationEngine.generate"): {
        "n": ("n_candidates", "05"),
        "temperature": ("temperature", "05"),
        "top_k": ("top_k", "05"),
        "top_p": ("top_p", "05"),
        "length": ("max_reply_tokens", "05"),
    },
}

CASES = [(mod, fn, arg, param, key) for (mod, fn), args in TABLE.items() for arg, (param, key) in args.items()]


def _function(mod: str, fn: str):
    obj = importlib.import_module(mod)
    for part in fn.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("mod,fn,arg,param,key", CASES, ids=[f"{c[1]}.{c[2]}" for c in CASES])
def test_function_default_is_the_notebook_default(mod, fn, arg, param, key):
    got = inspect.signature(_function(mod, fn)).parameters[arg].default
    assert got == default(param, key), (
        f"{mod}.{fn}({arg}=...) defaults to {got!r}; stage {key}'s {param} is {default(param, key)!r}"
    )
