"""The report's sections of the training stages (00-05): each shows its plots and a few named numbers, each explained
in a phrase; the full metrics file is folded away in a <details>. A stage that has not run says so."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import drive as drv
from ..drive import FETCH_SUMMARY, latest
from ..report_html import details, df_table, figures, img_tag, json_or_none, kv_table, not_run, read_table, section
from ..seed_figures import SEED


def _total(x) -> int | None:
    """rows_out: a number, or (older summaries) a number per split."""
    if isinstance(x, dict):
        return sum(v for v in x.values() if isinstance(v, (int, float)))
    return x if isinstance(x, (int, float)) else None


def _get(d: dict | None, *path):
    for k in path:
        d = d.get(k) if isinstance(d, dict) else None
    return d


def data_section(root: Path) -> str:
    """00: how many comment -> reply pairs the run learns from, and what was dropped."""
    summary = json_or_none(Path(root, drv.DATA_SUMMARY))
    title = "00 · Data: comment → reply pairs"
    if not summary:
        return section("data", title, not_run("Stage 00"))
    per_sub = summary.get("rows_per_subreddit")
    splits = summary.get("rows_per_split") or {}
    body = figures([
        ("pairs kept", _total(summary.get("rows_out")), "comment → reply pairs the models learn from"),
        ("dropped", summary.get("dropped_total"), "deleted, bots, duplicates, links… (counts below)"),
        ("test pairs", splits.get("test"), "held out by thread: every test figure is measured on these"),
        ("source", summary.get("source"), "where the pairs came from"),
    ], "data-figures")
    if isinstance(per_sub, dict) and per_sub:
        table = pd.DataFrame(per_sub).T.fillna(0).astype(int)
        order = [c for c in ("train", "validation", "test") if c in table.columns]
        table = table[order + [c for c in table.columns if c not in order]].rename_axis("subreddit").reset_index()
        body += "<h3>Rows per subreddit and split</h3>" + df_table(table, "data-per-subreddit")
    rest = {k: v for k, v in summary.items() if k != "rows_per_subreddit"}
    body += details("Raw summary (data_summary.json)", kv_table(rest, "data-summary"))
    return section("data", title, body)


def gpt2_section(root: Path) -> str:
    """01: did fine-tuning teach GPT-2 the subreddits' replies (validation loss before and after)."""
    m = json_or_none(Path(root, drv.GPT2_METRICS))
    title = "01 · GPT-2 fine-tuning"
    if not m:
        return section("gpt2", title, not_run("Stage 01") + img_tag(Path(root, drv.GPT2_LOSS_PNG), "loss"))
    body = figures([
        ("validation loss before", m.get("validation_loss_before"), "on held-out replies, before fine-tuning"),
        ("validation loss after", m.get("validation_loss_after"), "lower: real replies look likelier to GPT-2"),
        ("training steps", m.get("steps_after"), f"base model {m.get('base_model', '?')}"),
    ], "gpt2-figures")
    body += img_tag(Path(root, drv.GPT2_LOSS_PNG), "GPT-2 training loss curve")
    body += details("Raw metrics (gpt2_finetune.json)", kv_table(m, "gpt2-metrics"))
    return section("gpt2", title, body)


def fakes_section(root: Path) -> str:
    """02: the fakes the realism classifier learns to tell apart, and how they compare with real replies."""
    from . import quality_report

    chunks = sorted(Path(root).glob(drv.BERT_GAN_FAKE_GLOB))
    title = "02 · GPT-2 fakes"
    q = json_or_none(Path(root, drv.FAKES_QUALITY)) or {}
    if not chunks and not q:
        return section("fakes", title, not_run("Stage 02"))
    sig = json_or_none(Path(root, drv.BERT_GAN_FAKE_SIGNATURE)) or {}
    fakes, real = _get(q, "groups", "candidates") or {}, _get(q, "groups", "real") or {}
    body = figures([
        ("fake replies", fakes.get("n"), f"in {len(chunks)} chunk file(s), for the realism classifier"),
        ("distinct-2, fakes", fakes.get("distinct_2_matched"), "share of distinct word pairs: low = repetitive"),
        ("distinct-2, real", real.get("distinct_2_matched"), "the same on real replies, at the same set size"),
    ], "fakes-figures")
    body += quality_report.one_file(Path(root), drv.FAKES_QUALITY, "quality-fakes", "Quality of the fakes", "fakes")
    body += details("The checkpoint and settings the fakes were written with", kv_table(sig, "fakes-signature"))
    return section("fakes", title, body)


