"""Stage 08, adversarial refresh: the GAN-like loop the seed only wished for, run as rounds of discriminator catch-up.

Each round: (1) the current fine-tuned GPT-2 writes fresh fakes, for a sample of train comments (to learn from) and of
test comments (held out, to measure on); (2) the realism classifier is scored on the held-out fresh fakes against the
real test replies: AUC *before*; (3) it continues training (or is retrained from its base) on the real replies, 02's
fakes and every round's train fakes so far; (4) the same AUC *after*. One table row per round.

Generation runs in a separate process (``python -m helpers.adversarial generate ...``): gpt-2-simple's TF1 graph and
the Keras 3 BERT model never share a runtime. Resumable round by round: a round's fakes file is written whole before
training, and the model (with its round number inside) is published whole before the table row, so a killed run
redoes at most the round it was in.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from . import drive as drv
from .drive import read_csv, read_csvs, write_csv
from .errors import ConfigError, InputError, StageError

log = logging.getLogger(__name__)

ROUND_FILE = "round.json"  # inside the refreshed model folder: which round it finished, and that round's row
ROUND_COLUMNS = ["round", "mode", "new_fakes_train", "new_fakes_eval", "real_eval", "train_rows", "epochs_run",
                 "auc_newest_before", "auc_newest_after", "auc_all_rounds_after", "fooled_before", "fooled_after",
                 "mean_prob_real_newest_before", "mean_prob_real_newest_after", "seconds_generate", "seconds_train"]
MODES = ("continue", "retrain")


def fakes_path(root: str | Path, k: int) -> Path:
    return Path(root, drv.ADVERSARIAL_FAKES.format(k))


# ---- (1) fresh fakes, in a separate process ----------------------------------------------------------------------
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


def generate_round(root: str | Path, k: int, comments: pd.DataFrame, run_name: str = "run1", n: int = 2,
                   seed: int = 1234, timeout_s: float = 3600, **gen: float) -> tuple[Path, float]:
    """Write adversarial/round_<k>_fakes.csv with a subprocess; kept as is when it exists (resume)."""
    out = fakes_path(root, k)
    if out.exists():
        return out, 0.0
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="adv_comments_") as tmp:
        src = Path(tmp, "comments.csv")
        comments.to_csv(src, index=False)
        cmd = [sys.executable, "-m", "helpers.adversarial", "generate", "--checkpoint-dir",
               str(Path(root, drv.CHECKPOINT_DIR)), "--run-name", run_name, "--comments", str(src), "--out", str(out),
               "--n", str(n), "--seed", str(seed)]
        for key, value in gen.items():
            cmd += [f"--{key.replace('_', '-')}", str(value)]
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
                   PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parent.parent),
                                               os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout_s)
    if proc.returncode != 0 or not out.exists():
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise StageError(f"round {k}: generating fakes failed (exit {proc.returncode}):\n{tail}")
    return out, time.time() - t0


def _generate_main(a: argparse.Namespace) -> int:
    """The subprocess: load the checkpoint once, write every comment's fakes in 02's columns."""
    from .fakes import fakes_frame
    from .generation import GenerationEngine

    comments = read_csv(a.comments, required=["comment", "comment_id", "thread_id", "subreddit", "split"])
    with GenerationEngine(Path(a.checkpoint_dir), a.run_name, seed=a.seed) as engine:
        gen = engine.generate(comments["comment"].astype(str).tolist(), n=a.n, temperature=a.temperature,
                              top_k=a.top_k, top_p=a.top_p, length=a.length)
        stats = engine.last_stats
    write_csv(fakes_frame(comments, gen), a.out)
    print(json.dumps({"fakes": len(gen), **{k: v for k, v in stats.items() if isinstance(v, (int, float))}}))
    return 0


# ---- (2-4) score, train, score again ------------------------------------------------------------------------------
def predict_real(clf, comments: list[str], replies: list[str], batch_size: int = 256) -> np.ndarray:
    """P(real) for clean string pairs: preprocess and call the model eagerly, batch by batch. keras' predict()
    builds and traces a fresh tf.data pipeline every call (seconds each); a round measures several small sets."""
    import tensorflow as tf

    from .scoring import _unpack

    out = []
    for i in range(0, len(comments), batch_size):
        c = np.asarray(comments[i:i + batch_size], dtype=object)
        r = np.asarray(replies[i:i + batch_size], dtype=object)
        x = _unpack(clf.preprocess_samples((c, r)))
        out.append(tf.nn.softmax(tf.cast(clf(x, training=False), tf.float32), axis=-1).numpy()[:, 1])
    return np.concatenate(out) if out else np.zeros(0)


def prob_real(clf, df: pd.DataFrame) -> np.ndarray:
    """P(real) per row; unusable rows (empty text) are NaN."""
    from .bert_train import check_pairs

    c, r, reasons, _ = check_pairs(df["comment"].tolist(), df["reply"].tolist(),
                                   int(clf.preprocessor.sequence_length))
    ok = np.array([not w for w in reasons], dtype=bool)
    out = np.full(len(df), np.nan)
    if ok.any():
        idx = np.flatnonzero(ok)
        out[idx] = predict_real(clf, [c[i] for i in idx], [r[i] for i in idx])
    return out


def evaluate(clf, real_eval: pd.DataFrame, fakes_eval: pd.DataFrame) -> dict:
    """AUC of real test replies vs held-out fakes, the fakes' mean P(real), and how many pass as real (>= 0.5)."""
    from .metrics import binary_metrics

    p_real, p_fake = prob_real(clf, real_eval), prob_real(clf, fakes_eval)
    y = np.r_[np.ones(len(p_real)), np.zeros(len(p_fake))]
    p = np.r_[p_real, p_fake]
    keep = ~np.isnan(p)
    f = p_fake[~np.isnan(p_fake)]
    return {"auc": binary_metrics(y[keep], p[keep])["auc"], "mean_prob_real_fakes": float(f.mean()) if len(f) else None,
            "fooled": float((f >= 0.5).mean()) if len(f) else None}


