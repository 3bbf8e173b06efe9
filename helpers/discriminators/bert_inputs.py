"""What the BERT classifiers can take: (comment, reply) rows checked once and clipped, shared by training (03, 04,
08) and scoring (06) so that inference never imports training code.

A missing, non-text or empty comment/reply gets a reason instead of a score; texts far longer than the sequence length
are clipped before tokenising (WordPiece on a 1 MB string is slow and the tokens past the sequence length are cut).
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from ..context import conditioned
from ..contract import default

CHARS_PER_TOKEN = 16  # clip texts at sequence_length * this many characters: far past what the tokens keep


def max_chars(sequence_length: int) -> int:
    return int(sequence_length) * CHARS_PER_TOKEN


def text_error(value, what: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return f"{what} is missing (NaN)"
    if not isinstance(value, str):
        return f"{what} is not text ({type(value).__name__})"
    if not value.strip():
        return f"{what} is empty"
    return ""


def check_pairs(comments: Sequence, replies: Sequence,
                sequence_length: int = default("bert_sequence_length")) -> tuple[list, list, list, int]:
    """(comments, replies, reasons, n_clipped): reasons[i] == "" when row i is usable; usable texts are clipped."""
    limit = max_chars(sequence_length)
    out_c, out_r, reasons, clipped = [], [], [], 0
    for c, r in zip(comments, replies):
        why = text_error(r, "reply") or text_error(c, "comment")
        if why:
            out_c.append(""), out_r.append(""), reasons.append(why)
            continue
        if len(c) > limit or len(r) > limit:
            clipped += 1
        out_c.append(c[:limit]), out_r.append(r[:limit]), reasons.append("")
    return out_c, out_r, reasons, clipped


def with_context(df: pd.DataFrame, column: str = "comment") -> pd.DataFrame:
    """``df`` with ``column`` as the judges read it: the thread context GPT-2 was given before the comment
    (helpers/context.py; unchanged when the file has no ``context`` column, as at context_depth 0)."""
    if "context" not in df.columns:
        return df
    return df.assign(**{column: conditioned(df, column)}).drop(columns="context")


def model_inputs(x):
    """preprocess_samples packs x alone as x or (x,) depending on the keras version; the models want the dict."""
    return x[0] if isinstance(x, tuple) else x
