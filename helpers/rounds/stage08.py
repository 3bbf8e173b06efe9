"""The seed wished for a GAN-like loop; this is its discriminator half, made real. Each of `adv_rounds` rounds:

1. the fine-tuned GPT-2 (`checkpoint/<run_name>`, or with `generator = "auto"` the newest accepted generator round
   descended from it; a checkpoint name pins one) writes `n_candidates` fresh fakes for `adv_train_comments` train
   comments and `adv_eval_comments` held-out test comments (a new sample every round) →
   `adversarial/round_<NN>_fakes.csv`;
2. the realism classifier is scored on the round's held-out fakes against the real test replies: **AUC before**;
3. it continues training (`adv_mode = "continue"`) or is rebuilt from its base and trained from scratch
   (`"retrain"`) on the real replies + 02's fakes + every round's train fakes so far;
4. the same AUC **after**. A falling "before" AUC over rounds means GPT-2's fresh fakes keep surprising the
   classifier; "after" shows how much training on them wins back.

The first round starts from 03's `models/bert_realism`; the result after the last round is
`models/bert_realism_refreshed`, which 06 uses from then on (its `realism_model = "auto"`; set
`realism_model = "bert_realism"` there to keep 03's). Generation runs in a separate process
(`helpers.generator.worker`), because gpt-2-simple's TF1 graph and the Keras 3 BERT model cannot share one.
Resumable round by round: each finished round is on Drive the moment it is written, and a re-run continues after the
last finished round; raise `adv_rounds` to add rounds, or set `adv_restart = True` to start over from 03's model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import drive as drv
from ..contract import Params, stage
from ..generator.lineage import Generator, use_generator
from ..stage import StageRun, globs, open_stage, push_outputs
from . import adversarial

KEY = "08"


@dataclass
class RefreshRun(StageRun):
    """An 08 run in progress: the parameters, the Drive root, and the rounds table once the rounds ran."""

    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    generator: Generator | None = None  # the checkpoint the fresh fakes are sampled from


def start(p: Params) -> RefreshRun:
    """The Drive root with every input pulled, the chosen generator checkpoint too; prints which generator."""
    drive = open_stage(KEY, p)
    return RefreshRun(p, drive, generator=use_generator(drive, p.run_name, p.generator))


def resume(run: RefreshRun) -> None:
    """With `adv_restart`, forget every earlier round first (03's model is untouched); then say how many rounds are
    already done: a re-run continues after them."""
    if run.p.adv_restart:
        forget(run)
    print(len(adversarial.done_rounds(run.drive.root)), "round(s) done before this run")


def forget(run: RefreshRun) -> None:
    """Delete the earlier rounds' files here and, with the gdrive backend, remotely too: a stale round left on the
    remote Drive would be pulled back by the next runtime and taken for a finished round of the new refresh."""
    for rel in globs(stage(KEY).writes, run.p):
        for found in run.drive.glob(rel):  # a folder's glob matches the folder: remove every file below it
            for path in [found] if found.is_file() else sorted(found.rglob("*")):
                if path.is_file():
                    run.drive.remove(path)
    adversarial.restart(run.drive.root)


def refresh_rounds(run: RefreshRun) -> pd.DataFrame:
    """Run the rounds still to do; each round's fakes, and then its model and table row, are pushed to Drive the moment
    they are written (gdrive backend), so a disconnect loses at most the round in progress. The table of every
    round."""
    p, chosen = run.p, run.generator or use_generator(run.drive, run.p.run_name, run.p.generator)
    run.table = adversarial.run_rounds(
        run.drive.root, p.adv_rounds, mode=p.adv_mode, run_name=chosen.run_name, train_comments=p.adv_train_comments,
        eval_comments=p.adv_eval_comments, n_candidates=p.n_candidates, epochs=p.adv_epochs,
        batch_size=p.bert_batch_size, learning_rate=p.bert_learning_rate, max_train_rows=p.adv_max_train_rows,
        base=p.bert_base, seed=p.seed,
        gen=dict(temperature=p.temperature, top_k=p.top_k, top_p=p.top_p, length=p.max_reply_tokens),
        on_write=lambda: push_outputs(KEY, p, run.drive))
    return run.table


def plot(run: RefreshRun) -> Path:
    """The classifier's AUC on each round's fresh fakes before and after training on them, and the share of fakes
    passing as real."""
    return run.drive.path(drv.ADVERSARIAL_PNG)


def push(run: RefreshRun) -> None:
    """Send every round's fakes, the refreshed model and the rounds table to Drive once more (gdrive backend;
    elsewhere already there)."""
    push_outputs(KEY, run.p, run.drive)


STEPS = (resume, refresh_rounds, plot, push)
