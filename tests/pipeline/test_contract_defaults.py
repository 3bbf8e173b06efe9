"""Helper functions take their defaults from the stage contract, so calling them from Python gives what the notebooks
give: once `finetune` trained at 1e-4 for 60 steps while 01 used 1e-3 for 150, `run_rounds` sampled 2 candidates at
5e-5 while 08 used 10 at 1e-3, and the tiny BERT base had 2,000 words from Python but 4,000 in the notebooks."""

from __future__ import annotations

import importlib
import inspect

import pytest

from helpers.contract import default

# One entry per function: module:function (stage), then its arguments, `arg=param` where the contract's name
# differs; an indented line continues the entry above it.
TABLE = """
helpers.generator.gpt2_finetune:finetune (01) model_name=base_model run_name steps=gpt2_steps
    learning_rate=gpt2_learning_rate batch_size=gpt2_batch_size save_every=gpt2_save_every
    sample_every=gpt2_sample_every seed
helpers.discriminators.bert_models:build_tiny_base (03) vocab_size=bert_tiny_vocab_size num_layers=bert_tiny_layers
    hidden_dim=bert_tiny_hidden_dim seed
helpers.discriminators.bert_models:build_classifier (03) sequence_length=bert_sequence_length
    learning_rate=bert_learning_rate seed
helpers.discriminators.bert_train:train_classifier (03) epochs=bert_epochs batch_size=bert_batch_size
    patience=bert_patience seed
helpers.discriminators.bert_models:compile_classifier (03) learning_rate=bert_learning_rate
helpers.discriminators.bert_inputs:check_pairs (03) sequence_length=bert_sequence_length
helpers.discriminators.scoring:realism_model_dir (06) choice=realism_model
helpers.pipeline.evaluate:pick_test_comments (05) seed
helpers.pipeline.evaluate:evaluate (05) n_candidates run_name seed
helpers.reddit.client:connect (07) praw_ini
helpers.reddit.client:make_reddit (07) praw_site praw_ini
helpers.reddit.client:resolve_settings (07) praw_site praw_ini
helpers.discriminators.bert_train:split (03) max_train_rows=bert_max_train_rows seed
helpers.discriminators.bert_train:realism_frame (03) sequence_length=bert_sequence_length seed
helpers.discriminators.bert_train:upvote_frame (04) sequence_length=bert_sequence_length
helpers.rounds.adversarial:run_rounds (08) rounds=adv_rounds mode=adv_mode run_name
    train_comments=adv_train_comments eval_comments=adv_eval_comments n_candidates epochs=adv_epochs
    batch_size=bert_batch_size learning_rate=bert_learning_rate max_train_rows=adv_max_train_rows base=bert_base
    seed
helpers.live.select:select_candidates (06) min_prob_real max_length=max_reply_chars n_runner_ups allow_links
helpers.live.select:build_review (06) min_prob_real max_length=max_reply_chars n_runner_ups allow_links
helpers.live.posting_settings:PostSettings (06) dry_run auto_approve max_posts_per_run max_posts_per_subreddit_per_day
    delay_min_s delay_max_s max_rate_limit_wait_s footer=disclosure_footer seed
    max_turns_per_thread=max_bot_turns_per_thread
helpers.live.text_rules:TextRules (06) max_length=max_reply_chars allow_links
helpers.data.prepare:prepare (00) max_chars validation_fraction test_fraction seed
helpers.data.prepare:clean_pairs (00) max_chars
helpers.generator.fakes:generate_fakes (02) chunk_size=fake_chunk_size n=n_candidates
helpers.generator.fakes:select_comments (02) max_comments=fake_max_comments
helpers.live.proposals:propose_replies (05) n=n_candidates
helpers.live.proposals:fetch_comments (05) posts_per_subreddit min_comment_score
helpers.generator.generation:GenerationEngine.generate (05) n=n_candidates temperature top_k top_p
    length=max_reply_tokens
helpers.reddit.client:connect (05) reddit praw_site
helpers.live.lease:posting_lock (06) break_lease wait_s=lease_wait_s
helpers.pipeline.evaluate:evaluate (06) realism_model min_prob_real max_reply_chars
helpers.outcomes.outcomes:track (07) count_replies
helpers.outcomes.outcomes:check_outcomes (07) count_replies
helpers.discriminators.metrics:pairwise_accuracy (04) min_gap=pairwise_min_gap
"""


def _cases() -> list[tuple[str, str, str, str, str]]:
    out, entries = [], []
    for line in TABLE.strip("\n").splitlines():
        if line.startswith(" "):
            entries[-1] += line
        else:
            entries.append(line)
    for entry in entries:
        where, key, *args = entry.split()
        mod, fn = where.split(":")
        for arg in args:
            name, _, param = arg.partition("=")
            out.append((mod, fn, name, param or name, key.strip("()")))
    return out


CASES = _cases()


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
