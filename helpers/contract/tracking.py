"""Stages 07–08 of the contract: how posted replies fare, and adversarial refresh rounds of the realism classifier."""

from __future__ import annotations

from .. import drive as drv
from .generator import GENERATOR, GENERATOR_READS, sampling
from .live import REDDIT
from .spec import File, P, Stage

STAGE_07 = Stage(
    key="07", name="track_outcomes", part="tracking", title="Track what happened to the posted replies", runtime="CPU",
    talks_to_reddit=True,
    reads=(File(drv.POSTING_LEDGER), File(drv.REPLY_SCORES), File(drv.REVIEW_SHEET), File(drv.OUTCOME_HISTORY),
           File(drv.HOLDS)),
    writes=(File(drv.OUTCOME_HISTORY, "pushed under the posting lock", synced=False), File(drv.OUTCOMES),
            File(drv.HOLDS, "where trouble was seen"), File(drv.PREFLIGHT),
            File(drv.OUTCOME_METRICS), File(drv.OUTCOME_CONFUSION), File(drv.OUTCOME_CALIBRATION),
            File(drv.OUTCOME_GROWTH), File(drv.POSTING_LEASE, "while writing", synced=False)),
    reads_also="Reddit (the bot's replies)",
    params=(
    *REDDIT,
    P("praw_ini", "", 'live: a praw.ini file to read praw_site from ("": the praw.ini files PRAW itself finds)'),
    P("count_replies", True,
      "also count each reply's replies (one request per reply; scores alone are batched by 100)"),
    P("break_lease", False,
      "True: take over a posting lease another run left on Drive (only when that run is surely gone)"),
    ),
)

STAGE_08 = Stage(
    key="08", name="adversarial_refresh", part="tracking",
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
