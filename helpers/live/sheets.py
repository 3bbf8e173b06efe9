"""CSVs that people open in Excel or Google Sheets: formula-safe on write, and read back as people save them.

A cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR is a formula to a spreadsheet (``=HYPERLINK(...)`` in a
Reddit title would run in the reviewer's sheet), so on write such a cell gets the usual ``'`` prefix; on read exactly
one ``'`` is removed again, so the text 06 posts is exactly the text the person approved. A cell that already starts
with ``'`` before such a character gets one more, so the round trip is exact for every string.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..errors import InputError
from ..files import atomic_write

_NEEDS_QUOTE = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")
DELIMITERS = ",;\t"


def escape_cell(value):
    """The cell as it is safe to write: strings that a spreadsheet would run as a formula get a ``'`` prefix."""
    return "'" + value if isinstance(value, str) and _NEEDS_QUOTE.match(value) else value


def unescape_cell(value):
    """The inverse of escape_cell."""
    return value[1:] if isinstance(value, str) and _QUOTED.match(value) else value


def _map_text(df: pd.DataFrame, fn) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            out[col] = out[col].map(fn)
    return out


def escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    return _map_text(df, escape_cell)


def unescape_frame(df: pd.DataFrame) -> pd.DataFrame:
    return _map_text(df, unescape_cell)


def sheet_bytes(df: pd.DataFrame) -> bytes:
    """A people-facing CSV's bytes, formula-safe (what write_sheet writes)."""
    return escape_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8")  # CRLF: a CR in a cell too


def write_sheet(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a people-facing CSV atomically, formula-safe."""
    with atomic_write(path, "wb") as f:
        f.write(sheet_bytes(df))
    return Path(path)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter a spreadsheet saved with: the one of , ; tab that splits the header into the most fields."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d))) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], d == ","))


def read_sheet(path: str | os.PathLike, required: Iterable[str] = (), text: bool = False,
               known: Iterable[str] = ()) -> pd.DataFrame:
    """Read a people-facing CSV as a person may have saved it: UTF-8 with or without BOM, comma, semicolon or tab,
    header names in any case and with surrounding spaces (matched to ``required`` and ``known``: a column spelt
    two ways at once is an error, never a guess), formula escapes removed. ``text=True`` keeps every cell a
    string (``1`` stays "1", ids stay ids). Anything unreadable is an InputError naming the file and the problem."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path)
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 text (byte {e.start}); save it as CSV UTF-8", file=path) from None
    if not raw.strip():
        raise InputError("file is empty", file=path)
    sep = sniff_delimiter(raw.splitlines()[0])
    try:
        df = pd.read_csv(io.StringIO(raw), sep=sep, keep_default_na=False, na_values=[""],
                         dtype=str if text else None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(f"not a readable CSV: {e}", file=path) from None
    wanted = {c.lower(): c for c in [*known, *required]}
    df.columns = [wanted.get(str(c).strip().lower(), str(c).strip()) for c in df.columns]
    twice = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    if twice:
        raise InputError(f"column(s) {twice} appear more than once (header spellings differ only in case or spaces); "
                         "delete the extra column", file=path)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}; found {list(df.columns)} (delimiter {sep!r})", file=path)
    return unescape_frame(df)


def backup(path: str | os.PathLike) -> Path | None:
    """Keep the sheet a person may have edited as ``<name>.bak.csv`` before it is rewritten (None: no sheet yet)."""
    path = Path(path)
    if not path.exists():
        return None
    bak = path.with_name(path.name.removesuffix(".csv") + ".bak.csv")
    with atomic_write(bak, "wb") as f:
        f.write(path.read_bytes())
    return bak