def load_current(root: Path, learning_rate: float):
    """The classifier a round starts from: the last finished round's, else 03's; compiled for more training."""
    from .bert_models import compile_classifier, load_classifier

    current = Path(root, drv.ADVERSARIAL_MODEL)
    clf = load_classifier(current if (current / ROUND_FILE).exists() else Path(root, drv.BERT_REALISM))
    compile_classifier(clf, learning_rate)
    return clf


def fresh_classifier(root: Path, base: str, sequence_length: int, learning_rate: float, seed: int,
                     real: pd.DataFrame):
    """mode "retrain": a new classifier from the BERT base (the tiny one is shared with 03/04), trained from scratch."""
    from .bert_models import build_classifier, resolve_base
    from .bert_train import base_corpus

    base_path = resolve_base(base, Path(root, drv.BERT_BASE_DIR), texts=base_corpus(real))
    return build_classifier(base_path, 2, sequence_length=sequence_length, learning_rate=learning_rate, seed=seed)


def done_rounds(root: str | Path) -> list[dict]:
    """Finished rounds' rows; a row whose model was published but whose table write was killed is recovered."""
    root = Path(root)
    table = Path(root, drv.ADVERSARIAL_ROUNDS)
    rows = read_csv(table, required=["round"]).to_dict("records") if table.exists() else []
    meta = Path(root, drv.ADVERSARIAL_MODEL, ROUND_FILE)
    model_round = json.loads(meta.read_text())["round"] if meta.exists() else 0
    if model_round > len(rows):
        rows.append(json.loads(meta.read_text())["row"])
    if model_round < len(rows):
        raise ConfigError(f"{table} lists {len(rows)} round(s) but {drv.ADVERSARIAL_MODEL} holds round "
                          f"{model_round}; run with adv_restart=True to start the refresh over")
    return rows


