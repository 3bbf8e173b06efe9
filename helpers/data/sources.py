"""Stage 00's front door: one call turns the notebook's ``source`` parameter into raw comment→reply pairs."""

from __future__ import annotations

from typing import Any, Iterable

import pandas as pd

from .. import drive as drv
from .. import files
from ..context import CONTEXT_COLUMNS
from ..contract import default
from ..errors import ConfigError
from ..schema import ISSUE, RAW_COLUMNS

SOURCES = ("reddit", "arctic_shift", "sample", "bigquery", "pushshift", "csv")
RAW_BIGQUERY, RAW_PUSHSHIFT = drv.RAW_BIGQUERY, drv.RAW_PUSHSHIFT
# load_raw's reddit= and arctic_shift= settings and the notebook 00 parameter each one takes its default from
REDDIT_DEFAULTS = {k: default(name, "00") for k, name in (
    ("praw_site", "praw_site"), ("praw_ini", "praw_ini"), ("listing", "reddit_listing"),
    ("time_filter", "reddit_time_filter"), ("posts_per_subreddit", "reddit_posts_per_subreddit"),
    ("replace_more_limit", "reddit_replace_more_limit"))}
ARCTIC_SHIFT_DEFAULTS = {k: default(name, "00") for k, name in (
    ("base_url", "arctic_shift_url"), ("after", "after"), ("before", "before"),
    ("interval_s", "arctic_shift_interval_s"))}


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


def load_raw(source: str, drive: drv.Drive,
             subreddits: str | Iterable[str] | None = tuple(default("subreddits", "00")),
             months: Iterable[str] = tuple(default("months", "00")),
             comments_table: str = default("comments_table", "00"), posts_table: str = default("posts_table", "00"),
             bq_project: str = default("bq_project", "00"), max_bytes_billed: int = default("max_bytes_billed", "00"),
             dump_glob: str = default("dump_glob", "00"), raw_glob: str = default("raw_glob", "00"),
             client: Any = None, reddit: dict | None = None, arctic_shift: dict | None = None,
             context_depth: int = default("context_depth", "00")) -> tuple[pd.DataFrame, dict]:
    """Return (raw pairs in RAW_COLUMNS + source_issue, reading stats) for ``source``; defaults are notebook 00's.

    ``reddit``: praw_site, praw_ini, listing, time_filter, posts_per_subreddit, replace_more_limit (source reddit);
    ``arctic_shift``: base_url, after, before, interval_s (source arctic_shift); ``client`` replaces the network client.
    A setting left out of either dict takes notebook 00's default. ``context_depth`` (helpers/context.py): 0 gives the
    seed's pairs (top-level comment -> reply); d also comments with up to d ancestors, every row with the post's
    ``title`` and the comment's ``ancestors`` where the source has them (not the seed's CSVs or the sample).
    The Drive's raw files (earlier posts and months, seed CSVs) are pulled by ``helpers.stage.open_stage`` from the
    contract's reads, not here; new raw files are pushed as each is saved.
    """
    subs = _subs(subreddits)
    stats: dict = {"source": source}
    if source == "reddit":
        df = _load_reddit(drive, subs, dict(reddit or {}), client, stats, int(context_depth))
    elif source == "arctic_shift":
        df = _load_arctic_shift(drive, subs, months, dict(arctic_shift or {}), client, stats, int(context_depth))
    elif source == "sample":
        from .csv_source import load_sample

        df = filter_subreddits(load_sample(), subs, stats)
    elif source == "csv":
        from .csv_source import find_raw_csvs, read_raw_csvs

        paths = find_raw_csvs(raw_glob, base=drive.root)
        stats["files"] = [str(p) for p in paths]
        df = filter_subreddits(read_raw_csvs(paths), subs, stats)
    elif source == "bigquery":
        from . import bigquery_source as bq
        from .csv_source import read_raw_csvs

        if not subs:
            raise ConfigError("source 'bigquery' needs subreddits, e.g. subreddits = ['writing', 'scifi']")
        client = client if client is not None else bq.make_client(bq_project)
        paths = bq.pull_months(client, months, subs, drive.path(RAW_BIGQUERY),
                               comments_template=comments_table or bq.COMMENTS_TEMPLATE,
                               posts_template=posts_table or bq.POSTS_TEMPLATE,
                               max_bytes_billed=max_bytes_billed, context_depth=int(context_depth),
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
        df, read_stats = read_dumps(paths, subs, context_depth=int(context_depth))
        stats.update(read_stats)
        files.write_csv(df[RAW_COLUMNS + CONTEXT_COLUMNS], drive.path(RAW_PUSHSHIFT))
        drive.push(RAW_PUSHSHIFT)
    else:
        raise ConfigError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    if ISSUE not in df.columns:
        df[ISSUE] = ""
    stats["rows"] = int(len(df))
    return df, stats


def _load_reddit(drive: drv.Drive, subs: list[str], opts: dict, reddit: Any, stats: dict, context_depth: int
                 ) -> pd.DataFrame:
    from ..reddit.client import make_reddit
    from . import reddit_source as rs

    opts = REDDIT_DEFAULTS | opts
    rs.check_params(subs, opts["listing"], opts["time_filter"], opts["posts_per_subreddit"])
    counter = rs.RequestCounter()
    if reddit is None:
        reddit, cred_source = make_reddit(opts["praw_site"], opts["praw_ini"] or None,
                                          requestor_kwargs={"session": rs.counting_session(counter)})
        stats["credentials"] = cred_source
    paths, pulled = rs.pull(reddit, subs, drive.path(drv.RAW_REDDIT), listing=opts["listing"],
                            time_filter=opts["time_filter"], posts_per_subreddit=int(opts["posts_per_subreddit"]),
                            replace_more_limit=opts["replace_more_limit"], counter=counter,
                            on_saved=lambda p: drive.push(drive.rel(p)))
    stats.update(pulled)
    stats["files"] = [f"{drv.RAW_REDDIT}/<sub>/<post_id>.csv ({len(paths)} posts)"]
    return rs.keep_depth(rs.read_posts(paths), context_depth, stats)


def _load_arctic_shift(drive: drv.Drive, subs: list[str], months: Iterable[str], opts: dict, client: Any,
                       stats: dict, context_depth: int) -> pd.DataFrame:
    from . import arctic_shift_source as asrc
    from .pushshift_source import read_dumps

    if not subs:
        raise ConfigError("source 'arctic_shift' needs subreddits, e.g. subreddits = ['writing', 'scifi']")
    opts = ARCTIC_SHIFT_DEFAULTS | opts
    windows = asrc.month_windows(months, opts["after"], opts["before"])
    client = client or asrc.Client(base_url=opts["base_url"] or asrc.BASE_URL, interval_s=float(opts["interval_s"]))
    paths = asrc.pull(client, subs, windows, drive.path(drv.RAW_ARCTIC_SHIFT),
                      on_saved=lambda p: drive.push(drive.rel(p)))
    df, read_stats = read_dumps(paths, subs, keep_titles=True, context_depth=context_depth)
    stats.update(read_stats, requests=client.requests_made, retried=dict(client.retried),
                 files=[drive.rel(p) for p in paths])
    return df
