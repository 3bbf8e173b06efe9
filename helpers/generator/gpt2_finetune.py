"""Stage 01: fine-tune GPT-2 with gpt-2-simple on "comment [SEP] reply" documents, resumably.

``steps`` is the run's TOTAL number of steps: a re-run (or a run after a kill) trains only what is missing, starting
from the last complete save in checkpoint/<run_name>. gpt-2-simple writes its step counter and TF's checkpoint index
non-atomically and with absolute paths; ``repair_checkpoint`` makes both agree with the files actually on disk before
anything reads them, so a moved Drive folder or a half-written counter never sends a run back to the base weights.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Iterable

import pandas as pd

from .. import quiet
from ..contract import default
from ..errors import ConfigError, InputError, StageError
from ..files import write_bytes, write_csv, write_json
from ..text import END_TOKEN, START_TOKEN
from .gpt2_checkpoint import checkpoint_prefix, repair_checkpoint

log = logging.getLogger(__name__)

ONLINE_MODELS = ("124M", "355M", "774M", "1558M")
_LOSS_LINE = re.compile(r"^\[(\d+) \| [\d.]+\] loss=([\d.naninf]+) avg=")


# ---- data -------------------------------------------------------------------------------------------------------
def prepare_documents(df: pd.DataFrame, file: str = "gpt2_finetune.csv") -> dict[str, list[str]]:
    """{"train": [...], "validation": [...]} texts; empty rows are dropped and logged, no train rows is an error."""
    for col in ("text", "split"):
        if col not in df.columns:
            raise InputError(f"missing column {col!r}; found {list(df.columns)}", file=file)
    text = df["text"].astype("string").fillna("").str.strip()
    text = text.str.removesuffix(END_TOKEN).str.removeprefix(START_TOKEN).str.strip()
    empty = text == ""
    if empty.any():
        log.warning("%s: dropped %d empty text row(s) (first at row %d)", file, int(empty.sum()),
                    int(empty.to_numpy().nonzero()[0][0]) + 1)
    split = df["split"].astype("string").fillna("")
    docs = {s: text[(split == s) & ~empty].tolist() for s in ("train", "validation")}
    if not docs["train"]:
        raise InputError("no non-empty rows with split == 'train' to fine-tune on", file=file)
    return docs


def encode_docs(texts: list[str], enc, limit: int | None = None) -> list[int]:
    """Token ids of the documents as gpt-2-simple's CSV loader wraps them; stops once past ``limit`` tokens."""
    out: list[int] = []
    for t in texts:
        out += enc.encode(f"{START_TOKEN}{t}{END_TOKEN}\n")
        if limit is not None and len(out) > limit:
            break
    return out


def write_dataset(texts: list[str], path: Path, enc, n_ctx: int = 1024) -> None:
    """Write the CSV gpt-2-simple reads (column 0, one document a row); repeat it until it outgrows one window."""
    docs = list(texts)
    total = len(encode_docs(docs, enc, limit=n_ctx + 1))
    if total <= n_ctx + 1:
        reps = (n_ctx + 1) // max(total, 1) + 1
        log.warning("training text is %d tokens, under one %d-token window: repeating it %d times", total, n_ctx, reps)
        docs = docs * reps
    write_csv(pd.DataFrame({"text": docs}), path)


# ---- base models ------------------------------------------------------------------------------------------------
def ensure_base_model(models_dir: Path, model_name: str, corpus: Iterable[str] = (), seed: int = 1234) -> Path:
    """The base folder models_dir/<model_name>: `tiny` is built from the corpus, 124M/355M are downloaded once."""
    from ..offline.gpt2_tiny import is_model_dir, write_tiny_model

    folder = Path(models_dir) / model_name
    if is_model_dir(folder):
        return folder
    if model_name == "tiny":
        # Learn the merges from text as gpt-2-simple will feed it, markers included: then "startoftext" and
        # "endoftext" become single tokens the tiny model learns quickly, instead of runs of fragments it misspells.
        wrapped = (f"{START_TOKEN}{t}{END_TOKEN}\n" for t in corpus)
        return write_tiny_model(folder, wrapped, seed=seed, n_merges=1000)
    if model_name in ONLINE_MODELS:
        from gpt_2_simple import gpt_2 as gpt2

        gpt2.download_gpt2(model_dir=str(models_dir), model_name=model_name)
        return folder
    raise ConfigError(f"base_model must be 'tiny' or one of {ONLINE_MODELS} (downloaded), not {model_name!r}")


