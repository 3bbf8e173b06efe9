"""Fine-tunes GPT-2 with [gpt-2-simple](https://github.com/minimaxir/gpt-2-simple) on the train split of
`gpt2_finetune.csv`, one `comment [SEP] reply` document per row (gpt-2-simple wraps each in
`<|startoftext|>…<|endoftext|>`). The checkpoint goes to `checkpoint/<run_name>` on the Drive root; `gpt2_steps` is the
run's total, so re-running after a disconnect trains only the missing steps from the last complete save.
The loss on the validation split is reported before and after, and the training loss curve is saved as a PNG.

Offline default: the `tiny` base (2 layers, 128 wide, BPE vocabulary learned from the corpus), built on the Drive
root the first time. Online: `124M` or `355M` (the seed used 355M), downloaded once by gpt-2-simple. On a GPU
too small for a base with 01's defaults (355M on Colab's free 15 GB T4), 01 picks the first measured setting that fits
(frozen token embeddings, then plain SGD) and says so in its output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import drive as drv
from ..contract import Params
from ..files import read_csv
from ..stage import StageRun, open_stage, push_outputs
from ..words import counts
from .gpt2_finetune import finetune, prepare_documents, save_metrics
from .gpt2_fit import for_this_machine

KEY = "01"


@dataclass
class FinetuneRun(StageRun):
    docs: dict[str, list[str]] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)


def start(p: Params) -> FinetuneRun:
    return FinetuneRun(p, open_stage(KEY, p))


def documents(run: FinetuneRun) -> str:
    """One `comment [SEP] reply` document per row of gpt2_finetune.csv, per split; the first training document."""
    path = run.drive.path(drv.GPT2_FINETUNE)
    run.docs = prepare_documents(read_csv(path, required=["text", "split"]), file=str(path))
    print("documents:", counts({split: len(texts) for split, texts in run.docs.items()}))
    return run.docs["train"][0][:300]


def train(run: FinetuneRun) -> None:
    """Fine-tune up to `gpt2_steps` in total (a re-run resumes from the last save), with settings that fit this GPU."""
    p = run.p
    fit = for_this_machine(p.base_model)  # 355M with Adam does not fit a free 15 GB T4: 01 picks what does (README)
    print(fit.message or "default settings (no GPU seen, or the tiny base)")
    run.metrics = finetune(run.docs, run.drive.path(drv.CHECKPOINT_DIR), run.drive.path(drv.GPT2_MODELS),
                           model_name=p.base_model, run_name=p.run_name, steps=p.gpt2_steps,
                           learning_rate=p.gpt2_learning_rate, batch_size=p.gpt2_batch_size,
                           save_every=p.gpt2_save_every, sample_every=p.gpt2_sample_every, seed=p.seed,
                           samples_dir=run.drive.path(), optimizer=fit.optimizer,
                           only_train_transformer_layers=fit.only_train_transformer_layers)


def losses(run: FinetuneRun) -> tuple[dict[str, Any], Path]:
    """Validation loss before and after, and the training loss curve."""
    summary = save_metrics(run.metrics, run.drive.path(drv.GPT2_METRICS), run.drive.path(drv.GPT2_LOSS_PNG))
    return summary, run.drive.path(drv.GPT2_LOSS_PNG)


def push(run: FinetuneRun) -> None:
    """Send the base, the checkpoint, the samples and the metrics to Drive (gdrive backend)."""
    push_outputs(KEY, run.p, run.drive)


STEPS = (documents, train, losses, push)
