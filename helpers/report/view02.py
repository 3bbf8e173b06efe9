"""Stage 02 in the report: its section (the fakes, and how they compare with real replies) and its card's line."""

from __future__ import annotations

from pathlib import Path

from .. import drive as drv
from . import quality_report
from .html_parts import details, figures, json_object, json_or_none, kv_table, not_run
from .html_parts import section as html_section


def _get(d: dict | None, *path):
    for k in path:
        d = d.get(k) if isinstance(d, dict) else None
    return d


def section(root: Path) -> str:
    """02: the fakes the realism classifier learns to tell apart, and how they compare with real replies."""
    chunks = sorted(Path(root).glob(drv.BERT_GAN_FAKE_GLOB))
    title = "02 · GPT-2 fakes"
    q = json_or_none(Path(root, drv.FAKES_QUALITY)) or {}
    if not chunks and not q:
        return html_section("fakes", title, not_run("Stage 02"))
    sig = json_or_none(Path(root, drv.BERT_GAN_FAKE_SIGNATURE)) or {}
    fakes, real = _get(q, "groups", "candidates") or {}, _get(q, "groups", "real") or {}
    body = figures([
        ("fake replies", fakes.get("n"), f"in {len(chunks)} chunk file(s), for the realism classifier"),
        ("distinct-2, fakes", fakes.get("distinct_2_matched"), "share of distinct word pairs: low = repetitive"),
        ("distinct-2, real", real.get("distinct_2_matched"), "the same on real replies, at the same set size"),
    ], "fakes-figures")
    body += quality_report.one_file(Path(root), drv.FAKES_QUALITY, "quality-fakes", "Quality of the fakes", "fakes")
    body += details("The checkpoint and settings the fakes were written with", kv_table(sig, "fakes-signature"))
    return html_section("fakes", title, body)


def outcome(root: Path) -> str | None:
    chunks = sorted(root.glob(drv.BERT_GAN_FAKE_GLOB))
    if not chunks:
        return None
    sig = json_object(root / drv.BERT_GAN_FAKE_SIGNATURE) or {}
    return f"{len(chunks)} fake chunk file(s) from checkpoint {sig.get('checkpoint', '?')}"
