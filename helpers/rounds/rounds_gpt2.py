"""Stage 09's GPT-2 work, each call in a process of its own (gpt-2-simple's TF1 graph and the Keras 3 BERT judges
that 09 loads must not share a runtime): sampling candidates (08's generation command, 05's engine) and fine-tuning a
round's checkpoint.

A round's checkpoint starts as a copy of its base (``checkpoint/run1`` -> ``checkpoint/run1_g1``, published whole), and
01's resumable fine-tuning trains it ``steps`` further: a kill mid-training resumes from the new folder's last save,
and the base folder is never written.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from .. import drive as drv
from .. import files
from ..errors import StageError
from ..procgroup import run_child
from .adversarial_fakes import generate_to


def _env() -> dict:
    return dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
                PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                            os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))


def _run(cmd: list[str], what: str, timeout_s: float) -> str:
    try:
        proc = run_child(cmd, capture_output=True, text=True, env=_env(), timeout=timeout_s)  # dies with the kernel
    except subprocess.TimeoutExpired:
        raise StageError(f"{what} took over {timeout_s:.0f} s; run again to resume") from None
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise StageError(f"{what} failed (exit {proc.returncode}):\n{tail}")
    return proc.stdout


def generate(root: Path, run_name: str, comments: pd.DataFrame, out: Path, n: int, seed: int,
             timeout_s: float = 3600, **gen) -> float:
    """Write ``out`` (02's columns) with candidates from checkpoint/<run_name> through 08's generation subprocess (the
    engine 05 uses); kept as is when it exists (resume). Returns the seconds spent."""
    return generate_to(root, run_name, comments, out, n, seed, f"generating candidates with {run_name}", timeout_s,
                       **gen)


def finetune(root: Path, base: str, new: str, train_csv: Path, out_json: Path, *, base_model: str, steps: int,
             learning_rate: float, batch_size: int, seed: int, timeout_s: float = 6 * 3600) -> dict:
    """Fine-tune checkpoint/<base> ``steps`` further into checkpoint/<new> and measure both on real test replies;
    ``out_json`` holds the result (a finished round's is reused)."""
    if out_json.exists():
        return json.loads(out_json.read_text())
    cmd = [sys.executable, "-m", "helpers.rounds.rounds_gpt2", "finetune", "--root", str(root), "--base", base,
           "--new", new, "--train", str(train_csv), "--out", str(out_json), "--base-model", base_model,
           "--steps", str(steps), "--learning-rate", str(learning_rate), "--batch-size", str(batch_size),
           "--seed", str(seed)]
    _run(cmd, f"fine-tuning {new} from {base}", timeout_s)
    return json.loads(out_json.read_text())


def start_from(checkpoint_dir: Path, base: str, new: str) -> Path:
    """checkpoint/<new> as a copy of checkpoint/<base>, published whole; an existing one (a resumed round) is kept."""
    src, dst = Path(checkpoint_dir, base), Path(checkpoint_dir, new)
    if (dst / "hparams.json").exists():
        return dst
    if not (src / "hparams.json").exists():
        raise StageError(f"no checkpoint {src} to start round {new} from")
    with files.atomic_dir(dst) as tmp:
        for f in src.iterdir():
            if f.is_file() and f.name != "loss_history.json" and not f.name.startswith("events.out.tfevents"):
                shutil.copy2(f, tmp / f.name)
    return dst


def _finetune_main(a: argparse.Namespace) -> int:
    """The subprocess: copy the base, train it further with 01's resumable fine-tuning, measure the test loss."""
    from ..generator.gpt2_checkpoint import repair_checkpoint
    from ..generator.gpt2_finetune import evaluate_loss
    from ..generator.gpt2_finetune import finetune as gpt2_finetune
    from ..generator.gpt2_fit import for_this_machine
    from .rounds_data import documents

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
    metrics = gpt2_finetune({"train": documents(train), "validation": []}, ckpt, root / drv.GPT2_MODELS,
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
    ap = argparse.ArgumentParser(prog="python -m helpers.rounds.rounds_gpt2")
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("finetune", help="one generator round's fine-tuning (run in its own process by stage 09)")
    for name in ("--root", "--base", "--new", "--train", "--out", "--base-model"):
        f.add_argument(name, required=True)
    f.add_argument("--steps", type=int, required=True)
    f.add_argument("--learning-rate", type=float, required=True)
    f.add_argument("--batch-size", type=int, default=1)
    f.add_argument("--seed", type=int, default=1234)
    return ap


def main(argv: list[str] | None = None) -> int:
    return _finetune_main(parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
