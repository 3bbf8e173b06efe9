"""The one GPT-2 process: ``python -m helpers.generator.worker sample|finetune ...``, started by `launch` only.

Why a process: gpt-2-simple's TF1 graph and the Keras 3 BERT models that 08, 09 and ``evaluate`` load in the same
kernel must not share a runtime. Why one launcher: the child must die with the kernel that started it (a killed run
leaves nothing behind writing files), which procgroup.run_child gives; every caller (08's fresh fakes, 09's candidates
and fine-tuning, ``evaluate``'s candidates) goes through `launch`.

``sample`` writes 02's columns, n samples per comment from checkpoint/<run_name>, whole (atomic): a caller killed while
sampling starts that file again, one killed later reuses it. ``finetune`` trains a round's checkpoint: a copy of its
base (``checkpoint/run1`` -> ``checkpoint/run1_g1``, published whole) trained ``steps`` further with 01's resumable
fine-tuning, so a kill mid-training resumes from the new folder's last save and the base folder is never written.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from .. import drive as drv
from .. import files
from ..contract import default
from ..errors import StageError
from ..procgroup import run_child
from ..text import SEP

COMMENT_COLUMNS = ["comment", "comment_id", "thread_id", "subreddit", "split"]


def launch(args: list[str], what: str, timeout_s: float) -> str:
    """Run the worker with ``args`` in a child that dies with this process; its stdout. ``what`` names the work in
    errors (a timeout says to run again: finished files are kept)."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
               PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                           os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    cmd = [sys.executable, "-m", "helpers.generator.worker", *args]
    try:
        proc = run_child(cmd, capture_output=True, text=True, env=env, timeout=timeout_s)  # dies with the kernel
    except subprocess.TimeoutExpired:
        raise StageError(f"{what} took over {timeout_s:.0f} s; run again to resume") from None
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise StageError(f"{what} failed (exit {proc.returncode}):\n{tail}")
    return proc.stdout


def sample(root: str | Path, run_name: str, comments: pd.DataFrame, out: Path, *, n: int, seed: int, what: str,
           timeout_s: float = 3600, **gen: float) -> float:
    """Write ``out`` (02's columns: n samples per comment from checkpoint/<run_name>); kept as is when it exists
    (resume). gen: temperature, top_k, top_p, length (each left out takes notebook 08's default). Returns the seconds
    spent."""
    if out.exists():
        return 0.0
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="gen_comments_") as tmp:
        src = Path(tmp, "comments.csv")
        comments.to_csv(src, index=False)
        args = ["sample", "--checkpoint-dir", str(Path(root, drv.CHECKPOINT_DIR)), "--run-name", run_name,
                "--comments", str(src), "--out", str(out), "--n", str(n), "--seed", str(seed)]
        launch(args + [a for k, v in gen.items() for a in (f"--{k.replace('_', '-')}", str(v))], what, timeout_s)
    if not out.exists():
        raise StageError(f"{what}: the GPT-2 process ended without writing {out}")
    return time.time() - t0


def finetune(root: Path, base: str, new: str, train_csv: Path, out_json: Path, *, base_model: str, steps: int,
             learning_rate: float, batch_size: int, seed: int, timeout_s: float = 6 * 3600) -> dict:
    """Fine-tune checkpoint/<base> ``steps`` further into checkpoint/<new> and measure both on real test replies;
    ``out_json`` holds the result (a finished round's is reused)."""
    if not out_json.exists():
        launch(["finetune", "--root", str(root), "--base", base, "--new", new, "--train", str(train_csv), "--out",
                str(out_json), "--base-model", base_model, "--steps", str(steps), "--learning-rate",
                str(learning_rate), "--batch-size", str(batch_size), "--seed", str(seed)],
               f"fine-tuning {new} from {base}", timeout_s)
    return json.loads(out_json.read_text())


def weighted_documents(train: pd.DataFrame) -> list[str]:
    """01's document format ("comment [SEP] reply"), each row repeated by its weight."""
    return [f"{c} {SEP} {r}" for c, r, w in zip(train["comment"], train["reply"], train["weight"])
            for _ in range(int(w))]


