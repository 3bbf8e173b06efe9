"""The seed wished for a GAN-like loop; this is its discriminator half, made real. Each of `adv_rounds` rounds:

1. the fine-tuned GPT-2 (`checkpoint/<run_name>`) writes `n_candidates` fresh fakes for `adv_train_comments` train
   comments and `adv_eval_comments` held-out test comments (a new sample every round)
   → `adversarial/round_<NN>_fakes.csv`;
2. the realism classifier is scored on the round's held-out fakes against the real test replies: **AUC before**;
3. it continues training (`adv_mode = "continue"`) or is rebuilt from its base and trained from scratch
   (`"retrain"`) on the real replies + 02's fakes + every round's train fakes so far;
4. the same AUC **after**. A falling "before" AUC over rounds means GPT-2's fresh fakes keep surprising the
   classifier; "after" shows how much training on them wins back.

The first round starts from 03's `models/bert_realism`; the result after the last round is
`models/bert_realism_refreshed` (06 keeps using 03's model unless you point it there). Generation runs in a separate
process, because gpt-2-simple's TF1 graph and the Keras 3 BERT model cannot share one. Resumable round by round: a
re-run continues after the last finished round; raise `adv_rounds` to add rounds, or set `adv_restart = True` to
start over from 03's model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import drive as drv
from ..contract import Params
from ..stage import StageRun, open_stage, push_outputs
from . import adversarial

KEY = "08"


@dataclass
class RefreshRun(StageRun):
    table: pd.DataFrame = field(default_factory=pd.DataFrame)


def start(p: Params) -> RefreshRun:
    run = RefreshRun(p, open_stage(KEY, p))
    if p.adv_restart:
        adversarial.restart(run.drive.root)
    print(len(adversarial.done_rounds(run.drive.root)), "round(s) done before this run")
    return run


def rounds(run: RefreshRun) -> pd.DataFrame:
    """The missing rounds, each pushed to Drive as it finishes (gdrive); AUC before and after, round by round."""
    p = run.p
    run.table = adversarial.run_rounds(
        run.drive.root, p.adv_rounds, mode=p.adv_mode, run_name=p.run_name, train_comments=p.adv_train_comments,
        eval_comments=p.adv_eval_comments, n_candidates=p.n_candidates, epochs=p.adv_epochs,
        batch_size=p.bert_batch_size, learning_rate=p.bert_learning_rate, max_train_rows=p.adv_max_train_rows,
        base=p.bert_base, seed=p.seed,
        gen=dict(temperature=p.temperature, top_k=p.top_k, top_p=p.top_p, length=p.max_reply_tokens),
        on_write=lambda: push_outputs(KEY, p, run.drive))
    return run.table


def auc_plot(run: RefreshRun) -> Path:
    """AUC on each round's held-out fakes, before and after training on them."""
    return run.drive.path(drv.ADVERSARIAL_PNG)


def push(run: RefreshRun) -> None:
    """Send the rounds' fakes, the refreshed classifier and the round table to Drive (gdrive backend)."""
    push_outputs(KEY, run.p, run.drive)


STEPS = (rounds, auc_plot, push)