# ---- loss -------------------------------------------------------------------------------------------------------
def evaluate_loss(folder: Path, texts: list[str], max_windows: int = 8) -> float | None:
    """Mean next-token loss of the checkpoint in ``folder`` over up to max_windows 1024-token windows of ``texts``."""
    import tensorflow as tf
    from gpt_2_simple.src import encoder, model

    if not texts:
        return None
    folder = Path(folder)
    enc = encoder.get_encoder(str(folder))
    hparams = model.default_hparams()
    hparams.override_from_dict(json.loads((folder / "hparams.json").read_text()))
    n = hparams.n_ctx
    tokens = encode_docs(texts, enc, limit=n * max_windows)
    windows = [tokens[i:i + n] for i in range(0, len(tokens), n)][:max_windows]
    windows = [w for w in windows if len(w) >= 2]
    graph = tf.Graph()
    with graph.as_default(), tf.compat.v1.Session(graph=graph) as sess:
        x = tf.compat.v1.placeholder(tf.int32, [1, None])
        logits = model.model(hparams=hparams, X=x)["logits"]
        loss = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=x[:, 1:], logits=logits[:, :-1]))
        tf.compat.v1.train.Saver(var_list=tf.compat.v1.trainable_variables("model")).restore(
            sess, checkpoint_prefix(folder))
        total = sum(float(sess.run(loss, {x: [w]})) for w in windows)
    return round(total / sum(len(w) - 1 for w in windows), 4) if windows else None


class _Tee(io.TextIOBase):
    """Keep gpt-2-simple's prints for the loss curve; its per-step loss lines drive the step's progress bar, the rest
    (loading, saving, samples, advice for TF 1 such as use_memory_saving_gradients) go to the kernel log."""

    def __init__(self, out, total: int = 0, first_step: int = 0, log=None):
        self.out, self.log, self.lines, self.pending, self.first = out, log or out, io.StringIO(), "", first_step
        self.bar = quiet.bar(total=total, desc="fine-tuning", unit="step", file=out, disable=total <= 0)

    def write(self, s):
        self.lines.write(s)
        self.pending += s
        while "\n" in self.pending:
            line, self.pending = self.pending.split("\n", 1)
            m = _LOSS_LINE.match(line)
            if m and not self.bar.disable:
                self.bar.update(max(int(m.group(1)) - self.first - self.bar.n, 0))
                self.bar.set_postfix_str(line.split("] ", 1)[-1], refresh=False)
            else:
                print(line, file=self.log)
        return len(s)

    def flush(self):
        self.out.flush()

    def close(self):
        if self.pending:
            print(self.pending, file=self.log)
            self.pending = ""
        self.bar.close()


def parse_losses(printed: str) -> list[tuple[int, float]]:
    return [(int(m.group(1)), float(m.group(2))) for line in printed.splitlines() if (m := _LOSS_LINE.match(line))]


def plot_losses(history: list[tuple[int, float]], path: Path, title: str = "GPT-2 fine-tuning loss") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    if history:
        steps, losses = zip(*history)
        ax.plot(steps, losses, lw=1)
    ax.set(xlabel="step", ylabel="training loss", title=title)
    ax.grid(alpha=0.3)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return write_bytes(buf.getvalue(), path)