def restart(root: str | Path) -> None:
    """Forget every round: the refreshed model, the rounds' fakes and the table (03's model is untouched)."""
    root = Path(root)
    shutil.rmtree(root / drv.ADVERSARIAL_MODEL, ignore_errors=True)
    shutil.rmtree(root / drv.ADVERSARIAL_DIR, ignore_errors=True)
    for rel in (drv.ADVERSARIAL_ROUNDS, drv.ADVERSARIAL_JSON, drv.ADVERSARIAL_PNG):
        Path(root, rel).unlink(missing_ok=True)


def training_fakes(root: Path, upto: int) -> pd.DataFrame:
    """02's fakes plus the train-split fakes of rounds 1..upto (held-out test fakes are never trained on)."""
    old = read_csvs(Path(root).glob(drv.BERT_GAN_FAKE_GLOB), required=["comment", "reply", "thread_id", "split"])
    new = [read_csv(fakes_path(root, k), required=["comment", "reply", "thread_id", "split"]) for k in range(1, upto + 1)]
    new = [f[f["split"] == "train"] for f in new]
    return pd.concat([old, *new], ignore_index=True)


def run_rounds(root: str | Path, rounds: int = 2, *, mode: str = "continue", run_name: str = "run1",
               train_comments: int = 16, eval_comments: int = 8, n_candidates: int = 2, epochs: int = 1,
               batch_size: int = 16, learning_rate: float = 5e-5, max_train_rows: int = 0, base: str = "tiny",
               seed: int = 1234, gen: dict | None = None, progress=print) -> pd.DataFrame:
    """Run rounds len(done)+1 .. rounds; returns the whole table (finished rounds included)."""
    from .bert_train import realism_frame, split, train_classifier

    if mode not in MODES:
        raise ConfigError(f"adv_mode must be one of {MODES}, not {mode!r}")
    if rounds < 0:
        raise ConfigError(f"adv_rounds must be >= 0, not {rounds}")
    root = Path(root)
    rows = done_rounds(root)
    if len(rows) >= rounds:
        progress(f"{len(rows)} round(s) already done; nothing to do (raise adv_rounds for more)")
        return write_table(root, rows)
    generate = read_csv(root / drv.GPT2_GENERATE, required=["comment"], hint="run 00 first")
    real = read_csv(root / drv.BERT_GAN_REAL, required=["comment", "reply", "thread_id", "split"], hint="run 00")
    real_eval = real[real["split"] == "test"].reset_index(drop=True)
    if real_eval.empty:
        raise InputError("no real replies in the test split to measure against", file=drv.BERT_GAN_REAL)
    clf = load_current(root, learning_rate)
    seq = int(clf.preprocessor.sequence_length)
    for k in range(len(rows) + 1, rounds + 1):
        comments = pick_comments(generate, k, train_comments, eval_comments, seed)
        path, gen_s = generate_round(root, k, comments, run_name=run_name, n=n_candidates, seed=seed + k, **(gen or {}))
        fresh = read_csv(path, required=["comment", "reply", "split"])
        newest = fresh[fresh["split"] == "test"]
        before = evaluate(clf, real_eval, newest)
        if mode == "retrain":
            clf = fresh_classifier(root, base, seq, learning_rate, seed + k, real)
        t0 = time.time()
        data, _ = realism_frame(real, training_fakes(root, k), sequence_length=seq, seed=seed)
        parts = split(data, 2, max_train_rows=max_train_rows, seed=seed + k)
        fit = train_classifier(clf, parts, 2, epochs=epochs, batch_size=batch_size, seed=seed + k)
        after = evaluate(clf, real_eval, newest)
        all_eval = pd.concat([read_csv(fakes_path(root, j)).query("split == 'test'") for j in range(1, k + 1)])
        row = {"round": k, "mode": mode, "new_fakes_train": int((fresh["split"] == "train").sum()),
               "new_fakes_eval": int(len(newest)), "real_eval": int(len(real_eval)),
               "train_rows": int(fit["train_rows"]), "epochs_run": int(fit["epochs_run"]),
               "auc_newest_before": before["auc"], "auc_newest_after": after["auc"],
               "auc_all_rounds_after": evaluate(clf, real_eval, all_eval)["auc"],
               "fooled_before": before["fooled"], "fooled_after": after["fooled"],
               "mean_prob_real_newest_before": before["mean_prob_real_fakes"],
               "mean_prob_real_newest_after": after["mean_prob_real_fakes"],
               "seconds_generate": round(gen_s, 2), "seconds_train": round(time.time() - t0, 2)}
        publish_model(clf, root, row)
        rows.append(row)
        write_table(root, rows)
        progress(f"round {k}/{rounds}: AUC on its fresh fakes {_f(before['auc'])} -> {_f(after['auc'])}, "
                 f"passing as real {_f(before['fooled'])} -> {_f(after['fooled'])}")
    return write_table(root, rows)


