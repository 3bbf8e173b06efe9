"""Source ``bigquery``: the seed's query (each comment joined to its replies and its submission) for a list of months.

Subreddit names travel as a query parameter, never formatted into the SQL; table names come from templates checked
against a strict pattern. Each month is first dry-run (its scan size printed and checked against
``max_bytes_billed``), then run with ``maximum_bytes_billed`` set, and its rows are saved atomically to
``raw/bigquery/<YYYY_MM>.csv`` as soon as they arrive: a failure in month 7 keeps months 1-6 and a re-run skips them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

from .. import drive as drv
from .. import files
from ..contract import default
from ..errors import ConfigError, StageError
from ..schema import RAW_COLUMNS

COMMENTS_TEMPLATE = default("comments_table", "00")  # "fh-bigquery.reddit_comments.{month}"
POSTS_TEMPLATE = default("posts_table", "00")  # "fh-bigquery.reddit_posts.{month}"
MONTH_RE = re.compile(r"^\d{4}_(0[1-9]|1[0-2])$")
# [project.]dataset.table: project ids are lowercase letters, digits and hyphens; datasets and tables are word chars.
TABLE_RE = re.compile(r"^(?:[a-z][a-z0-9-]{4,61}[a-z0-9]\.)?[A-Za-z0-9_]{1,1024}\.[A-Za-z0-9_]{1,1024}$")
SUBREDDIT_RE = re.compile(r"^[A-Za-z0-9_]{2,21}$")

QUERY = """\
SELECT
  s.subreddit AS subreddit,
  s.selftext AS submission,
  a.body AS comment,
  b.body AS reply,
  s.score AS submission_score,
  a.score AS comment_score,
  b.score AS reply_score,
  s.author AS submission_author,
  a.author AS comment_author,
  b.author AS reply_author,
  s.id AS thread_id,
  a.id AS comment_id,
  b.id AS reply_id
FROM `{comments}` AS a
JOIN `{comments}` AS b ON CONCAT('t1_', a.id) = b.parent_id
JOIN `{posts}` AS s ON CONCAT('t3_', s.id) = a.parent_id
WHERE b.body IS NOT NULL
  AND s.selftext IS NOT NULL AND s.selftext != ''
  AND b.author != s.author
  AND b.author != a.author
  AND LOWER(s.subreddit) IN UNNEST(@subreddits)"""



def context_query(depth: int) -> str:
    """The seed's query for comments with up to ``depth`` ancestors (a self-join per level, left: p1 is the comment's
    parent, p2 its parent's, ...), with the post's title, each ancestor's body and the comment's depth; 0 is QUERY."""
    if depth <= 0:
        return QUERY
    select, body = QUERY.split("\nFROM ", 1)
    joins, where = body.split("\nWHERE ", 1)
    lines = joins.splitlines()  # comments a, join b, join posts s
    levels = range(1, depth + 1)
    parents = ["a", *(f"p{i}" for i in levels)]
    select += ",\n  s.title AS title,\n" + "".join(f"  p{i}.body AS ancestor_{i},\n" for i in levels)
    select += ("  CASE " + " ".join(f"WHEN {parents[i]}.parent_id = CONCAT('t3_', s.id) THEN {i}" for i in
                                    range(depth + 1)) + " END AS comment_depth")
    self_joins = [f"LEFT JOIN `{{comments}}` AS p{i} ON {parents[i - 1]}.parent_id = CONCAT('t1_', p{i}.id)"
                  for i in levels]
    post_join = "JOIN `{posts}` AS s ON CONCAT('t3_', s.id) = a.link_id"
    reaches = " OR ".join(f"{p}.parent_id = CONCAT('t3_', s.id)" for p in parents)
    return "\n".join([select, "FROM " + lines[0], lines[1], *self_joins, post_join,
                      f"WHERE ({reaches})\n  AND " + where])


def with_ancestors(df: pd.DataFrame, depth: int) -> pd.DataFrame:
    """A context query's rows in RAW_COLUMNS + title + ancestors (JSON, oldest first), as the raw files hold them."""
    from ..context import encode_ancestors

    if depth <= 0:
        return df
    levels = [df[f"ancestor_{i}"].tolist() if f"ancestor_{i}" in df.columns else [None] * len(df)
              for i in range(1, depth + 1)]
    chains = [encode_ancestors(str(levels[i][row] or "") for i in reversed(range(int(k))))
              for row, k in enumerate(pd.to_numeric(df["comment_depth"]).fillna(0).tolist())]
    return df[RAW_COLUMNS].assign(title=df["title"].fillna("").astype(str).tolist(), ancestors=chains)


