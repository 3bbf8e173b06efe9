"""Source bigquery: the exact SQL we send, run on DuckDB over fh-bigquery-shaped tables; the client call path
(dry run, bytes cap, one file per month, resume) with query execution replaced at the client boundary."""

from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest
import sqlglot
from google.api_core import exceptions as gexc
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery
from google.cloud.bigquery.table import Row

from helpers.data import bigquery_source as bq
from helpers.data.csv_source import read_raw_csvs
from helpers.errors import ConfigError, StageError
from helpers.schema import RAW_COLUMNS
from redditfixtures import COMMENT_COLUMNS, COMMENTS, EXPECTED, POST_COLUMNS, POSTS, SUBREDDITS


def make_month(con, month, posts=POSTS, comments=COMMENTS):
    """Tables named exactly like fh-bigquery's: catalog fh-bigquery, schemas reddit_comments / reddit_posts."""
    if not con.execute("SELECT 1 FROM duckdb_databases() WHERE database_name = 'fh-bigquery'").fetchall():
        con.execute("ATTACH ':memory:' AS \"fh-bigquery\"")
        con.execute('CREATE SCHEMA "fh-bigquery".reddit_comments')
        con.execute('CREATE SCHEMA "fh-bigquery".reddit_posts')
    for schema, cols, rows in (("reddit_posts", POST_COLUMNS, posts), ("reddit_comments", COMMENT_COLUMNS, comments)):
        table = f'"fh-bigquery".{schema}."{month}"'
        con.execute(f"CREATE TABLE {table} ({', '.join(f'{k} {v}' for k, v in cols.items())})")
        if rows:
            con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(cols))})",
                            [[r[k] for k in cols] for r in rows])


def run_bigquery_sql(con, sql, params):
    """Parse as BigQuery SQL, transpile to DuckDB, bind the @parameters, run."""
    duck_sql = sqlglot.transpile(sql, read="bigquery", write="duckdb")[0]
    values = {p.name: (p.values if hasattr(p, "values") else p.value) for p in params}
    cur = con.execute(duck_sql, values)
    names = [d[0] for d in cur.description]
    return [Row(r, {n: i for i, n in enumerate(names)}) for r in cur.fetchall()]


def test_query_returns_exactly_the_seed_pairs():
    con = duckdb.connect()
    make_month(con, "2018_01")
    sql = bq.build_query(bq.table_name(bq.COMMENTS_TEMPLATE, "2018_01"), bq.table_name(bq.POSTS_TEMPLATE, "2018_01"))
    sqlglot.parse_one(sql, read="bigquery")  # valid BigQuery SQL
    assert "writing" not in sql.lower() and "@subreddits" in sql  # user values only as parameters
    df = bq.rows_to_frame(run_bigquery_sql(con, sql, bq.query_parameters(SUBREDDITS)))
    assert list(df.columns) == RAW_COLUMNS
    got = sorted(df[["thread_id", "comment_id", "reply_id", "subreddit", "comment", "reply", "reply_score"]]
                 .itertuples(index=False, name=None))
    assert got == EXPECTED
    row = df[df.reply_id == "r1"].iloc[0]
    assert (row.submission, row.submission_author, row.comment_author, row.reply_author) == (
        "How do I finish a draft?", "op1", "alice", "bob")
    only_cooking = run_bigquery_sql(con, sql, bq.query_parameters(["r/Cooking"]))
    assert [r["reply_id"] for r in only_cooking] == ["r6"]


@pytest.mark.parametrize("template", ["fh-bigquery.reddit_comments.{month}; DROP TABLE x",
                                      "fh-bigquery.reddit_comments.2018_01", "`evil`.{month}", "a.b.c.{month}"])
def test_table_templates_are_checked(template):
    with pytest.raises(ConfigError):
        bq.table_name(template, "2018_01")


@pytest.mark.parametrize("subs", [[], ["writing') OR TRUE --"], "a b"])
def test_subreddit_names_are_checked(subs):
    with pytest.raises(ConfigError):
        bq.normalize_subreddits(subs)


def test_months_are_checked():
    with pytest.raises(ConfigError, match="YYYY_MM"):
        bq.table_name(bq.COMMENTS_TEMPLATE, "2018-13")


class DuckBackedQuery:
    """Stands in for Client.query: dry runs report a scan size; real runs execute the SQL on DuckDB."""

    def __init__(self, con, scanned=1234):
        self.con, self.scanned, self.calls = con, scanned, []

    def __call__(self, sql, job_config=None, **kw):
        api = job_config.to_api_repr()["query"]
        self.calls.append((sql, bool(job_config.dry_run), api))
        if job_config.dry_run:
            return SimpleNamespace(total_bytes_processed=self.scanned)
        try:
            rows = run_bigquery_sql(self.con, sql, job_config.query_parameters)
        except duckdb.CatalogException as e:
            raise gexc.NotFound(f"Not found: {str(e).splitlines()[0]}") from None
        return SimpleNamespace(result=lambda: iter(rows))


