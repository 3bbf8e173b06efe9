"""Stage 08's fresh fakes: which comments a round writes for, and the generation process.

Generation runs in its own process (``python -m helpers.rounds.adversarial_fakes generate ...``), because
gpt-2-simple's TF1 graph and the Keras 3 BERT model that 08 trains must not share a runtime. A round's file is written
whole (atomic), so a round killed while generating starts its generation again and one killed later reuses the file.
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

import numpy as np
import pandas as pd

from .. import drive as drv
from ..contract import default
from ..errors import InputError, StageError
from ..files import read_csv, write_csv
from ..procgroup import run_child


def fakes_path(root: str | Path, k: int) -> Path:
    return Path(root, drv.ADVERSARIAL_FAKES.format(k))


def pick_comments(generate: pd.DataFrame, k: int, n_train: int, n_eval: int, seed: int) -> pd.DataFrame:
    """Round k's comments: n_train from the train split, n_eval held out from test (validation if test is empty).
    A different sample every round (seeded by seed and k), so each round's fakes are fresh."""
    df = generate.copy()
    for col in ("comment_id", "thread_id", "subreddit", "split"):
        if col not in df.columns:
            raise InputError(f"missing column {col!r}", file=drv.GPT2_GENERATE)
    df = df[df["comment"].fillna("").astype(str).str.strip() != ""]
    train = df[df["split"] == "train"]
    held = df[df["split"] == "test"]
    if held.empty:
        held = df[df["split"] == "validation"]
    if train.empty or held.empty:
        raise InputError("needs comments in the train split and in test (or validation)", file=drv.GPT2_GENERATE)
    rng = np.random.default_rng([int(seed), int(k)])
    take = lambda part, n: part.iloc[np.sort(rng.choice(len(part), min(n, len(part)), replace=False))]  # noqa: E731
    out = pd.concat([take(train, n_train).assign(split="train"), take(held, n_eval).assign(split="test")])
    return out[["comment", "comment_id", "thread_id", "subreddit", "split"]].reset_index(drop=True)


def generate_round(root: str | Path, k: int, comments: pd.DataFrame, run_name: str = default("run_name", "08"),
                   n: int = default("n_candidates", "08"), seed: int = default("seed", "08"),
                   timeout_s: float = 3600, **gen: float) -> tuple[Path, float]:
    """Write adversarial/round_<k>_fakes.csv with a subprocess; kept as is when it exists (resume). gen: temperature,
    top_k, top_p, length (each left out takes notebook 08's default)."""
    out = fakes_path(root, k)
    return out, generate_to(root, run_name, comments, out, n, seed, f"round {k}: generating fakes", timeout_s, **gen)


def generate_to(root: str | Path, run_name: str, comments: pd.DataFrame, out: Path, n: int, seed: int, what: str,
                timeout_s: float = 3600, **gen: float) -> float:
    """Write ``out`` (02's columns: n samples per comment from checkpoint/<run_name>) in a subprocess, so gpt-2-simple's
    TF1 graph never shares the kernel with Keras; kept as is when it exists (resume). Returns the seconds spent;
    ``what`` names the work in errors. 08's rounds and 09's generator rounds both sample here."""
    if out.exists():
        return 0.0
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="gen_comments_") as tmp:
        src = Path(tmp, "comments.csv")
        comments.to_csv(src, index=False)
        cmd = [sys.executable, "-m", "helpers.rounds.adversarial_fakes", "generate", "--checkpoint-dir",
               str(Path(root, drv.CHECKPOINT_DIR)), "--run-name", run_name, "--comments", str(src), "--out", str(out),
               "--n", str(n), "--seed", str(seed)]
        for key, value in gen.items():
            cmd += [f"--{key.replace('_', '-')}", str(value)]
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
                   PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                               os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
        try:
            proc = run_child(cmd, capture_output=True, text=True, env=env, timeout=timeout_s)  # dies with the kernel
        except subprocess.TimeoutExpired:
            raise StageError(f"{what} took over {timeout_s:.0f} s; run again to retry") from None
    if proc.returncode != 0 or not out.exists():
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise StageError(f"{what} failed (exit {proc.returncode}):\n{tail}")
    return time.time() - t0


def _generate_main(a: argparse.Namespace) -> int:
    """The subprocess: load the checkpoint once, write every comment's fakes in 02's columns."""
    from ..generator.fakes import fakes_frame
    from ..generator.generation import GenerationEngine

    comments = read_csv(a.comments, required=["comment", "comment_id", "thread_id", "subreddit", "split"])
    with GenerationEngine(Path(a.checkpoint_dir), a.run_name, seed=a.seed) as engine:
        gen = engine.generate(comments["comment"].astype(str).tolist(), n=a.n, temperature=a.temperature,
                              top_k=a.top_k, top_p=a.top_p, length=a.length)
        stats = engine.last_stats
    write_csv(fakes_frame(comments, gen), a.out)
    print(json.dumps({"fakes": len(gen), **{k: v for k, v in stats.items() if isinstance(v, (int, float))}}))
    return 0


def parser() -> argparse.ArgumentParser:
    """The subprocess's command line; its defaults are notebook 08's."""
    ap = argparse.ArgumentParser(prog="python -m helpers.rounds.adversarial_fakes")
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write one round's fakes (run in its own process by run_rounds)")
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
    return ap


def main(argv: list[str] | None = None) -> int:
    return _generate_main(parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
