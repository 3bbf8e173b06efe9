"""Offline evaluation, no Reddit: ``python -m helpers evaluate --drive DIR --n 50``.

For N comments of the test split: generate candidates with the fine-tuned GPT-2 (in its own process: gpt-2-simple's TF1
graph and the BERT models cannot share one; ``--generator auto`` takes the newest accepted generator round descended
from ``--run-name``, as 05 and 08 do, and a checkpoint folder name pins one), score them, select with 06's rule and
filters (06's defaults; one reply per comment, since every comment here is its own prompt), and measure candidates,
selected and the comments' real replies with helpers.quality. Written to ``metrics/evaluate_quality_<date>.json``;
shown in the report.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd

from .. import drive as drv
from .. import files, quality
from ..contract import default
from ..data import comment_sample
from ..errors import ConfigError
from ..filters import FilterSettings
from ..generator import worker
from ..generator.lineage import resolve_generator
from ..live.proposals import today
from ..live.select import select_candidates


def pick_test_comments(generate: pd.DataFrame, n: int, seed: int = default("seed")) -> pd.DataFrame:
    """N comments of the test split (validation when test is empty), a seeded sample kept in file order."""
    return comment_sample.pick(generate, "held", n, int(seed))


def generate_candidates(root: Path, comments: pd.DataFrame, run_name: str, n: int, seed: int,
                        timeout_s: float = 3600, **gen: float) -> pd.DataFrame:
    """02's columns (comment, reply, comment_id, ...) from the GPT-2 worker, which loads the checkpoint once and dies
    with this process."""
    with tempfile.TemporaryDirectory(prefix="evaluate_") as tmp:
        out = Path(tmp, "candidates.csv")
        worker.sample(root, run_name, comments, out, n=n, seed=seed, what="evaluate: generating candidates",
                      timeout_s=timeout_s, **gen)
        return files.read_csv(out, required=["comment", "reply", "comment_id"])


def evaluate(root: str | Path, n: int = 50, n_candidates: int = default("n_candidates", "05"),
             run_name: str = default("run_name", "05"), realism_model: str = default("realism_model", "06"),
             min_prob_real: float = default("min_prob_real", "06"),
             max_reply_chars: int = default("max_reply_chars", "06"), seed: int = default("seed", "05"),
             run_date: str = "", generator: str = default("generator", "05"), **gen: float) -> tuple[dict, Path]:
    """Generate, score, select and measure; returns the summary and the metrics file written. ``generator`` picks
    the checkpoint as 05 does (printed; the summary's ``generator``)."""
    from ..discriminators.scoring import Scorer, realism_model_dir

    root = Path(root)
    if n < 1 or n_candidates < 1:
        raise ConfigError(f"evaluate: --n and --n-candidates must be >= 1 (got {n}, {n_candidates})")
    comments = pick_test_comments(files.read_csv(root / drv.GPT2_GENERATE, required=["comment", "comment_id",
                                  "thread_id", "subreddit", "split"], hint="run stage 00 first"), n, seed)
    chosen = resolve_generator(root, run_name, generator)
    print(chosen.line)
    cands = generate_candidates(root, comments, chosen.run_name, n_candidates, seed, **gen)
    scorer = Scorer.load(realism_model_dir(root, realism_model), root / drv.BERT_UPVOTE)
    scored = scorer.score(cands.rename(columns={"reply": "proposed_reply"}).assign(
        post_id=lambda d: d["comment_id"].astype(str), title=""), comment_col="comment", reply_col="proposed_reply")
    filtered, review, summary = select_candidates(scored, min_prob_real, max_reply_chars, quality=FilterSettings())
    real = files.read_csv(root / drv.BERT_GAN_REAL, required=["comment", "reply", "comment_id"])
    real = real[real["comment_id"].astype(str).isin(set(comments["comment_id"].astype(str)))]
    k = len(review)  # distinct-n of every group also at the selected set's size
    groups = {"candidates": quality.quality_metrics(filtered, "proposed_reply", matched_size=k),
              "selected": quality.quality_metrics(review, "reply", matched_size=k)}
    if len(real):
        groups["real"] = quality.quality_metrics(scorer.score(real, comment_col="comment", reply_col="reply"),
                                                 "reply", matched_size=k)
    date = today(run_date)
    out = quality.quality_summary(groups, date=date, generator=chosen.run_name, comments=len(comments),
                                  n_candidates=n_candidates,
                                  min_prob_real=min_prob_real, matched_size=k, rejected=summary["rejected"],
                                  comments_with_a_selected_reply=len(review))
    path = files.write_json(out, root / quality.evaluate_path(date))
    return out, path


DESCRIPTION = ("Offline, no Reddit: for N comments of the test split, generate candidate replies with the fine-tuned "
               "GPT-2, score them, select with 06's rule and filters, and measure the candidates, the selected replies "
               "and the comments' real replies. Written to metrics/evaluate_quality_<date>.json and shown in the "
               "report.")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers evaluate", description=DESCRIPTION)
    ap.add_argument("--drive", default="drive", help="the Drive root (00-04 must have run)")
    ap.add_argument("--n", type=int, default=50, help="test-split comments to evaluate on")
    # every default is a notebook's (05 generates, 06 selects): helpers.contract
    ap.add_argument("--n-candidates", type=int, default=default("n_candidates", "05"),
                    help="candidates generated per comment")
    ap.add_argument("--run-name", default=default("run_name", "05"),
                    help="01's checkpoint, where the generator rounds start")
    ap.add_argument("--generator", default=default("generator", "05"),
                    help="auto: the newest accepted generator round descended from --run-name (as 05) | a checkpoint "
                         "folder name")
    ap.add_argument("--realism-model", default=default("realism_model", "06"))
    ap.add_argument("--min-prob-real", type=float, default=default("min_prob_real", "06"))
    ap.add_argument("--max-reply-chars", type=int, default=default("max_reply_chars", "06"))
    ap.add_argument("--temperature", type=float, default=default("temperature", "05"))
    ap.add_argument("--top-k", type=int, default=default("top_k", "05"))
    ap.add_argument("--length", type=int, default=default("max_reply_tokens", "05"), help="max reply tokens")
    ap.add_argument("--seed", type=int, default=default("seed", "05"))
    ap.add_argument("--run-date", default="", help="names the output file, YYYY-MM-DD (default today, UTC)")
    a = ap.parse_args(argv)
    summary, path = evaluate(a.drive, a.n, a.n_candidates, a.run_name, a.realism_model, a.min_prob_real,
                             a.max_reply_chars, a.seed, a.run_date, a.generator, temperature=a.temperature,
                             top_k=a.top_k, length=a.length)
    with pd.option_context("display.width", 140, "display.float_format", "{:.3f}".format):
        print(quality.quality_table(summary).to_string())
    print(quality.summary_line(summary))
    print("rejected:", summary["rejected"] or "none")
    print(f"wrote {path}")
    return 0
