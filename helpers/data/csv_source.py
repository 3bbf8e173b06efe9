"""Source ``csv``: raw CSVs in the seed's format (what its get_reddit_from_gbq.py wrote with pandas ``to_csv``,
index column included), and this project's own raw files (the same columns plus thread/comment/reply ids).

Bad input never becomes a pandas traceback: an empty or unparsable file or a missing column is an InputError naming
the file; rows with bytes that are not UTF-8 are kept out with the reason ``source_issue:non_utf8`` and their file and
row are printed, because a half-decoded comment would teach GPT-2 to write mojibake.
"""

from __future__ import annotations

import codecs
import glob
import io
import os
import re
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..context import CONTEXT_COLUMNS, decode_ancestors
from ..errors import ConfigError, InputError
from ..schema import ID_COLUMNS, ISSUE, RAW_COLUMNS, SEED_COLUMNS
from .prepare import short_id

_INDEX_COL = re.compile(r"^Unnamed: \d+$")
_BAD_BASE = 0xE000  # undecodable byte b -> private-use U+E000+b, so its row can be found after parsing
_BAD_CHARS = re.compile("[\ue080-\ue0ff]")


def _mark_bad_bytes(err: UnicodeDecodeError):
    return "".join(chr(_BAD_BASE + b) for b in err.object[err.start:err.end]), err.end


def _register_marker() -> str:
    codecs.register_error("reddit_bot_mark", _mark_bad_bytes)  # idempotent; done on first use, not at import
    return "reddit_bot_mark"


def find_raw_csvs(raw_glob: str, base: str | os.PathLike | None = None, name: str = "raw_glob") -> list[Path]:
    """Files matching ``raw_glob`` (relative globs are taken under ``base``, usually the Drive root)."""
    if not raw_glob:
        raise ConfigError(f"{name} is empty; give a glob such as 'raw/csv/*.csv'")
    pattern = raw_glob if os.path.isabs(raw_glob) or base is None else os.path.join(str(base), raw_glob)
    paths = sorted(Path(p) for p in glob.glob(os.path.expanduser(pattern), recursive=True) if Path(p).is_file())
    if not paths:
        raise ConfigError(f"{name} {raw_glob!r} matched no files (looked for {pattern})")
    return paths


def read_seed_csv(path: str | os.PathLike, verbose: bool = True) -> pd.DataFrame:
    """One raw CSV -> RAW_COLUMNS (+ ``source_issue``). Ids missing in the seed's format are derived from the text."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path)
    data = path.read_bytes()
    if not data.strip():
        raise InputError("file is empty (expected a header row with the seed's columns)", file=path)
    text = data.decode("utf-8-sig", errors=_register_marker())
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.ParserError as e:
        raise InputError(f"not a readable CSV: {e}", file=path) from None
    except pd.errors.EmptyDataError:
        raise InputError("file has no header row", file=path) from None
    df = df.drop(columns=[c for c in df.columns if _INDEX_COL.match(str(c)) or str(c) == ""])
    missing = [c for c in SEED_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}; found {list(df.columns)}; expected the seed's columns "
                         f"{SEED_COLUMNS}", file=path)
    bad = df[SEED_COLUMNS].apply(lambda col: col.str.contains(_BAD_CHARS)).any(axis=1)
    issue = pd.Series("", index=df.index, dtype=object)
    if bad.any():
        issue[bad] = "non_utf8"
        rows = [int(i) + 1 for i in df.index[bad]]
        if verbose:
            more = f" (+{len(rows) - 10} more)" if len(rows) > 10 else ""
            print(f"warning: {path}: {len(rows)} row(s) with bytes that are not UTF-8 are dropped: rows "
                  f"{rows[:10]}{more}")
        for c in SEED_COLUMNS:
            df[c] = df[c].str.replace(_BAD_CHARS, "\ufffd", regex=True)
    context = [c for c in CONTEXT_COLUMNS if c in df.columns]  # our raw files with thread context; the seed's: none
    for i, cell in enumerate(df.get("ancestors", [])):
        decode_ancestors(cell, where=f"{path}: row {i + 1} column ancestors")  # a bad cell names its file and row
    return _with_ids(df).assign(**{ISSUE: issue})[RAW_COLUMNS + context + [ISSUE]]


def _with_ids(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for c in ID_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    derived = {
        "thread_id": lambda r: short_id("t", r["subreddit"], r["submission"]),
        "comment_id": lambda r: short_id("c", r["thread_id"], r["comment"], r["comment_author"]),
        "reply_id": lambda r: short_id("r", r["comment_id"], r["reply"], r["reply_author"]),
    }
    for c, make in derived.items():
        empty = df[c].fillna("").astype(str) == ""
        if empty.any():
            df.loc[empty, c] = df[empty].apply(make, axis=1) if len(df[empty]) else []
    return df


def read_raw_csvs(paths: Iterable[str | os.PathLike], verbose: bool = True) -> pd.DataFrame:
    """Concatenate raw CSVs; a header-only file contributes no rows (and says so)."""
    frames = []
    for p in paths:
        df = read_seed_csv(p, verbose=verbose)
        if df.empty and verbose:
            print(f"note: {p}: header only, no rows")
        frames.append(df)
    if not frames:
        raise ConfigError("no raw CSV files to read")
    return pd.concat(frames, ignore_index=True)


def load_sample() -> pd.DataFrame:
    """The bundled corpus (helpers/offline/files/sample_pairs.csv) in RAW_COLUMNS (+ source_issue), read like any raw
    CSV."""
    from ..offline.sample import data_path

    return read_seed_csv(data_path("sample_pairs.csv"), verbose=False)