@pytest.fixture
def client():
    c = bigquery.Client(project="test-project", credentials=AnonymousCredentials())
    c.query = DuckBackedQuery(duckdb.connect())
    return c


def test_dry_run_then_capped_run_one_file_per_month(client, tmp_path, capsys):
    for m in ("2018_01", "2018_02"):
        make_month(client.query.con, m)
    saved = []
    paths = bq.pull_months(client, ["2018_01", "2018_02"], SUBREDDITS, tmp_path, max_bytes_billed=10_000,
                           on_saved=saved.append)
    assert [p.name for p in paths] == ["2018_01.csv", "2018_02.csv"] == [p.name for p in saved]
    assert [dry for _, dry, _ in client.query.calls] == [True, False, True, False]
    dry_api, run_api = client.query.calls[0][2], client.query.calls[1][2]
    assert dry_api["useQueryCache"] is False
    assert run_api["maximumBytesBilled"] == "10000"
    assert run_api["queryParameters"][0]["parameterType"] == {"type": "ARRAY", "arrayType": {"type": "STRING"}}
    assert "1.2 KiB" in capsys.readouterr().out
    df = read_raw_csvs(paths, verbose=False)
    assert sorted(df["reply_id"]) == ["r1", "r1", "r6", "r6"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_bytes_cap_refuses_before_running(client, tmp_path):
    make_month(client.query.con, "2018_01")
    client.query.scanned = 10**12
    with pytest.raises(ConfigError, match="max_bytes_billed"):
        bq.pull_months(client, ["2018_01"], SUBREDDITS, tmp_path, max_bytes_billed=10**9)
    assert [dry for _, dry, _ in client.query.calls] == [True]  # nothing billed
    assert not list(tmp_path.iterdir())


def test_failure_keeps_earlier_months_and_a_rerun_resumes(client, tmp_path):
    make_month(client.query.con, "2018_01")  # 2018_02 is missing: BigQuery answers NotFound
    with pytest.raises(StageError, match="(?s)2018_02.*Not found.*re-run to resume"):
        bq.pull_months(client, ["2018_01", "2018_02"], SUBREDDITS, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["2018_01.csv"]
    before = (tmp_path / "2018_01.csv").read_bytes()
    make_month(client.query.con, "2018_02", comments=[])  # a month with no pairs still gets its file
    client.query.calls.clear()
    paths = bq.pull_months(client, ["2018_01", "2018_02"], SUBREDDITS, tmp_path)
    assert len(client.query.calls) == 2 and all("2018_02" in sql for sql, _, _ in client.query.calls)
    assert (tmp_path / "2018_01.csv").read_bytes() == before
    assert len(pd.read_csv(paths[1])) == 0 and list(pd.read_csv(paths[1]).columns) == RAW_COLUMNS


def test_load_raw_bigquery_through_the_front_door(client, tmp_path):
    from helpers import drive as drv
    from helpers.data.sources import load_raw

    make_month(client.query.con, "2018_01")
    drive = drv.open_drive(tmp_path, "local")
    df, stats = load_raw("bigquery", drive, subreddits=SUBREDDITS, months=["2018_01"], client=client,
                         max_bytes_billed=10**9)
    assert sorted(df["reply_id"]) == ["r1", "r6"] and stats["files"] == ["raw/bigquery/2018_01.csv"]
    with pytest.raises(ConfigError, match="subreddits"):
        load_raw("bigquery", drive, subreddits=[], months=["2018_01"], client=client)


def test_a_real_client_needs_a_project():
    with pytest.raises(ConfigError, match="bq_project"):
        bq.make_client("")


def test_notebook_default_cap_is_the_code_default():
    """One number: the notebook once said 50 GB (10**9) while the code meant 50 GiB (2**30)."""
    import ast
    import json

    nb = json.loads((Path(__file__).resolve().parents[2] / "notebooks" / "00_pull_reddit_data.ipynb").read_text())
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    defaults = {t.id: ast.literal_eval(n.value) for n in ast.parse("".join(cell["source"])).body
                if isinstance(n, ast.Assign) for t in n.targets}
    assert defaults["max_bytes_billed"] == bq.MAX_BYTES_BILLED == 50 * 2**30
    assert bq.human_bytes(bq.MAX_BYTES_BILLED) == "50.0 GiB"


def test_load_raw_caps_the_scan_like_notebook_00_when_no_cap_is_given(client, tmp_path):
    """load_raw once defaulted to max_bytes_billed=0 (no cap): called from Python it would bill any scan."""
    from helpers import drive as drv
    from helpers.data.sources import load_raw

    make_month(client.query.con, "2018_01")
    client.query.scanned = 60 * 2**30
    with pytest.raises(ConfigError, match="over max_bytes_billed = 53687091200"):
        load_raw("bigquery", drv.open_drive(tmp_path, "local"), subreddits=SUBREDDITS, months=["2018_01"],
                 client=client)
    assert [dry for _, dry, _ in client.query.calls] == [True]  # nothing billed
