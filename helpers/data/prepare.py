"""Stage 00's preparation: raw comment→reply pairs in, the seed's three training files out.

Every source (BigQuery, Pushshift dumps, the seed's CSVs, the bundled sample) produces the same raw frame
(``RAW_COLUMNS``); this module cleans it with a counted reason for every dropped row, splits it by thread (the seed
split rows at random, so one comment could sit in both train and test), bins reply scores the way the seed did, and
writes gpt2_finetune.csv, gpt2_generate.csv, bert_gan_real.csv and data_summary.json atomically.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Iterable

import numpy as np
import pandas as pd

from .. import drive as drv
from ..context import context_text, decode_ancestors, format_document
from ..contract import default
from ..errors import ConfigError
from ..files import write_csv, write_json
from ..schema import (
    GENERATE_COLUMNS,
    ISSUE,
    RAW_COLUMNS,
    REAL_COLUMNS,
    SCORE_COLUMNS,
    SPLITS,
)
from ..text import DELETED, SEP, clean_text, is_link_only

DEFAULT_BOTS = ("AutoModerator", "sneakpeekbot", "haikusbot", "converter-bot", "B0tRank")
_BOT_NAME = re.compile(r"(Bot|[_-][Bb]ot)$")  # RemindMeBot, WikiTextBot, timee_bot; not Talbot or abbot


def bot_list(bot_authors: Iterable[str]) -> tuple[str, ...]:
    """The authors dropped as bots: the known ones plus 00's `bot_authors` (names ending in Bot / _bot always are)."""
    return tuple(sorted(set(DEFAULT_BOTS) | set(bot_authors)))


BOTS = bot_list(default("bot_authors", "00"))  # what notebook 00 drops by default


def rating_bin(score: float) -> int:
    """The seed's upvote bins: 0 if score < 1, 1 if == 1, 2 if < 5, else 3."""
    if score < 1:
        return 0
    if score == 1:
        return 1
    if score < 5:
        return 2
    return 3


