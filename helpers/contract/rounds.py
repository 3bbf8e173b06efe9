"""Stages 08 and 09 of the contract: adversarial refresh rounds of the realism classifier, and generator rounds
(reward-ranked fine-tuning of GPT-2 judged by a classifier that did not choose)."""

from __future__ import annotations

from .. import drive as drv
from .generator import GENERATOR, GENERATOR_READS, sampling
from .live import STAGE_06
from .spec import File, P, Stage

STAGE_08 = Stage(
    key="08", name="adversarial_refresh", part="rounds",
    title="Adversarial refresh: fresh fakes vs the realism classifier, round by round", runtime="GPU",
    reads=(File(drv.GPT2_GENERATE), File(drv.BERT_GAN_REAL), File(drv.BERT_GAN_FAKE),
           File(f"{drv.CHECKPOINT_DIR}/<run_name>/"), *GENERATOR_READS, File(drv.BERT_REALISM + "/"),
           File(f"{drv.BERT_BASE_DIR}/<bert_base>/"), File(drv.ADVERSARIAL_FAKES, "rounds already finished"),
           File(drv.ADVERSARIAL_MODEL + "/", "to continue"),
           File(drv.ADVERSARIAL_ROUNDS, "rounds already finished")),
    writes=(File(drv.ADVERSARIAL_FAKES), File(drv.ADVERSARIAL_MODEL + "/"), File(drv.ADVERSARIAL_ROUNDS),
            File(drv.ADVERSARIAL_JSON), File(drv.ADVERSARIAL_PNG)),
    params=(
    P("adv_rounds", 2, "refresh rounds in total (a re-run continues after the last finished one); online: 5-10", low=0),
    P("adv_mode", "continue",
      "continue (keep training the current classifier) | retrain (rebuild from bert_base each round)"),
    P("adv_restart", False, "True: forget earlier rounds and start again from 03's models/bert_realism"),
    P("adv_train_comments", 16, "train comments given fresh fakes each round (online: 500+)", low=1),
    P("adv_eval_comments", 8,
      "held-out test comments given fresh fakes each round, to measure on (online: 200+)", low=1),
    P("adv_epochs", 1, "training epochs per round (early stopping on validation loss)", low=1),
    P("bert_batch_size", 32, "rows per training step, as in 03 (the seed: 32)", low=1),
    P("bert_learning_rate", 1e-3,
      "as in 03: 1e-3 suits the tiny base trained from scratch; use 2e-5 for a pretrained BERT", low=0, low_open=True),
    P("adv_max_train_rows", 0, "sample at most this many training rows per round, every class kept (0: all)", low=0),
    P("bert_base", "tiny", "retrain mode: the base, as in 03 (tiny | bert_base_en_uncased | a local folder)"),
    *sampling("fakes"),
    GENERATOR,
    P("seed", 1234, "reproducibility: the comments picked per round, the sampling, the training order", low=0),
    ),
)

_FROM_06 = ("realism_model", "min_prob_real", "max_reply_chars", "blocklist", "allow_links")
_FROM_08 = ("adv_mode", "adv_train_comments", "adv_eval_comments", "adv_epochs", "bert_batch_size",
            "bert_learning_rate", "adv_max_train_rows", "bert_base")