def table_name(template: str, month: str) -> str:
    """Fill a table template with a month, refusing anything that is not a plain table name."""
    if not MONTH_RE.match(str(month)):
        raise ConfigError(f"months must be 'YYYY_MM' strings, got {month!r}")
    if "{month}" not in template:
        raise ConfigError(f"table template {template!r} has no {{month}} placeholder")
    name = template.replace("{month}", month)
    if not TABLE_RE.match(name):
        raise ConfigError(f"table template {template!r} gives {name!r}, not a [project.]dataset.table name")
    return name


def build_query(comments_table: str, posts_table: str, context_depth: int = 0) -> str:
    for t in (comments_table, posts_table):
        if not TABLE_RE.match(t):
            raise ConfigError(f"{t!r} is not a [project.]dataset.table name")
    return context_query(context_depth).format(comments=comments_table, posts=posts_table)


def normalize_subreddits(subreddits: str | Iterable[str]) -> list[str]:
    subs = subreddits.split(",") if isinstance(subreddits, str) else list(subreddits)
    subs = [str(s).strip().removeprefix("r/").lower() for s in subs if str(s).strip()]
    bad = [s for s in subs if not SUBREDDIT_RE.match(s)]
    if bad or not subs:
        raise ConfigError(f"subreddits must be a non-empty list of subreddit names, got {list(subreddits)!r}")
    return sorted(set(subs))


def query_parameters(subreddits: Iterable[str]) -> list:
    from google.cloud import bigquery

    return [bigquery.ArrayQueryParameter("subreddits", "STRING", normalize_subreddits(subreddits))]


def make_client(project: str):
    """A real client for ``project`` (the one billed). Colab: authenticates the notebook's user first."""
    if not project:
        raise ConfigError("source 'bigquery' needs bq_project: the Google Cloud project that pays for the queries")
    from google.cloud import bigquery

    if drv.in_colab():
        from google.colab import auth  # only importable in Colab

        auth.authenticate_user()
    return bigquery.Client(project=project)


MAX_BYTES_BILLED = default("max_bytes_billed", "00")  # 50 GiB per month's query, notebook 00's default


def human_bytes(n: float) -> str:
    """Binary units, named as such: BigQuery bills per TiB and the default cap is 50 GiB."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n} B"


def month_path(out_dir: str | Path, month: str, context_depth: int = 0) -> Path:
    """A month's file; with thread context another file per depth (its rows and columns differ)."""
    return Path(out_dir) / (f"{month}.csv" if context_depth <= 0 else f"{month}_context{context_depth}.csv")


def rows_to_frame(rows: Iterable[Any], context_depth: int = 0) -> pd.DataFrame:
    """bigquery Rows (or mappings) -> RAW_COLUMNS (+ title, ancestors with context); no pyarrow needed."""
    records = [dict(r.items()) for r in rows]
    cols = RAW_COLUMNS if context_depth <= 0 else (
        RAW_COLUMNS + ["title", "comment_depth"] + [f"ancestor_{i}" for i in range(1, context_depth + 1)])
    df = pd.DataFrame.from_records(records, columns=cols) if records else pd.DataFrame(columns=cols)
    if context_depth > 0:
        df = with_ancestors(df, context_depth)
    missing = [c for c in cols if records and c not in records[0]]
    if missing:
        raise StageError(f"the BigQuery result lacks column(s) {missing}")
    return df


