"""Stage 00's front door: one call turns the notebook's ``source`` parameter into raw comment→reply pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from .. import drive as drv
from .. import files
from ..errors import ConfigError
from ..schema import ISSUE, RAW_COLUMNS

SOURCES = ("reddit", "arctic_shift", "sample", "bigquery", "pushshift", "csv")
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
             max_bytes_billed: int = 0, dump_glob: str = "", raw_glob: str = "", client: Any = None,
             reddit: dict | None = None, arctic_shift: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """Return (raw pairs in RAW_COLUMNS + source_issue, reading stats) for ``source``.

    ``reddit``: praw_site, praw_ini, listing, time_filter, posts_per_subreddit, replace_more_limit (source reddit);
    ``arctic_shift``: base_url, after, before, interval_s (source arctic_shift); ``client`` replaces the network client.
    """
    subs = _subs(subreddits)
    stats: dict = {"source": source}
    if source == "reddit":
        df = _load_reddit(drive, subs, dict(reddit or {}), client, stats)
    elif source == "arctic_shift":
        df = _load_arctic_shift(drive, subs, months, dict(arctic_shift or {}), client, stats)
    elif source == "sample":
        from .csv_source import load_sample

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
        files.write_csv(df[RAW_COLUMNS], drive.path(RAW_PUSHSHIFT))
    else:
        raise ConfigError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    if ISSUE not in df.columns:
        df[ISSUE] = ""
    stats["rows"] = int(len(df))
    return df, stats


def _load_reddit(drive: drv.Drive, subs: list[str], opts: dict, reddit: Any, stats: dict) -> pd.DataFrame:
    from ..reddit.client import make_reddit
    from . import reddit_source as rs

    rs.check_params(subs, opts.get("listing", "top"), opts.get("time_filter", "year"),
                    opts.get("posts_per_subreddit", 200))
    counter = rs.RequestCounter()
    if reddit is None:
        reddit, cred_source = make_reddit(opts.get("praw_site", "bot"), opts.get("praw_ini") or None,
                                          requestor_kwargs={"session": rs.counting_session(counter)})
        stats["credentials"] = cred_source
    drive.pull(drv.RAW_REDDIT)
    paths, pulled = rs.pull(reddit, subs, drive.path(drv.RAW_REDDIT), listing=opts.get("listing", "top"),
                            time_filter=opts.get("time_filter", "year"),
                            posts_per_subreddit=int(opts.get("posts_per_subreddit", 200)),
                            replace_more_limit=opts.get("replace_more_limit", 8), counter=counter,
                            on_saved=lambda p: drive.push(drive.rel(p)))
    stats.update(pulled)
    stats["files"] = [f"{drv.RAW_REDDIT}/<sub>/<post_id>.csv ({len(paths)} posts)"]
    return rs.read_posts(paths)


def _load_arctic_shift(drive: drv.Drive, subs: list[str], months: Iterable[str], opts: dict, client: Any,
                       stats: dict) -> pd.DataFrame:
    from . import arctic_shift_source as asrc
    from .pushshift_source import read_dumps

    if not subs:
        raise ConfigError("source 'arctic_shift' needs subreddits, e.g. subreddits = ['writing', 'scifi']")
    windows = asrc.month_windows(months, opts.get("after", ""), opts.get("before", ""))
    client = client or asrc.Client(base_url=opts.get("base_url") or asrc.BASE_URL,
                                   interval_s=float(opts.get("interval_s", 1.0)))
    drive.pull(drv.RAW_ARCTIC_SHIFT)
    paths = asrc.pull(client, subs, windows, drive.path(drv.RAW_ARCTIC_SHIFT),
                      on_saved=lambda p: drive.push(drive.rel(p)))
    df, read_stats = read_dumps(paths, subs, keep_titles=True)
    stats.update(read_stats, requests=client.requests_made, retried=dict(client.retried),
                 files=[drive.rel(p) for p in paths])
    return df