STAGE_09 = Stage(
    key="09", name="generator_rounds", part="rounds",
    title="Generator rounds: reward-ranked fine-tuning, measured on a judge that did not choose", runtime="GPU",
    reads=(File(drv.GPT2_GENERATE), File(drv.GPT2_FINETUNE), File(drv.BERT_GAN_REAL),
           File(f"{drv.CHECKPOINT_DIR}/<run_name>/"), File(f"{drv.GPT2_MODELS}/<base_model>/"),
           File(drv.BERT_REALISM + "/"), File(drv.ADVERSARIAL_MODEL + "/"), File(drv.BERT_UPVOTE + "/"),
           File(drv.REVIEW_SHEET, "human signal: approved replies"),
           File(drv.OUTCOMES, "human signal: scores, removals"),
           File(drv.PROPOSED_REPLIES, "human signal: the approved replies' thread context"),
           File(drv.DATA_SUMMARY, "the data's thread-context depth"),
           File(drv.GENERATOR_ROUNDS, "rounds already finished"), File(drv.GENERATOR_ROUNDS_DIR + "/", "to resume"),
           File(f"{drv.CHECKPOINT_DIR}/<run_name>_g<round>/", "rounds already finished"),
           File(drv.BERT_GAN_FAKE, "gr_alternate only"), File(f"{drv.BERT_BASE_DIR}/<bert_base>/", "gr_alternate only"),
           File(drv.ADVERSARIAL_FAKES, "gr_alternate only"), File(drv.ADVERSARIAL_ROUNDS, "gr_alternate only")),
    writes=(File(f"{drv.CHECKPOINT_DIR}/<run_name>_g<round>/", "one new checkpoint per round"),
            File(f"{drv.CHECKPOINT_DIR}/<run_name>_g<round>_placebo/", "the round's placebo arm, never used"),
            File(drv.GENERATOR_ROUNDS_DIR + "/"), File(drv.GENERATOR_ROUNDS), File(drv.GENERATOR_ROUNDS_PNG),
            File(drv.ADVERSARIAL_FAKES, "gr_alternate only"), File(drv.ADVERSARIAL_MODEL + "/", "gr_alternate only"),
            File(drv.ADVERSARIAL_ROUNDS, "gr_alternate only")),
    params=(
    *sampling("candidates"),
    P("base_model", "tiny", "the GPT-2 base 01 fine-tuned from (tiny | 124M | 355M): gpt-2-simple needs its files"),
    P("gr_rounds", 2, "generator rounds in total (a re-run continues after the last finished one)", low=0),
    P("gr_restart", False, "True: forget the earlier rounds: their table, files and checkpoints (01's stays)"),
    P("gr_prompts", 16, "train-split comments given n_candidates candidates each per round (online: 500+)", low=1),
    P("gr_eval_comments", 8, "held-out comments measured on (test, then validation split), the same every round; "
      "fewer than 80% power needs for gr_min_gain: never accepted (online: 200+)", low=1),
    P("gr_reward", "select",
      "select (06's rule: pass the filters and realism threshold, best expected_score) | combined (pass them, best "
      "prob_real x expected_score) | fresh (pass them, best prob_real under a fresh TF-IDF judge trained against "
      "the current generator's own candidates, cross-fitted by prompt)"),
    P("gr_replay_share", 0.5, "share of the training set that is real train pairs (keeps GPT-2 near real text)",
      low=0, high=1, high_open=True),
    P("gr_human_weight", 2, "copies of a reply a person approved in 06 that 07 saw reach a score of 2 or more",
      low=1),
    P("gr_steps", 10, "fine-tuning steps per round (low: each round nudges, not retrains)", low=1),
    P("gr_learning_rate", 1e-4, "fine-tuning learning rate per round (online: 1e-5)", low=0, low_open=True),
    P("gr_batch_size", 1, "1024-token windows per step", low=1),
    P("heldout_judge", "bert_realism",
      "the realism classifier that never chooses: a folder under the Drive root or a name under models/ "
      "(bert_realism: 03's, fair while 06 scores with 08's refreshed one)"),
    P("gr_min_gain", 0.02,
      "accept only if a fresh judge's AUC falls by more than this against both the base and the placebo (the paired "
      "bootstrap CI's lower bound; also the gain the eval size must have 80% power for)", low=0),
    P("gr_gold_judges", ["tfidf"],
      "the fresh judges of the gold measure: tfidf (char 2-5-grams + logistic regression, seconds) and/or bert "
      "(trained from the bert_base weights, minutes); with several, a round must beat base and placebo on every one"),
    P("gr_judge_prompts", 32, "train-split comments each generator samples for its fresh judge to learn from", low=1),
    P("gr_max_copy_rise", 0.03, "reject a round whose share of verbatim copies of its training replies rises by "
      "more than this", low=0),
    P("gr_max_length_drift", 0.15, "reject a round whose mean reply length (words) changes by more than this share",
      low=0),
    P("gr_eval_candidates", 4, "candidates per comment each generator samples for the fresh judges (the gold "
      "measure): more comments beat more candidates per comment", low=1),
    P("gr_bootstrap", 1000, "bootstrap resamples of the eval comments for every CI", low=100),
    P("gr_max_distinct2_drop", 0.05, "reject a round whose matched distinct-2 falls by more than this", low=0),
    P("gr_max_test_loss_rise", 0.05,
      "reject a round whose loss on real test replies is above run1's (the first checkpoint's) by more than this "
      "share", low=0),
    P("gr_alternate", False, "True: after each generator round, one 08 refresh round on the new generator's fakes"),
    *(STAGE_06.param(n) for n in _FROM_06),
    *(STAGE_08.param(n) for n in _FROM_08),
    P("seed", 1234, "reproducibility: the prompts per round, the sampling, the replay rows, the training order",
      low=0),
    ),
)