def short_id(prefix: str, *parts: object) -> str:
    """A stable id for rows whose source has none (the seed's CSVs): same text, same id."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}{h[:12]}"


def is_bot(author: object, bots: Iterable[str] = BOTS) -> bool:
    if not isinstance(author, str) or not author:
        return False
    return author.lower() in {b.lower() for b in bots} or bool(_BOT_NAME.search(author))


def truncate(text: str, max_chars: int) -> str:
    """Cut at the last word boundary before max_chars, so a cut never ends mid-word."""
    if max_chars <= 0 or len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    space = cut.rfind(" ")
    return (cut[:space] if space > max_chars // 2 else cut).rstrip()


def _flags(values: pd.Series, fn) -> pd.Series:
    """fn applied per value as a bool Series (Series.map keeps the string dtype on empty frames in pandas 3)."""
    return pd.Series([bool(fn(v)) for v in values], index=values.index, dtype=bool)


def _first_reason(reasons: list[tuple[str, pd.Series]], n: int, index: pd.Index) -> pd.Series:
    out = pd.Series([""] * n, index=index, dtype=object)
    for name, mask in reasons:
        out[(out == "") & mask.fillna(False).astype(bool)] = name
    return out


def clean_pairs(raw: pd.DataFrame, max_chars: int = default("max_chars", "00"), bots: Iterable[str] = BOTS,
                context_depth: int = default("context_depth", "00")) -> tuple[pd.DataFrame, Counter, dict]:
    """Return (kept rows, drops per reason, notes). Each dropped row is counted under its first failing reason.

    With ``context_depth`` >= 1 the rows keep ``title`` and ``ancestors`` (cleaned, cut like comments; the ``d``
    nearest ancestors) and a comment with more ancestors than that is dropped as ``deeper_than_context_depth``."""
    missing = [c for c in RAW_COLUMNS if c not in raw.columns]
    if missing:
        raise ConfigError(f"raw pairs lack column(s) {missing}; a source must produce {RAW_COLUMNS}")
    df = raw.reset_index(drop=True)  # a fresh RangeIndex: the masks below align on it
    issue = df[ISSUE].fillna("").astype(str) if ISSUE in df.columns else pd.Series("", index=df.index)
    scores = {c: pd.to_numeric(df[c], errors="coerce") for c in SCORE_COLUMNS}
    text = {c: df[c].astype(object).where(df[c].notna(), None) for c in ("comment", "reply")}
    stripped = {c: text[c].map(lambda s: s.strip() if isinstance(s, str) else "") for c in text}
    bots = list(bots)
    reasons = [
        ("source_issue", issue != ""),
        ("empty_text", (stripped["comment"] == "") | (stripped["reply"] == "")),
        ("deleted", stripped["comment"].isin(DELETED) | stripped["reply"].isin(DELETED)),
        ("bot_author", _flags(df["reply_author"], lambda a: is_bot(a, bots))
         | _flags(df["comment_author"], lambda a: is_bot(a, bots))),
        ("bad_score", scores["comment_score"].isna() | scores["reply_score"].isna()),
    ]
    depth = [len(a) for a in _ancestor_lists(df)]
    reasons.append(("deeper_than_context_depth", pd.Series([d > context_depth for d in depth], index=df.index)))
    why = _first_reason(reasons, len(df), df.index)
    drops: Counter = Counter()
    for r, i in zip(why, issue):
        if r:
            drops[f"source_issue:{i}" if r == "source_issue" else r] += 1
    df = df[why == ""].copy()
    for c in ("comment", "reply"):
        df[c] = df[c].map(clean_text)
    for c in SCORE_COLUMNS:
        df[c] = scores[c][df.index].fillna(0).round().astype("int64")
    why2 = _first_reason([
        ("empty_text", (df["comment"] == "") | (df["reply"] == "")),
        ("deleted", df["comment"].isin(DELETED) | df["reply"].isin(DELETED)),
        ("link_only", _flags(df["comment"], is_link_only) | _flags(df["reply"], is_link_only)),
    ], len(df), df.index)
    drops.update(r for r in why2 if r)
    df = df[why2 == ""].copy()
    long = (df["comment"].str.len() > max_chars) | (df["reply"].str.len() > max_chars) if max_chars > 0 else None
    truncated = int(long.sum()) if long is not None else 0
    if truncated:
        for c in ("comment", "reply"):
            df[c] = df[c].map(lambda s: truncate(s, max_chars))
    dup = df.duplicated(subset=["reply_id"], keep="first") | df.duplicated(subset=["comment_id", "reply"])
    if dup.any():
        drops["duplicate"] += int(dup.sum())
        df = df[~dup]
    for c in ("subreddit", "thread_id", "comment_id", "reply_id"):
        df[c] = df[c].astype(str)
    columns = RAW_COLUMNS
    if context_depth > 0:
        df["title"] = [truncate(clean_text(t), max_chars) if isinstance(t, str) else ""
                       for t in (df["title"] if "title" in df.columns else [""] * len(df))]
        df["ancestors"] = [[truncate(clean_text(a), max_chars) for a in lst[len(lst) - context_depth:]]
                           for lst in _ancestor_lists(df)]
        columns = RAW_COLUMNS + ["title", "ancestors"]
    return df.reset_index(drop=True)[columns], drops, {"truncated": truncated, "max_chars": max_chars}


def _ancestor_lists(df: pd.DataFrame) -> list[list[str]]:
    """Each row's ancestors (oldest first); none when the frame has no ``ancestors`` column (the seed's CSVs)."""
    if "ancestors" not in df.columns:
        return [[] for _ in range(len(df))]
    return [a if isinstance(a, list) else decode_ancestors(a, where=f"raw pairs row {i + 1} ancestors")
            for i, a in enumerate(df["ancestors"].tolist())]


def assign_splits(df: pd.DataFrame, validation_fraction: float = default("validation_fraction", "00"),
                  test_fraction: float = default("test_fraction", "00"),
                  seed: int = default("seed", "00")) -> pd.Series:
    """Split by thread, stratified by subreddit: every row of a thread lands in the same split.

    Threads are ordered by their rank inside their subreddit (spread evenly over 0..1), ties broken by a seeded hash,
    and the first share goes to test, the next to validation; with 3+ threads neither is left empty.
    """
    if not (0 <= validation_fraction < 1 and 0 <= test_fraction < 1 and validation_fraction + test_fraction < 1):
        raise ConfigError("validation_fraction and test_fraction must be in [0, 1) and sum to less than 1, "
                          f"got {validation_fraction} and {test_fraction}")
    threads = df[["thread_id", "subreddit"]].drop_duplicates("thread_id").copy()
    if threads.empty:
        return pd.Series([], index=df.index, dtype=object)
    threads["h"] = [int(short_id("", seed, t)[:12], 16) / 16**12 for t in threads["thread_id"]]
    threads = threads.sort_values(["subreddit", "h"])
    g = threads.groupby("subreddit", sort=False)
    threads["pos"] = (g.cumcount() + 0.5) / g["h"].transform("size")
    threads = threads.sort_values(["pos", "h"]).reset_index(drop=True)
    n = len(threads)

    def count(frac: float) -> int:
        k = int(round(n * frac))
        return max(k, 1) if frac > 0 and n >= 3 else k

    n_test, n_val = count(test_fraction), count(validation_fraction)
    split = np.array(["train"] * n, dtype=object)
    split[:n_test] = "test"
    split[n_test:n_test + n_val] = "validation"
    mapping = dict(zip(threads["thread_id"], split))
    return df["thread_id"].map(mapping)


def build_outputs(df: pd.DataFrame, context_depth: int = 0) -> dict[str, pd.DataFrame]:
    """The seed's three files (same names), with the contract's extra columns; with ``context_depth`` >= 1 the
    documents carry the thread context and the other two files a ``context`` column (helpers/context.py)."""
    if context_depth <= 0:
        text = df["comment"] + f" {SEP} " + df["reply"]
        gen_cols, real_cols, unique = GENERATE_COLUMNS, REAL_COLUMNS, ["comment"]
    else:
        df = df.assign(context=[context_text(t, a, context_depth) for t, a in zip(df["title"], df["ancestors"])])
        text = pd.Series([format_document(t, a, c, r, context_depth) for t, a, c, r in
                          zip(df["title"], df["ancestors"], df["comment"], df["reply"])], index=df.index, dtype=object)
        gen_cols, real_cols, unique = GENERATE_COLUMNS + ["context"], REAL_COLUMNS + ["context"], ["context", "comment"]
    finetune = pd.DataFrame({"text": text, "split": df["split"],
                             "thread_id": df["thread_id"], "subreddit": df["subreddit"]})
    generate = (df.drop_duplicates("comment_id").drop_duplicates(unique)[gen_cols]
                .reset_index(drop=True))
    real = df.assign(real=1, rating=df["reply_score"].map(rating_bin).astype("int64"))[real_cols]
    return {drv.GPT2_FINETUNE: finetune, drv.GPT2_GENERATE: generate, drv.BERT_GAN_REAL: real}


def summarize(rows_in: int, drops: Counter, notes: dict, df: pd.DataFrame, source: str,
              source_stats: dict | None = None) -> dict:
    per_sub = df.groupby(["subreddit", "split"]).size().unstack(fill_value=0) if len(df) else pd.DataFrame()
    return {
        "source": source,
        "rows_in": int(rows_in),
        "dropped": {k: int(v) for k, v in sorted(drops.items())},
        "dropped_total": int(sum(drops.values())),
        "truncated": int(notes.get("truncated", 0)),
        "max_chars": int(notes.get("max_chars", 0)),
        "rows_out": int(len(df)),
        "rows_per_split": {s: int((df["split"] == s).sum()) for s in SPLITS},
        "threads_per_split": {s: int(df.loc[df["split"] == s, "thread_id"].nunique()) for s in SPLITS},
        "unique_comments": int(df["comment_id"].nunique()),
        "rows_per_subreddit": {str(sub): {s: int(row.get(s, 0)) for s in SPLITS} for sub, row in per_sub.iterrows()},
        "source_stats": dict(source_stats or {}),
    }


def format_summary(s: dict) -> str:
    extra = {k: v for k, v in s.get("source_stats", {}).items() if k not in ("source", "files", "rows")}
    lines = [f"source: {s['source']}" + (f"  ({extra})" if extra else ""), f"rows in: {s['rows_in']}",
             f"dropped: {s['dropped_total']}" + "".join(f"\n  {k}: {v}" for k, v in s["dropped"].items()),
             f"truncated to {s['max_chars']} chars (kept): {s['truncated']}",
             f"rows out: {s['rows_out']}  ({', '.join(f'{k} {v}' for k, v in s['rows_per_split'].items())})",
             f"threads: {', '.join(f'{k} {v}' for k, v in s['threads_per_split'].items())}",
             f"{'subreddit':<24}{'train':>8}{'validation':>12}{'test':>8}"]
    for sub, row in s["rows_per_subreddit"].items():
        lines.append(f"{sub:<24}{row['train']:>8}{row['validation']:>12}{row['test']:>8}")
    return "\n".join(lines)


def prepare(raw: pd.DataFrame, drive: drv.Drive, source: str = default("source", "00"),
            max_chars: int = default("max_chars", "00"),
            validation_fraction: float = default("validation_fraction", "00"),
            test_fraction: float = default("test_fraction", "00"), seed: int = default("seed", "00"),
            bots: Iterable[str] = BOTS, source_stats: dict | None = None, verbose: bool = True,
            context_depth: int = default("context_depth", "00")) -> dict:
    """Clean, split, write the three training files and data_summary.json; returns the summary."""
    kept, drops, notes = clean_pairs(raw, max_chars=max_chars, bots=bots, context_depth=int(context_depth))
    if kept.empty:
        files = (source_stats or {}).get("files") or []
        read = f" (read {len(files)} file(s): {', '.join(map(str, files[:5]))}{', ...' if len(files) > 5 else ''})"
        told = {k: v for k, v in (source_stats or {}).items() if k not in ("source", "files", "credentials", "rows")}
        raise ConfigError(f"no usable rows from source {source!r}{read if files else ''}: {len(raw)} rows in, "
                          f"dropped {dict(drops)}" + (f"; the source reported {told}" if told else ""))
    kept["split"] = assign_splits(kept, validation_fraction, test_fraction, seed)
    for name, frame in build_outputs(kept, int(context_depth)).items():
        write_csv(frame, drive.path(name))
    summary = summarize(len(raw), drops, notes, kept, source, source_stats)
    if context_depth > 0:  # only then: a depth-0 summary stays the seed-format one
        summary["context_depth"] = int(context_depth)
        summary["rows_per_comment_depth"] = {str(k): int(v) for k, v in
                                             sorted(Counter(len(a) for a in kept["ancestors"]).items())}
        summary["rows_with_title"] = int((kept["title"] != "").sum())
    write_json(summary, drive.path(drv.DATA_SUMMARY))
    if verbose:
        print(format_summary(summary))
    return summary