def _f(x) -> str:
    return "n/a" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.3f}"


def publish_model(clf, root: Path, row: dict) -> Path:
    """The model and its round.json appear together (one folder rename); only then is the table row written."""
    from .metrics import json_safe

    out = Path(root, drv.ADVERSARIAL_MODEL)
    with drv.atomic_dir(out) as tmp:
        clf.save_to_preset(str(tmp))
        (tmp / ROUND_FILE).write_text(json.dumps({"round": row["round"], "row": json_safe(row)}, default=str))
    return out


def write_table(root: Path, rows: list[dict]) -> pd.DataFrame:
    """metrics/adversarial_rounds.csv, .json and the AUC plot."""
    from .metrics import json_safe

    table = pd.DataFrame(rows).reindex(columns=ROUND_COLUMNS)
    write_csv(table, Path(root, drv.ADVERSARIAL_ROUNDS))
    drv.write_json({"rounds": json_safe(table.astype(object).where(table.notna(), None).to_dict("records"))},
                   Path(root, drv.ADVERSARIAL_JSON))
    auc_png(table, Path(root, drv.ADVERSARIAL_PNG))
    return table


def auc_png(table: pd.DataFrame, path: Path) -> Path:
    from .metrics import _figure, _save

    fig, ax = _figure((6, 4))
    if len(table):
        x = table["round"].astype(int)
        ax.plot(x, table["auc_newest_before"].astype(float), "o--", label="AUC on the round's fakes, before")
        ax.plot(x, table["auc_newest_after"].astype(float), "o-", label="... after training on them")
        ax.plot(x, table["fooled_before"].astype(float), "s:", color="grey", label="fakes passing as real, before")
        ax.set_xticks(list(x))
    else:
        ax.text(0.5, 0.5, "no round yet", ha="center")
    ax.set(xlabel="refresh round", ylabel="AUC / fraction", ylim=(-0.02, 1.02),
           title="Adversarial refresh: realism classifier vs fresh fakes")
    ax.legend(loc="lower right", fontsize=8)
    return _save(fig, path)


def report_section(root: str | Path) -> str:
    from .report import df_table, img_tag, not_run, section

    root = Path(root)
    title = "Adversarial refresh rounds (08)"
    table = Path(root, drv.ADVERSARIAL_ROUNDS)
    if not table.exists():
        return section("adversarial", title, not_run("Stage 08"))
    df = pd.read_csv(table)
    note = ("<p>Each round: fresh GPT-2 fakes; the realism classifier's AUC (real test replies vs the round's "
            "held-out fakes) before and after training on old + new fakes.</p>")
    return section("adversarial", title, note + df_table(df, "adversarial-rounds") +
                   img_tag(Path(root, drv.ADVERSARIAL_PNG), "AUC per round"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers.adversarial")
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write one round's fakes (run in its own process by run_rounds)")
    g.add_argument("--checkpoint-dir", required=True)
    g.add_argument("--run-name", default="run1")
    g.add_argument("--comments", required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--n", type=int, default=2)
    g.add_argument("--seed", type=int, default=1234)
    g.add_argument("--temperature", type=float, default=0.7)
    g.add_argument("--top-k", type=int, default=40)
    g.add_argument("--top-p", type=float, default=0.0)
    g.add_argument("--length", type=int, default=100)
    args = ap.parse_args(argv)
    return _generate_main(args)


if __name__ == "__main__":
    sys.exit(main())