def _sample_main(a: argparse.Namespace) -> int:
    """The child: load the checkpoint once, write every comment's samples in 02's columns."""
    from .fakes import fakes_frame
    from .generation import GenerationEngine

    comments = files.read_csv(a.comments, required=COMMENT_COLUMNS)
    with GenerationEngine(Path(a.checkpoint_dir), a.run_name, seed=a.seed) as engine:
        gen = engine.generate(comments["comment"].astype(str).tolist(), n=a.n, temperature=a.temperature,
                              top_k=a.top_k, top_p=a.top_p, length=a.length)
        stats = engine.last_stats
    files.write_csv(fakes_frame(comments, gen), a.out)
    print(json.dumps({"fakes": len(gen), **{k: v for k, v in stats.items() if isinstance(v, (int, float))}}))
    return 0


def _finetune_main(a: argparse.Namespace) -> int:
    """The child: copy the base, train it further with 01's resumable fine-tuning, measure the test loss."""
    from .gpt2_checkpoint import repair_checkpoint, start_from
    from .gpt2_finetune import evaluate_loss
    from .gpt2_finetune import finetune as gpt2_finetune
    from .gpt2_fit import for_this_machine

    root = Path(a.root)
    ckpt = root / drv.CHECKPOINT_DIR
    train = files.read_csv(a.train, required=["comment", "reply", "weight"])
    base_step = repair_checkpoint(ckpt / a.base) or 0
    start_from(ckpt, a.base, a.new)
    real = files.read_csv(root / drv.GPT2_FINETUNE, required=["text", "split"])
    test = real.loc[real["split"].astype(str) == "test", "text"].fillna("").astype(str).str.strip()
    test = test[test != ""].tolist()  # the generator's fit to real replies it never trained on
    fit = for_this_machine(a.base_model)  # 01's fit check: on a T4, 355M trains with the settings that fit
    if fit.message:
        print(fit.message, file=sys.stderr)
    metrics = gpt2_finetune({"train": weighted_documents(train), "validation": []}, ckpt, root / drv.GPT2_MODELS,
                            model_name=a.base_model, run_name=a.new, steps=base_step + a.steps,
                            learning_rate=a.learning_rate, batch_size=a.batch_size, save_every=0, sample_every=0,
                            seed=a.seed, eval_windows=2, optimizer=fit.optimizer,
                            only_train_transformer_layers=fit.only_train_transformer_layers)
    if (repair_checkpoint(ckpt / a.new) or 0) > base_step:  # the copied base save: 0.5-1.4 GB a round on Drive
        for old in (ckpt / a.new).glob(f"model-{base_step}.*"):
            old.unlink()
    out = {"base": a.base, "new": a.new, "base_step": base_step, "steps": a.steps,
           "train_loss_before": metrics.get("train_loss_before"), "train_loss_after": metrics.get("train_loss_after"),
           "test_loss_base": evaluate_loss(ckpt / a.base, test), "test_loss": evaluate_loss(ckpt / a.new, test)}
    files.write_json(out, Path(a.out))
    print(json.dumps(out))
    return 0


def parser() -> argparse.ArgumentParser:
    """The child's command line; sample's defaults are notebook 08's."""
    ap = argparse.ArgumentParser(prog="python -m helpers.generator.worker")
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("sample", help="n samples per comment from one checkpoint, in 02's columns")
    g.add_argument("--checkpoint-dir", required=True)
    g.add_argument("--run-name", default=default("run_name", "08"))
    g.add_argument("--comments", required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--n", type=int, default=default("n_candidates", "08"))
    g.add_argument("--seed", type=int, default=default("seed", "08"))
    g.add_argument("--temperature", type=float, default=default("temperature", "08"))
    g.add_argument("--top-k", type=int, default=default("top_k", "08"))
    g.add_argument("--top-p", type=float, default=default("top_p", "08"))
    g.add_argument("--length", type=int, default=default("max_reply_tokens", "08"))
    f = sub.add_parser("finetune", help="one generator round's fine-tuning (stage 09)")
    for name in ("--root", "--base", "--new", "--train", "--out", "--base-model"):
        f.add_argument(name, required=True)
    f.add_argument("--steps", type=int, required=True)
    f.add_argument("--learning-rate", type=float, required=True)
    f.add_argument("--batch-size", type=int, default=1)
    f.add_argument("--seed", type=int, default=1234)
    return ap


def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)
    return _sample_main(a) if a.cmd == "sample" else _finetune_main(a)


if __name__ == "__main__":
    sys.exit(main())