# ---- the run ----------------------------------------------------------------------------------------------------
def finetune(
    docs: dict[str, list[str]],
    checkpoint_dir: Path,
    models_dir: Path,
    model_name: str = default("base_model", "01"),
    run_name: str = default("run_name", "01"),
    steps: int = default("gpt2_steps", "01"),
    learning_rate: float = default("gpt2_learning_rate", "01"),
    batch_size: int = default("gpt2_batch_size", "01"),
    save_every: int = default("gpt2_save_every", "01"),
    sample_every: int = default("gpt2_sample_every", "01"),
    accumulate_gradients: int = 1,
    seed: int = default("seed", "01"),
    samples_dir: Path | None = None,
    eval_windows: int = 8,
    only_train_transformer_layers: bool = False,
    optimizer: str = "adam",
) -> dict:
    """Train checkpoint/<run_name> up to ``steps`` total steps; returns the metrics (losses before/after, history)."""
    import numpy as np
    import tensorflow as tf
    from gpt_2_simple import gpt_2 as gpt2
    from gpt_2_simple.src import encoder

    base = ensure_base_model(models_dir, model_name, docs["train"], seed=seed)
    run_dir = Path(checkpoint_dir) / run_name
    done = repair_checkpoint(run_dir) or 0
    start_folder = run_dir if done else base
    metrics = {"run_name": run_name, "base_model": model_name, "steps_target": int(steps), "steps_before": done,
               "train_docs": len(docs["train"]), "validation_docs": len(docs.get("validation", []))}
    metrics["train_loss_before"] = evaluate_loss(start_folder, docs["train"], eval_windows)
    metrics["validation_loss_before"] = evaluate_loss(start_folder, docs.get("validation", []), eval_windows)
    history_path = run_dir / "loss_history.json"
    history = [tuple(h) for h in _load_history(history_path) if h[0] <= done]
    todo = int(steps) - done
    if todo > 0:
        enc = encoder.get_encoder(str(base))
        with tempfile.TemporaryDirectory() as tmp:
            dataset = Path(tmp, "train.csv")
            write_dataset(docs["train"], dataset, enc)
            samples_root = Path(samples_dir) if samples_dir else Path(tmp)
            samples_root.mkdir(parents=True, exist_ok=True)
            random.seed(seed + done)  # gpt-2-simple's window sampler uses `random`
            np.random.seed(seed + done)
            tee = _Tee(sys.stdout, total=todo, first_step=done, log=quiet.log_stream())
            graph = tf.Graph()  # stderr: gpt-2-simple's own bar for loading the dataset, TF 1 warnings
            with graph.as_default(), _chdir(samples_root), contextlib.redirect_stdout(tee), \
                    contextlib.redirect_stderr(quiet.log_stream()):
                tf.compat.v1.set_random_seed(seed + done)
                sess = gpt2.start_tf_sess()
                try:
                    gpt2.finetune(
                        sess, dataset=str(dataset), steps=todo, model_name=model_name, model_dir=str(models_dir),
                        checkpoint_dir=str(checkpoint_dir), run_name=run_name, learning_rate=learning_rate,
                        batch_size=batch_size, accumulate_gradients=accumulate_gradients,
                        save_every=save_every if save_every > 0 else 10 ** 9,
                        sample_every=sample_every if sample_every > 0 else 10 ** 9,
                        sample_length=min(200, 1023), print_every=1, max_checkpoints=1, restore_from="latest",
                        only_train_transformer_layers=only_train_transformer_layers, optimizer=optimizer,
                    )
                finally:
                    sess.close()
                    tee.close()
            printed = tee.lines.getvalue()
            history += parse_losses(printed)
            if m := re.search(r"dataset has (\d+) tokens", printed):
                metrics["train_tokens"] = int(m.group(1))
    final = repair_checkpoint(run_dir) or 0
    history = sorted(dict(history).items())
    write_json([list(h) for h in history], history_path)
    if final < int(steps):
        raise StageError(f"fine-tuning stopped at step {final} of {steps} (interrupted?); re-run to resume from it")
    metrics.update(steps_after=final, loss_history=[list(h) for h in history])
    metrics["train_loss_after"] = evaluate_loss(run_dir, docs["train"], eval_windows)
    metrics["validation_loss_after"] = evaluate_loss(run_dir, docs.get("validation", []), eval_windows)
    return metrics


def _load_history(path: Path) -> list:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return []


@contextlib.contextmanager
def _chdir(path: Path):
    """gpt-2-simple writes samples/<run_name>/ under the working directory: keep them out of the notebooks folder."""
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def save_metrics(metrics: dict, json_path: Path, png_path: Path) -> dict:
    """Write metrics/gpt2_finetune.json (without the per-step history) and the loss-curve PNG; returns the summary."""
    history = [tuple(h) for h in metrics.get("loss_history", [])]
    summary = {k: v for k, v in metrics.items() if k != "loss_history"}
    summary["final_train_loss"] = history[-1][1] if history else None
    plot_losses(history, png_path, title=f"GPT-2 fine-tuning loss ({metrics.get('run_name', '')})")
    write_json(summary, json_path)
    return summary
