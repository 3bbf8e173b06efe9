"""Source ``pushshift``: Reddit dump files, zstd-compressed ndjson, streamed line by line and never loaded whole.

Accepts the monthly ``RS_YYYY-MM.zst`` (submissions) / ``RC_YYYY-MM.zst`` (comments) files and the per-subreddit
``<sub>_submissions.zst`` / ``<sub>_comments.zst`` files. Two streaming passes produce the rows the BigQuery query
returns: first the wanted subreddits' submissions with a non-empty selftext, then their top-level comments and the
replies to those comments; only the wanted threads are held in memory.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from ..context import CONTEXT_COLUMNS, encode_ancestors
from ..errors import ConfigError, InputError
from ..schema import ISSUE, RAW_COLUMNS

MAX_WINDOW = 2**31  # the dumps are written with --long=31
_SUBMISSIONS = re.compile(r"(^RS_.*|_submissions)\.(zst|ndjson|jsonl?)$")
_COMMENTS = re.compile(r"(^RC_.*|_comments)\.(zst|ndjson|jsonl?)$")


def file_kind(path: str | os.PathLike) -> str:
    name = Path(path).name
    if _SUBMISSIONS.search(name):
        return "submissions"
    if _COMMENTS.search(name):
        return "comments"
    raise ConfigError(f"{path}: not a Pushshift dump name (RS_/RC_YYYY-MM.zst or <sub>_submissions/_comments.zst)")


def _zst_chunks(fh, chunk_size: int = 1 << 20) -> Iterator[bytes]:
    """Decompressed chunks, frame after frame; a file that ends inside a frame (a cut download) is an error."""
    import zstandard

    dctx = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW)
    obj, open_frame = dctx.decompressobj(), False
    while data := fh.read(chunk_size):
        while data:
            out = obj.decompress(data)
            if out:
                yield out
            if obj.eof:
                data, obj, open_frame = obj.unused_data, dctx.decompressobj(), False
            else:
                data, open_frame = b"", True
    if open_frame:
        raise zstandard.ZstdError("the file ends in the middle of a zstd frame (truncated?)")


def iter_lines(path: str | os.PathLike, chunk_size: int = 1 << 20) -> Iterator[str]:
    """Decompressed text lines of a .zst file (or a plain .ndjson), streamed chunk by chunk."""
    path = Path(path)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    with open(path, "rb") as fh:
        chunks = _zst_chunks(fh, chunk_size) if path.suffix == ".zst" else iter(lambda: fh.read(chunk_size), b"")
        tail = ""
        for chunk in chunks:
            lines = (tail + decoder.decode(chunk)).split("\n")
            tail = lines.pop()
            yield from lines
        tail += decoder.decode(b"", final=True)
        if tail:
            yield tail


def iter_records(path: str | os.PathLike, stats: Counter) -> Iterator[tuple[dict, str]]:
    """(record, issue) per line; unreadable lines are counted in ``stats`` under their reason, not raised."""
    import zstandard

    n = 0
    try:
        for n, line in enumerate(iter_lines(path), start=1):  # noqa: B007 (n: the except clause reports it)
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                stats["bad_json_lines"] += 1
                continue
            if not isinstance(rec, dict):
                stats["bad_json_lines"] += 1
                continue
            yield rec, ("non_utf8" if "\ufffd" in line else "")
    except zstandard.ZstdError as e:
        raise InputError(f"not a readable zstd file after line {n}: {e}", file=path) from None


def _wanted(rec: dict, subs: set[str]) -> bool:
    return str(rec.get("subreddit") or "").lower() in subs


def _strip(prefix: str, value: object) -> str:
    value = str(value or "")
    return value[len(prefix):] if value.startswith(prefix) else ""


def pair_records(submissions: Iterable[tuple[dict, str]], comments: Iterable[tuple[dict, str]],
                 subreddits: Iterable[str], keep_titles: bool = False, context_depth: int = 0
                 ) -> tuple[pd.DataFrame, dict]:
    """Join (record, issue) streams of Pushshift-shaped submissions and comments into RAW_COLUMNS rows (+
    ``source_issue``), the way the seed's query joins them. The one pairing path for dump files and Arctic Shift.

    ``keep_titles``: a post without selftext (a link, a title-only question) is kept with its title as the
    submission text; otherwise such posts are skipped, as the seed's query skips them.
    ``context_depth``: 0 pairs top-level comments with their replies (the seed); d also pairs comments with up to d
    ancestors, each row with the post's ``title`` and the comment's ``ancestors`` (JSON, oldest first); a comment
    whose chain to the post leaves the records (a parent from another month) is counted, not paired.
    """
    subs = {str(s).strip().removeprefix("r/").lower() for s in subreddits if str(s).strip()}
    stats: Counter = Counter()
    threads: dict[str, tuple] = {}
    titles: dict[str, str] = {}
    inner: dict[str, tuple] = {}  # comment id -> (parent comment id,) + row, for comments below the top level
    for rec, issue in submissions:
        stats["submissions_read"] += 1
        text = rec.get("selftext") or ""
        if keep_titles and text in ("", "[deleted]", "[removed]"):
            text = rec.get("title") or ""
        if _wanted(rec, subs) and text != "" and rec.get("id") is not None:
            threads[str(rec["id"])] = (rec.get("subreddit"), text, rec.get("score"), rec.get("author"), issue)
            titles[str(rec["id"])] = str(rec.get("title") or "")
    tops: dict[str, tuple] = {}
    replies: list[tuple] = []
    for rec, issue in comments:
        stats["comments_read"] += 1
        if not _wanted(rec, subs) or _strip("t3_", rec.get("link_id")) not in threads:
            continue
        parent = str(rec.get("parent_id") or "")
        row = (str(rec.get("id")), rec.get("body"), rec.get("score"), rec.get("author"), issue)
        if parent.startswith("t3_"):
            tops[row[0]] = (parent[3:],) + row
        elif parent.startswith("t1_"):
            replies.append((parent[3:],) + row)
            if context_depth > 0:
                inner[row[0]] = (parent[3:],) + row
    rows = []
    for parent, rid, body, score, author, issue in replies:
        top, chain = _comment_chain(parent, tops, inner, context_depth, stats)
        if top is None or body is None:
            continue
        tid, cid, cbody, cscore, cauthor, cissue = top
        sub, selftext, sscore, sauthor, sissue = threads[tid]
        if author is None or author == sauthor or author == cauthor:  # SQL's != is false/NULL for these
            continue
        rows.append((sub, selftext, cbody, body, sscore, cscore, score, sauthor, cauthor, author, tid, cid, rid,
                     titles[tid], encode_ancestors(chain), issue or cissue or sissue))
    df = pd.DataFrame(rows, columns=RAW_COLUMNS + CONTEXT_COLUMNS + [ISSUE])
    out = {("threads" if keep_titles else "threads_with_selftext"): len(threads), "top_level_comments": len(tops),
           "replies_seen": len(replies), "pairs": len(df), **{k: int(v) for k, v in stats.items()}}
    return df, out


def _comment_chain(cid: str, tops: dict, inner: dict, depth: int, stats: Counter) -> tuple[tuple | None, list]:
    """(the comment's row as a top-level one: (thread, id, body, score, author, issue), its ancestors' bodies oldest
    first), or (None, []) when it is deeper than ``depth`` or its chain leaves the records."""
    if cid in tops:
        return tops[cid], []
    if cid not in inner:
        return None, []
    parent, _, body, score, author, issue = inner[cid]
    chain: list[str] = []
    while parent not in tops:
        if parent not in inner:
            stats["pairs_with_missing_ancestor"] += 1
            return None, []
        chain.append(str(inner[parent][2] or ""))
        parent = inner[parent][0]
        if len(chain) >= depth:
            stats["pairs_deeper_than_context_depth"] += 1
            return None, []
    chain.append(str(tops[parent][2] or ""))
    return (tops[parent][0], cid, body, score, author, issue or tops[parent][5]), chain[::-1]


def read_dumps(paths: Iterable[str | os.PathLike], subreddits: Iterable[str], keep_titles: bool = False,
               context_depth: int = 0) -> tuple[pd.DataFrame, dict]:
    """Join dumps (or Arctic Shift's saved pages) into RAW_COLUMNS rows (+ ``source_issue``); (rows, reading stats)."""
    paths = [Path(p) for p in paths]
    subs = {str(s).strip().removeprefix("r/").lower() for s in subreddits if str(s).strip()}
    if not subs:
        raise ConfigError("source 'pushshift' needs subreddits")
    kinds = {p: file_kind(p) for p in paths}
    if not any(k == "submissions" for k in kinds.values()) or not any(k == "comments" for k in kinds.values()):
        raise ConfigError(f"pushshift needs both submissions and comments dumps, got {[p.name for p in paths]}")
    stats: Counter = Counter()

    def records(kind: str) -> Iterator[tuple[dict, str]]:
        for p in (p for p in paths if kinds[p] == kind):
            yield from iter_records(p, stats)

    df, out = pair_records(records("submissions"), records("comments"), subs, keep_titles, context_depth)
    return df, {"files": len(paths), **out, **{k: int(v) for k, v in stats.items()}}