def realism_section(root: Path) -> str:
    """03: how well the realism classifier tells real replies from GPT-2 fakes, next to the seed's figures."""
    m = json_or_none(Path(root, drv.REALISM_METRICS))
    title = "03 · BERT realism classifier"
    if not m:
        return section("realism", title, not_run(title))
    body = figures([
        ("AUC", m.get("auc"), f"1 = always ranks a real reply above a fake (seed: {SEED['realism_auc']:.4f})"),
        ("accuracy", m.get("accuracy"), f"at threshold {m.get('threshold', 0.5)} (seed: "
                                        f"{SEED['realism_accuracy']:.4f}, on {SEED['realism_test_set']})"),
        ("test rows", m.get("n"), f"{m.get('positives', '?')} of them real"),
    ], "realism-figures")
    body += img_tag(Path(root, drv.REALISM_ROC), "realism_roc.png")
    body += details("Raw metrics (realism_metrics.json)", kv_table(m, "realism-metrics"))
    return section("realism", title, body)


def upvote_section(root: Path) -> str:
    """04: does the upvote classifier rank replies better than reply length does."""
    m = json_or_none(Path(root, drv.UPVOTE_METRICS))
    title = "04 · BERT upvote classifier"
    if not m:
        return section("upvote", title, not_run(title))
    pw = m.get("pairwise") or {}
    ref = pw.get("dialogrpt_reference") or {}
    body = figures([
        ("pairwise accuracy", pw.get("model_accuracy"),
         f"of two replies to one comment, picks the higher-scored one ({pw.get('pairs', '?')} pairs)"),
        ("length baseline", pw.get("length_baseline_accuracy"), "the same, picking the longer reply: to beat"),
        ("macro AUC", m.get("macro_auc"), "mean of the 4 score bins' one-vs-rest AUC; the seed showed only a curve"),
        ("accuracy", m.get("accuracy"), "exact score bin, of 4"),
    ], "upvote-figures")
    if ref:
        body += (f'<p class="muted">For scale: DialogRPT\'s updown model reaches {ref.get("updown_model")} pairwise '
                 f'accuracy against a length baseline of {ref.get("length_baseline")} on Reddit.</p>')
    body += img_tag(Path(root, drv.UPVOTE_ROC), "upvote_roc.png") + img_tag(Path(root, drv.UPVOTE_CONFUSION),
                                                                            "upvote_confusion.png")
    body += details("Raw metrics (upvote_metrics.json)", kv_table(m, "upvote-metrics"))
    return section("upvote", title, body)


def generate_section(root: Path) -> str:
    """05: the live comments fetched and the candidate replies GPT-2 wrote for them."""
    path = latest(Path(root), FETCH_SUMMARY)
    s = json_or_none(path) if path else None
    title = "05 · Live comments and candidate replies"
    if not s:
        return section("generate", title, not_run("Stage 05"))
    dropped = s.get("dropped") or {}
    proposals = read_table(latest(Path(root), drv.PROPOSED_REPLIES))
    body = figures([
        ("posts seen", s.get("posts_seen"), "rising posts read in the configured subreddits"),
        ("comments kept", s.get("comments_kept"), "worth a reply: recent, scored, not the bot's own"),
        ("dropped", sum(v for v in dropped.values() if isinstance(v, (int, float))), "comments passed over"),
        ("candidates", s.get("candidates", None if proposals is None else len(proposals)),
         "GPT-2 replies written, for 06 to score and choose from"),
    ], "generate-figures")
    body += details(f"Raw summary ({path.name})", kv_table(s, "generate-summary"))
    return section("generate", title, body)
