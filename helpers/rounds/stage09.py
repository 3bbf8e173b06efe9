"""The seed's author wanted GPT-2 to learn from BERT's verdicts and gave up ("GPT-2 is not smart enough"); 08 moves the
judge, this stage moves the generator. Each of `gr_rounds` rounds of **reward-ranked fine-tuning**:

1. the current generator (the newest accepted round's `checkpoint/<run_name>_g<k>`, else 01's `<run_name>`) writes
   `n_candidates` candidates for `gr_prompts` comments of the **train split** (never validation or test);
2. 06's judges score them and 06's filters and `min_prob_real` reject; the best passing candidate per prompt is kept
   by the reward (`gr_reward`);
3. the training set is the kept candidates, replies a person approved in 06 (weighted up when 07 saw them reach
   score >= 2; never a reply a person left unapproved or Reddit removed) and real train pairs as `gr_replay_share`;
4. a copy of the current checkpoint is fine-tuned `gr_steps` steps at `gr_learning_rate` into
   `checkpoint/<run_name>_g<k>` (the previous one is never written);
5. a **placebo**: the same base fine-tuned the same steps, rate and number of documents on real train pairs only
   (`checkpoint/<run_name>_g<k>_placebo`, never used);
6. the **gold measure**: base, candidate and placebo each sample `gr_eval_candidates` replies for `gr_judge_prompts`
   train comments and `gr_eval_comments` held-out comments; each gold judge of `gr_gold_judges` (tfidf: char 2-5-grams
   + logistic regression; bert: a BertTextClassifier from the `bert_base` weights) trained from scratch
   on real train replies vs each generator's own samples is tested on the held-out comments (AUC: lower is harder to
   catch), with paired bootstrap CIs over comments, the noise floor (the base sampled twice) and the eval size 80%
   power needs for `gr_min_gain`. The choosing judges and the held-out judge `heldout_judge` are shown beside it;
7. the round is **accepted** only if, on every gold judge, its AUC is below both the base's and the placebo's with
   the CI's lower bound of the gain above `gr_min_gain`, on enough comments, and the guards hold: distinct-2 on
   >= 150 replies (`gr_max_distinct2_drop`), verbatim copies of training replies (`gr_max_copy_rise`), mean length
   (`gr_max_length_drift`), test loss against run1's (`gr_max_test_loss_rise`). Else "rejected" or "inconclusive",
   with the numbers, in `metrics/generator_rounds.csv`; the checkpoint stays on Drive, unused.

With `gr_alternate`, one 08 refresh round follows each generator round, so both sides move. GPT-2 runs in processes of
its own (gpt-2-simple's TF1 graph and the Keras 3 judges never share one). Resumable round by round: a re-run continues
after the last row of the table; `gr_restart = True` forgets the rounds (and their checkpoints) and starts over.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import drive as drv
from .. import files
from ..contract import Params
from ..errors import ConfigError
from ..generator import worker
from ..generator.lineage import done_rounds
from ..live.text_rules import TextRules
from ..stage import StageRun, open_stage, push_outputs
from . import generator_rounds as gr
from . import gold_judges
from .placebo import is_round_checkpoint

KEY = "09"


@dataclass
class RoundsRun(StageRun):
    table: pd.DataFrame = field(default_factory=pd.DataFrame)


def start(p: Params) -> RoundsRun:
    """The judges in this kernel take GPU memory only as they need it: by default TensorFlow would reserve the whole
    GPU here and leave the fine-tuning process none."""
    os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")
    return RoundsRun(p, open_stage(KEY, p))


def settings(p: Params) -> gr.Settings:
    gold_judges.check_judges(list(p.gr_gold_judges))
    return gr.Settings(
        run_name=p.run_name, rounds=p.gr_rounds, prompts=p.gr_prompts, eval_comments=p.gr_eval_comments,
        n_candidates=p.n_candidates, reward=p.gr_reward, replay_share=p.gr_replay_share,
        human_weight=p.gr_human_weight, min_prob_real=p.min_prob_real, text_rules=TextRules.from_params(p),
        min_gain=p.gr_min_gain, gold_judges=tuple(p.gr_gold_judges), bert_base=p.bert_base,
        max_distinct2_drop=p.gr_max_distinct2_drop, max_test_loss_rise=p.gr_max_test_loss_rise,
        heldout_judge=p.heldout_judge, judge_prompts=p.gr_judge_prompts, max_copy_rise=p.gr_max_copy_rise,
        max_length_drift=p.gr_max_length_drift, bootstrap=p.gr_bootstrap,
        eval_candidates=p.gr_eval_candidates, seed=p.seed)


def judge_dir(root: Path, name: str) -> Path:
    """A judge folder: absolute, under the Drive root, or a name under models/."""
    path = Path(name)
    if path.is_absolute():
        return path
    return Path(root, name) if Path(root, name).is_dir() else Path(root, drv.MODELS_DIR, name)


def real_tools(root: Path, p: Params) -> gr.Tools:
    """The tools of a real run: GPT-2 in subprocesses, 06's judges (re-resolved each call: with gr_alternate the
    refreshed classifier changes after every round) and the held-out judge, loaded here."""
    from ..discriminators.bert_models import load_classifier
    from ..discriminators.scoring import Scorer, realism_model_dir
    from .adversarial import prob_real

    held_dir = judge_dir(root, p.heldout_judge)
    if not held_dir.is_dir():
        raise ConfigError(f"heldout_judge {p.heldout_judge!r}: no classifier folder {held_dir}")
    cache: dict = {}

    def choosing_dir() -> Path:
        realism = realism_model_dir(root, p.realism_model)
        if realism.resolve() == held_dir.resolve():
            raise ConfigError(f"the held-out judge {held_dir} is the one that chooses (realism_model "
                              f"{p.realism_model!r}): set heldout_judge to another classifier, or run 08 first")
        return realism

    choosing_dir()  # before any work: a judge cannot be held out from itself
    held = load_classifier(held_dir)

    def scorer() -> Scorer:
        realism = choosing_dir()
        stamp = (str(realism), (realism / "round.json").stat().st_mtime if (realism / "round.json").exists() else 0)
        if cache.get("stamp") != stamp:
            cache.update(stamp=stamp, scorer=Scorer.load(realism, Path(root, drv.BERT_UPVOTE)))
        return cache["scorer"]

    gen = dict(temperature=p.temperature, top_k=p.top_k, top_p=p.top_p, length=p.max_reply_tokens)

    def alternate(generator: str, round_dir: Path):
        from . import adversarial

        target_file = Path(round_dir, "alternate_08_round.txt")
        if not target_file.exists():  # the 08 round this generator round asked for, kept so a resume never adds one
            files.write_text(str(len(adversarial.done_rounds(root)) + 1), target_file)
        target = int(target_file.read_text())
        table = adversarial.run_rounds(
            root, target, mode=p.adv_mode, run_name=generator, train_comments=p.adv_train_comments,
            eval_comments=p.adv_eval_comments, n_candidates=p.n_candidates, epochs=p.adv_epochs,
            batch_size=p.bert_batch_size, learning_rate=p.bert_learning_rate, max_train_rows=p.adv_max_train_rows,
            base=p.bert_base, seed=p.seed, gen=gen)
        return float(table.loc[table["round"] == target, "auc_newest_after"].iloc[0])

    return gr.Tools(
        sample=lambda run, comments, out, seed, n: worker.sample(root, run, comments, out, n=n, seed=seed,
                                                                  what=f"generating candidates with {run}", **gen),
        finetune=lambda base, new, train, out: worker.finetune(
            root, base, new, train, out, base_model=p.base_model, steps=p.gr_steps,
            learning_rate=p.gr_learning_rate, batch_size=p.gr_batch_size, seed=p.seed),
        score=lambda df: scorer().score(df, comment_col="comment", reply_col="proposed_reply"),
        heldout=lambda df: prob_real(held, df) if len(df) else np.zeros(0),
        alternate=alternate if p.gr_alternate else None)


def resume(run: RoundsRun) -> None:
    """With `gr_restart`, forget the earlier rounds first; then say how many are done (a re-run continues after them)
    and which generator the next round starts from."""
    if run.p.gr_restart:
        forget(run)
    rows = done_rounds(run.drive.root)
    print(len(rows), "round(s) done before this run;", "next round starts from checkpoint/"
          + next((str(r["run_name"]) for r in reversed(rows) if r["accepted"]), run.p.run_name))


def forget(run: RoundsRun) -> None:
    """Delete the earlier rounds' table, files and checkpoints here and, with the gdrive backend, remotely too: a stale
    round left on the remote Drive would be pulled back by the next runtime and taken for a finished one. 01's
    checkpoint and 08's files (gr_alternate) stay."""
    name = run.p.run_name
    found = [*run.drive.glob(drv.GENERATOR_ROUNDS_DIR + "/**/*"), *run.drive.glob(f"{drv.CHECKPOINT_DIR}/{name}_g*/*")]
    for path in found:
        if path.is_file() and (drv.CHECKPOINT_DIR not in path.parts or is_round_checkpoint(path.parent.name, name)):
            run.drive.remove(path)
    for rel in (drv.GENERATOR_ROUNDS, drv.GENERATOR_ROUNDS_PNG):  # the plot is not pulled: removed remotely as well
        run.drive.remove(run.drive.path(rel))
    gr.restart(run.drive.root, name)


def generator_rounds(run: RoundsRun) -> pd.DataFrame:
    """Run the rounds still to do, each pushed to Drive as its files are written; the table of every round."""
    root = Path(run.drive.root)
    run.table = gr.run_rounds(root, settings(run.p), real_tools(root, run.p),
                              on_write=lambda: push_outputs(KEY, run.p, run.drive))
    cols = ["round", "run_name", "base", "accepted", "choosing_prob_real_base", "choosing_prob_real",
            "heldout_prob_real_base", "heldout_prob_real", "pass_share", "distinct_2_base", "distinct_2",
            "test_loss_base", "test_loss", "adv_auc_newest", "reason"]
    return run.table.reindex(columns=cols)


def plot(run: RoundsRun) -> Path:
    """Held-out vs choosing judge, distinct-2 and test loss per round (round 0: the first round's base)."""
    return run.drive.path(drv.GENERATOR_ROUNDS_PNG)


def push(run: RoundsRun) -> None:
    """Send the rounds' checkpoints, files and table to Drive once more (gdrive backend; elsewhere already there)."""
    push_outputs(KEY, run.p, run.drive)


STEPS = (resume, generator_rounds, plot, push)
