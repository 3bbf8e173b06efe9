"""Does thread context help? Held-out reply loss of GPT-2 fine-tuned at context_depth 0 and at depth d, on the same
pairs, scored on threads neither model trained on (the test and validation splits).

`python -m bench context` (numbers in bench/results.json, `context`). Offline, so the corpus is the bundled sample,
with one stand-in: the sample has no titles, so each thread's title is its opening post's text. The sample's comments
are all top-level, so at depth d the context is the title alone; the arms train on the same pairs and differ only in
the documents' form. Both arms fine-tune the same tiny base (one BPE vocabulary, built from the union of both arms'
documents), so per-token losses compare; the measure is the mean negative log-likelihood (nats) of the reply's tokens
(its end marker included) given what precedes [SEP], per pair, and the difference (depth d minus depth 0) with a 95%
bootstrap interval over threads.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import drive as drv
from helpers.files import read_csv


def corpus() -> pd.DataFrame:
    """The sample's raw pairs with a title per thread (its opening post's text) and no ancestors."""
    from helpers.data.csv_source import load_sample

    raw = load_sample()
    return raw.assign(title=raw["submission"], ancestors="[]")


def prepare_arm(root: Path, depth: int) -> None:
    from helpers.data.prepare import prepare

    prepare(corpus(), drv.open_drive(str(root), "local"), source="csv", context_depth=depth, verbose=False)


def reply_nll(folder: Path, prompts: list[str], replies: list[str]) -> list[float]:
    """Mean NLL (nats per token) of each reply's tokens (`` reply<|endoftext|>``) after its prompt."""
    import tensorflow as tf
    from gpt_2_simple.src import encoder, model

    from helpers.generator.gpt2_checkpoint import checkpoint_prefix
    from helpers.text import END_TOKEN

    enc = encoder.get_encoder(str(folder))
    hp = model.default_hparams()
    hp.override_from_dict(json.loads((folder / "hparams.json").read_text()))
    out = []
    graph = tf.Graph()
    with graph.as_default(), tf.compat.v1.Session(graph=graph) as sess:
        x = tf.compat.v1.placeholder(tf.int32, [1, None])
        logits = model.model(hparams=hp, X=x)["logits"]
        nll = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=x[:, 1:], logits=logits[:, :-1])
        tf.compat.v1.train.Saver(var_list=tf.compat.v1.trainable_variables("model")).restore(
            sess, checkpoint_prefix(folder))
        for p, r in zip(prompts, replies):
            head, tail = enc.encode(p), enc.encode(f" {r}{END_TOKEN}")
            tokens = (head + tail)[-hp.n_ctx:]
            k = min(len(tail), len(tokens) - 1)
            out.append(float(sess.run(nll, {x: [tokens]})[0][-k:].mean()))
    return out


def run_arm(root: Path, base_dir: Path, steps: int) -> None:
    """Fine-tune one arm from the shared base (a child process: gpt-2-simple turns TF's eager mode off)."""
    from helpers.generator.gpt2_finetune import finetune, prepare_documents

    docs = prepare_documents(read_csv(root / drv.GPT2_FINETUNE, required=["text", "split"]))
    finetune(docs, root / drv.CHECKPOINT_DIR, base_dir, model_name="tiny", run_name="run1", steps=steps,
             save_every=steps, sample_every=0, seed=1234)


def score_arm(root: Path, depth: int, limit: int | None = None) -> pd.DataFrame:
    from helpers.context import conditioned, format_prompt

    real = read_csv(root / drv.BERT_GAN_REAL)
    held = real[real["split"].isin(["test", "validation"])].reset_index(drop=True).head(limit)
    sources = conditioned(held)
    prompts = [format_prompt(None, [], s, 0) for s in sources]  # the source already holds the context
    nll = reply_nll(root / drv.CHECKPOINT_DIR / "run1", prompts, held["reply"].tolist())
    return held[["reply_id", "thread_id", "split"]].assign(nll=nll, depth=depth)


def bootstrap(diff: pd.DataFrame, n: int = 2000, seed: int = 7) -> tuple[float, float]:
    """95% interval of the mean per-pair difference, resampling whole threads."""
    rng = np.random.default_rng(seed)
    groups = [g["d"].to_numpy() for _, g in diff.groupby("thread_id")]
    means = []
    for _ in range(n):
        pick = rng.integers(0, len(groups), len(groups))
        means.append(np.concatenate([groups[i] for i in pick]).mean())
    lo, hi = np.percentile(means, [2.5, 97.5])
    return round(float(lo), 4), round(float(hi), 4)


def compare(scores: pd.DataFrame, depth: int) -> dict:
    wide = scores.pivot_table(index=["reply_id", "thread_id"], columns="depth", values="nll").dropna().reset_index()
    wide["d"] = wide[depth] - wide[0]
    lo, hi = bootstrap(wide)
    return {"pairs": len(wide), "threads": int(wide["thread_id"].nunique()),
            "reply_nll_depth0": round(float(wide[0].mean()), 4),
            f"reply_nll_depth{depth}": round(float(wide[depth].mean()), 4),
            "difference": round(float(wide["d"].mean()), 4), "difference_95ci_threads": [lo, hi],
            "pairs_better_with_context": round(float((wide["d"] < 0).mean()), 3)}


def run(smoke: bool = False, steps: tuple[int, ...] = (150, 600), depth: int = 2, work: str = "") -> dict:
    """Both arms trained to each total in ``steps`` (resuming: 600 continues the 150-step run), scored after each."""
    steps = (2,) if smoke else steps
    if not work:
        with tempfile.TemporaryDirectory(prefix="bench_context_") as tmp:
            return run(smoke, steps, depth, tmp)
    work_dir = Path(work)
    arms = {0: work_dir / "depth0", depth: work_dir / f"depth{depth}"}
    for d, root in arms.items():
        prepare_arm(root, d)
    from helpers.generator.gpt2_finetune import ensure_base_model, prepare_documents

    union = [t for root in arms.values()
             for t in prepare_documents(read_csv(root / drv.GPT2_FINETUNE, required=["text", "split"]))["train"]]
    ensure_base_model(work_dir / "base", "tiny", union, seed=1234)
    out: dict = {"depth": depth, "corpus": "the bundled sample; title = the opening post's text (the sample has no "
                                           "titles); held out: the test and validation threads"}
    for total in steps:
        for root in arms.values():
            subprocess.run([sys.executable, "-m", "bench.bench_context", "--child", str(root), str(work_dir / "base"),
                            str(total)], check=True, cwd=Path(__file__).resolve().parent.parent)
        scores = pd.concat([score_arm(root, d, limit=6 if smoke else None) for d, root in arms.items()])
        out[f"steps_{total}"] = compare(scores, depth)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", nargs=3, metavar=("ROOT", "BASE", "STEPS"), required=True)
    a = ap.parse_args(argv)
    run_arm(Path(a.child[0]), Path(a.child[1]), int(a.child[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
