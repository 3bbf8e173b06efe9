"""Stage 00's front door: one call turns the notebook's ``source`` parameter into raw comment→reply pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from . import drive as drv
from .errors import ConfigError
from .prepare import ISSUE, RAW_COLUMNS

SOURCES = ("sample", "bigquery", "pushshift", "csv")
RAW_BIGQUERY, RAW_PUSHSHIFT = drv.RAW_BIGQUERY, drv.RAW_PUSHSHIFT


def _subs(subreddits: str | Iterable[str] | None) -> list[str]:
    if not subreddits:
        return []
    items = subreddits.split(",") if isinstance(subreddits, str) else list(subreddits)
    return [str(s).strip().removeprefix("r/") for s in items if str(s).strip()]


def filter_subreddits(df: pd.DataFrame, subreddits: Iterable[str], stats: dict) -> pd.DataFrame:
    """Keep the chosen subreddits (case-insensitive); [] keeps all. Counted, not silent."""
    wanted = {s.lower() for s in subreddits}
    if not wanted:
        return df
    keep = df["subreddit"].astype(str).str.lower().isin(wanted)
    stats["other_subreddit_rows_skipped"] = int((~keep).sum())
    return df[keep].reset_index(drop=True)


def load_raw(source: str, drive: drv.Drive, subreddits: str | Iterable[str] | None = None,
             months: Iterable[str] = (), comments_table: str = "", posts_table: str = "", bq_project: str = "",
             max_bytes_billed: int = 0, dump_glob: str = "", raw_glob: str = "", client: Any = None
             ) -> tuple[pd.DataFrame, dict]:
    """Return (raw pairs in RAW_COLUMNS + source_issue, reading stats) for ``source``."""
    subs = _subs(subreddits)
    stats: dict = {"source": source}
    if source == "sample":
        from .sample import load_sample

        df = filter_subreddits(load_sample(), subs, stats)
    elif source == "csv":
        from .csv_source import find_raw_csvs, read_raw_csvs

        if not Path(raw_glob).is_absolute():
            drive.pull(raw_glob)
        paths = find_raw_csvs(raw_glob, base=drive.root)
        stats["files"] = [str(p) for p in paths]
        df = filter_subreddits(read_raw_csvs(paths), subs, stats)
    elif source == "bigquery":
        from . import bigquery_source as bq
        from .csv_source import read_raw_csvs

        if not subs:
            raise ConfigError("source 'bigquery' needs subreddits, e.g. subreddits = ['writing', 'scifi']")
        drive.pull(RAW_BIGQUERY)
        client = client if client is not None else bq.make_client(bq_project)
        paths = bq.pull_months(client, months, subs, drive.path(RAW_BIGQUERY),
                               comments_template=comments_table or bq.COMMENTS_TEMPLATE,
                               posts_template=posts_table or bq.POSTS_TEMPLATE,
                               max_bytes_billed=max_bytes_billed,
                               on_saved=lambda p: drive.push(drive.rel(p)))
        stats["files"] = [drive.rel(p) for p in paths]
        df = read_raw_csvs(paths)
    elif source == "pushshift":
        from .csv_source import find_raw_csvs
        from .pushshift_source import read_dumps

        if not subs:
            raise ConfigError("source 'pushshift' needs subreddits, e.g. subreddits = ['writing', 'scifi']")
        if not dump_glob:
            raise ConfigError("source 'pushshift' needs dump_glob, e.g. '/data/dumps/RC_2018-0*.zst' plus RS_ files")
        paths = find_raw_csvs(dump_glob, base=drive.root, name="dump_glob")
        df, read_stats = read_dumps(paths, subs)
        stats.update(read_stats)
        drv.write_csv(df[RAW_COLUMNS], drive.path(RAW_PUSHSHIFT))
    else:
        raise ConfigError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    if ISSUE not in df.columns:
        df[ISSUE] = ""
    stats["rows"] = int(len(df))
    return df, stats