def access_denied_message(month: str, comments_table: str, posts_table: str, detail: str) -> str:
    """What to do when BigQuery answers 403: the public fh-bigquery tables, or one's own tables' permissions."""
    detail = (str(detail).strip().splitlines() or ["access denied"])[0][:200]
    if any(t.startswith("fh-bigquery.") for t in (comments_table, posts_table)):
        return (f"{month}: BigQuery denied access ({detail}). The public fh-bigquery Reddit tables ({comments_table}, "
                f"{posts_table}) are no longer readable (reported since January 2025). Load Reddit dumps into a "
                "dataset of your own (README, 'Getting data': bq load with the schema the query expects) and set "
                "comments_table / posts_table to it, e.g. 'my-project.reddit.comments_{month}'; or use source "
                "'arctic_shift' or 'reddit', which work today")
    return (f"{month}: BigQuery denied access to {comments_table} / {posts_table} "
            f"({detail}). Check that the account running this can read those tables and "
            "run jobs in bq_project (roles BigQuery Data Viewer and BigQuery Job User)")


def pull_month(client, month: str, subreddits: Iterable[str], out_dir: str | Path,
               comments_template: str = COMMENTS_TEMPLATE, posts_template: str = POSTS_TEMPLATE,
               max_bytes_billed: int = MAX_BYTES_BILLED, log: Callable[[str], None] = print,
               on_saved: Callable[[Path], object] | None = None, context_depth: int = 0) -> Path:
    """Dry-run, check the scan size, run, save one month; an existing file means the month is done."""
    from google.api_core import exceptions as gexc
    from google.cloud import bigquery

    path = month_path(out_dir, month, context_depth)
    if path.exists():
        log(f"{month}: already saved ({path.name}), skipped")
        return path
    sql = build_query(table_name(comments_template, month), table_name(posts_template, month), context_depth)
    params = query_parameters(subreddits)
    try:
        dry = client.query(sql, job_config=bigquery.QueryJobConfig(
            dry_run=True, use_query_cache=False, query_parameters=params))
        scanned = int(dry.total_bytes_processed or 0)
        log(f"{month}: dry run: the query will scan {human_bytes(scanned)} ({scanned} bytes)")
        if max_bytes_billed and scanned > max_bytes_billed:
            raise ConfigError(f"{month}: the query would scan {human_bytes(scanned)}, over max_bytes_billed = "
                              f"{max_bytes_billed} ({human_bytes(max_bytes_billed)}); raise it or pull fewer months")
        job = client.query(sql, job_config=bigquery.QueryJobConfig(
            query_parameters=params, maximum_bytes_billed=int(max_bytes_billed) if max_bytes_billed else None))
        df = rows_to_frame(job.result(), context_depth)
    except gexc.Forbidden as e:
        detail = (e.errors[0].get("message") if e.errors and isinstance(e.errors[0], dict) else "") or e.message
        raise StageError(access_denied_message(month, table_name(comments_template, month),
                                               table_name(posts_template, month), str(detail))) from None
    except gexc.GoogleAPIError as e:
        raise StageError(f"{month}: BigQuery failed: {getattr(e, 'message', e)}. Months already saved in {out_dir} "
                         "are kept; re-run to resume") from None
    files.write_csv(df, path)
    log(f"{month}: {len(df)} rows saved to {path.name}")
    if on_saved is not None:
        on_saved(path)
    return path


def pull_months(client, months: Iterable[str], subreddits: Iterable[str], out_dir: str | Path,
                comments_template: str = COMMENTS_TEMPLATE, posts_template: str = POSTS_TEMPLATE,
                max_bytes_billed: int = MAX_BYTES_BILLED, log: Callable[[str], None] = print,
                on_saved: Callable[[Path], object] | None = None, context_depth: int = 0) -> list[Path]:
    """Pull each month in order, saving each as it arrives; returns the month files (new and already present)."""
    months = list(months)
    if not months:
        raise ConfigError("source 'bigquery' needs months, e.g. months = ['2018_01', '2018_02']")
    for m in months:
        table_name(comments_template, m), table_name(posts_template, m)  # validate all before spending anything
    normalize_subreddits(subreddits)
    from ..quiet import bar as progress

    return [pull_month(client, m, subreddits, out_dir, comments_template, posts_template, max_bytes_billed, log,
                       on_saved, context_depth) for m in progress(iterable=months, desc="BigQuery months",
                                                                  unit="month")]
