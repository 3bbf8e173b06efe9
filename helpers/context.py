"""Thread context: the one form in which GPT-2 documents, GPT-2 prompts and the BERT judges' first segment carry the
post title and the comments above the comment being answered.

Why one module on the ground floor: 00 writes the training documents, 02/05/08/09 build prompts and 03/04/06/08 feed
the judges; if each spelled the form itself they would drift and the model would be prompted in a shape it never saw.

The form (drive_layout.md, "Thread context"), for ``depth`` = context_depth:

- ``depth == 0``: the seed's line, ``comment [SEP] reply``; prompts ``<|startoftext|>comment [SEP]``.
- ``depth >= 1``: ``[TITLE] title [PARENT] a1 [PARENT] a2 [COMMENT] comment [SEP] reply`` where a1, a2 are the comment's
  ancestors, oldest first, at most ``depth`` of them (the nearest ones), and ``[TITLE] title`` is left out when the
  source has no title (the seed's CSVs). Inside the texts, a tag written by a person (``[TITLE]``, ``[PARENT]``,
  ``[COMMENT]``, ``[SEP]``) becomes ``(TITLE)`` etc., so a text cannot fake a boundary.

In CSVs the context travels as the column ``context``: ``context_text(title, ancestors, depth)``, i.e. everything
before the comment (``""`` at depth 0), so ``context + comment`` is what the models condition on (``conditioned``).
Raw files keep the parts: ``title`` and ``ancestors`` (a JSON list of texts, oldest first).
"""

from __future__ import annotations

import json
import re
from typing import Iterable, Sequence

from .errors import InputError
from .text import SEP, START_TOKEN

TITLE_TAG, PARENT_TAG, COMMENT_TAG = "[TITLE]", "[PARENT]", "[COMMENT]"
TAGS = (TITLE_TAG, PARENT_TAG, COMMENT_TAG, SEP)
_TAG_RE = re.compile(r"\[(TITLE|PARENT|COMMENT|SEP)\]", re.IGNORECASE)
CONTEXT_COLUMNS = ["title", "ancestors"]  # raw frames and raw files (additive: old files lack them)


def neutral(text: str) -> str:
    """A text with any tag a person wrote turned from [X] into (X): it can no longer look like a boundary."""
    return _TAG_RE.sub(lambda m: f"({m.group(1)})", text)


def context_text(title: str | None, ancestors: Sequence[str], depth: int) -> str:
    """Everything the model sees before the comment: "" at depth 0, else the tagged title and nearest ancestors."""
    depth = int(depth)
    if depth <= 0:
        return ""
    parts = [f"{TITLE_TAG} {neutral(title.strip())}"] if isinstance(title, str) and title.strip() else []
    parts += [f"{PARENT_TAG} {neutral(a)}" for a in list(ancestors)[-depth:]]
    return " ".join([*parts, COMMENT_TAG]) + " "


def format_source(title: str | None, ancestors: Sequence[str], comment: str, depth: int) -> str:
    """The text before [SEP]: the comment (depth 0, unchanged) or its context and the comment."""
    if int(depth) <= 0:
        return comment
    return context_text(title, ancestors, depth) + neutral(comment)


def format_document(title: str | None, ancestors: Sequence[str], comment: str, reply: str, depth: int) -> str:
    """One GPT-2 training document (gpt2_finetune.csv's ``text``); depth 0 is the seed's ``comment [SEP] reply``."""
    if int(depth) <= 0:
        return f"{comment} {SEP} {reply}"
    return f"{format_source(title, ancestors, comment, depth)} {SEP} {neutral(reply)}"


def format_prompt(title: str | None, ancestors: Sequence[str], comment: str, depth: int) -> str:
    """The prompt GPT-2 continues with a reply: ``<|startoftext|>`` + the source + `` [SEP]`` (the reply's leading
    space is left to the model, as GPT-2's tokenizer glues it to the first word)."""
    return f"{START_TOKEN}{format_source(title, ancestors, comment, depth)} {SEP}"


def encode_ancestors(ancestors: Iterable[str]) -> str:
    """The raw files' ``ancestors`` cell: a JSON list of texts, oldest first."""
    return json.dumps([str(a) for a in ancestors], ensure_ascii=False)


def decode_ancestors(cell: object, where: str = "ancestors") -> list[str]:
    """A raw file's ``ancestors`` cell back to a list; empty/missing (old files, the seed's CSVs) is no ancestors."""
    if cell is None or (isinstance(cell, float) and cell != cell) or (isinstance(cell, str) and not cell.strip()):
        return []
    try:
        value = json.loads(cell) if isinstance(cell, str) else cell
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not a JSON list of texts ({e}): {str(cell)[:80]!r}") from None
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise InputError(f"{where}: not a JSON list of texts: {str(cell)[:80]!r}")
    return value


def conditioned(frame, column: str = "comment") -> list[str]:
    """What the models condition on, row by row: ``context + comment`` (just the comment when the frame has no
    ``context`` column, as files written at depth 0 or before thread context)."""
    texts = frame[column].tolist()
    if "context" not in frame.columns:
        return texts
    out = []
    for ctx, text in zip(frame["context"].tolist(), texts):
        ctx = ctx if isinstance(ctx, str) else ""
        out.append(ctx + text if isinstance(text, str) else text)
    return out
