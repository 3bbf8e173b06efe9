"""Stage 08, adversarial refresh: the GAN-like loop the seed only wished for, run as rounds of discriminator catch-up.

Each round: (1) the current fine-tuned GPT-2 writes fresh fakes, for a sample of train comments (to learn from) and of
test comments (held out, to measure on); (2) the realism classifier is scored on the held-out fresh fakes against the
real test replies: AUC *before*; (3) it continues training (or is retrained from its base) on the real replies, 02's
fakes and every round's train fakes so far; (4) the same AUC *after*. One table row per round.

Generation runs in the GPT-2 worker process (helpers.generator.worker): gpt-2-simple's TF1 graph and the Keras 3
BERT model never share a runtime. Resumable round by round: a round's fakes file is written whole before training, and
the model (with its round number inside) is published whole before the table row, so a killed run redoes at most the
round it was in. The defaults of run_rounds are notebook 08's (helpers.contract).
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from .. import drive as drv
from .. import files
from ..contract import default
from ..errors import ConfigError, InputError
from ..files import read_csv, read_csvs, write_csv
from .adversarial_fakes import fakes_path, generate_round, pick_comments

log = logging.getLogger(__name__)

ROUND_FILE = "round.json"  # inside the refreshed model folder: which round it finished, and that round's row
ROUND_COLUMNS = ["round", "mode", "new_fakes_train", "new_fakes_eval", "real_eval", "train_rows", "epochs_run",
                 "auc_newest_before", "auc_newest_after", "auc_all_rounds_after", "fooled_before", "fooled_after",
                 "mean_prob_real_newest_before", "mean_prob_real_newest_after", "seconds_generate", "seconds_train"]
MODES = ("continue", "retrain")


# ---- (2-4) score, train, score again ------------------------------------------------------------------------------
def predict_real(clf, comments: list[str], replies: list[str], batch_size: int = 256) -> np.ndarray:
    """P(real) for clean string pairs: preprocess and call the model eagerly, batch by batch. keras' predict()
    builds and traces a fresh tf.data pipeline every call (seconds each); a round measures several small sets."""
    import tensorflow as tf

    from ..discriminators.bert_inputs import model_inputs

    out = []
    for i in range(0, len(comments), batch_size):
        c = np.asarray(comments[i:i + batch_size], dtype=object)
        r = np.asarray(replies[i:i + batch_size], dtype=object)
        x = model_inputs(clf.preprocess_samples((c, r)))
        out.append(tf.nn.softmax(tf.cast(clf(x, training=False), tf.float32), axis=-1).numpy()[:, 1])
    return np.concatenate(out) if out else np.zeros(0)


def prob_real(clf, df: pd.DataFrame) -> np.ndarray:
    """P(real) per row; unusable rows (empty text) are NaN."""
    from ..discriminators.bert_inputs import check_pairs

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
    from ..discriminators.metrics import binary_metrics

    p_real, p_fake = prob_real(clf, real_eval), prob_real(clf, fakes_eval)
    y = np.r_[np.ones(len(p_real)), np.zeros(len(p_fake))]
    p = np.r_[p_real, p_fake]
    keep = ~np.isnan(p)
    f = p_fake[~np.isnan(p_fake)]
    return {"auc": binary_metrics(y[keep], p[keep])["auc"], "mean_prob_real_fakes": float(f.mean()) if len(f) else None,
            "fooled": float((f >= 0.5).mean()) if len(f) else None}


def load_current(root: Path, learning_rate: float):
    """The classifier a round starts from: the last finished round's, else 03's; compiled for more training."""
    from ..discriminators.bert_models import compile_classifier, load_classifier

    current = Path(root, drv.ADVERSARIAL_MODEL)
    clf = load_classifier(current if (current / ROUND_FILE).exists() else Path(root, drv.BERT_REALISM))
    compile_classifier(clf, learning_rate)
    return clf


def fresh_classifier(root: Path, base: str, sequence_length: int, learning_rate: float, seed: int,
                     real: pd.DataFrame):
    """mode "retrain": a new classifier from the BERT base (the tiny one is shared with 03/04), trained from scratch."""
    from ..discriminators.bert_models import build_classifier, resolve_base
    from ..discriminators.bert_train import base_corpus

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
    new = [read_csv(fakes_path(root, k), required=["comment", "reply", "thread_id", "split"])
           for k in range(1, upto + 1)]
    new = [f[f["split"] == "train"] for f in new]
    return pd.concat([old, *new], ignore_index=True)


def run_rounds(root: str | Path, rounds: int = default("adv_rounds", "08"), *, mode: str = default("adv_mode", "08"),
               run_name: str = default("run_name", "08"), train_comments: int = default("adv_train_comments", "08"),
               eval_comments: int = default("adv_eval_comments", "08"),
               n_candidates: int = default("n_candidates", "08"), epochs: int = default("adv_epochs", "08"),
               batch_size: int = default("bert_batch_size", "08"),
               learning_rate: float = default("bert_learning_rate", "08"),
               max_train_rows: int = default("adv_max_train_rows", "08"), base: str = default("bert_base", "08"),
               seed: int = default("seed", "08"), gen: dict | None = None, progress=print,
               on_write: Callable[[], Any] = lambda: None) -> pd.DataFrame:
    """Run rounds len(done)+1 .. rounds; returns the whole table (finished rounds included).

    on_write() runs after each round's fakes and again after its model and table row are written: with the gdrive
    backend it uploads them, so a disconnect loses at most the round in progress."""
    from ..discriminators.bert_train import realism_frame, split, train_classifier

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
        on_write()
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
        on_write()
        progress(f"round {k}/{rounds}: AUC on its fresh fakes {_f(before['auc'])} -> {_f(after['auc'])}, "
                 f"passing as real {_f(before['fooled'])} -> {_f(after['fooled'])}")
    return write_table(root, rows)


def _f(x) -> str:
    return "n/a" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.3f}"


def publish_model(clf, root: Path, row: dict) -> Path:
    """The model and its round.json appear together (one folder rename); only then is the table row written."""
    from ..discriminators.metrics import json_safe

    out = Path(root, drv.ADVERSARIAL_MODEL)
    with files.atomic_dir(out) as tmp:
        clf.save_to_preset(str(tmp))
        (tmp / ROUND_FILE).write_text(json.dumps({"round": row["round"], "row": json_safe(row)}, default=str))
    return out


def write_table(root: Path, rows: list[dict]) -> pd.DataFrame:
    """metrics/adversarial_rounds.csv, .json and the AUC plot."""
    from ..discriminators.metrics import json_safe

    table = pd.DataFrame(rows).reindex(columns=ROUND_COLUMNS)
    write_csv(table, Path(root, drv.ADVERSARIAL_ROUNDS))
    files.write_json({"rounds": json_safe(table.astype(object).where(table.notna(), None).to_dict("records"))},
                   Path(root, drv.ADVERSARIAL_JSON))
    auc_png(table, Path(root, drv.ADVERSARIAL_PNG))
    return table


def auc_png(table: pd.DataFrame, path: Path) -> Path:
    from ..discriminators.metrics import figure, save_png

    fig, ax = figure((6, 4))
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
    return save_png(fig, path)
