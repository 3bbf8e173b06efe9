"""Source pushshift: small generated .zst dumps (one with the dumps' 2^31 window), streamed, giving the same pairs
as the BigQuery query over the same data."""

import io
import json

import duckdb
import pytest
import zstandard

from helpers.data import bigquery_source as bq
from helpers.data.pushshift_source import file_kind, iter_lines, read_dumps
from helpers.errors import ConfigError, InputError
from helpers.schema import ISSUE, RAW_COLUMNS
from redditfixtures import COMMENTS, EXPECTED, POSTS, SUBREDDITS
from test_data_bigquery import make_month, run_bigquery_sql


def write_zst(path, records, window_log=None, raw_lines=()):
    params = (zstandard.ZstdCompressionParameters.from_level(3, window_log=window_log, enable_ldm=True)
              if window_log else zstandard.ZstdCompressionParameters.from_level(3))
    buf = io.BytesIO()
    with zstandard.ZstdCompressor(compression_params=params).stream_writer(buf, closefd=False) as w:
        for r in records:
            w.write((json.dumps(r) + "\n").encode("utf-8"))
        for line in raw_lines:
            w.write(line)
    path.write_bytes(buf.getvalue())
    return path


def pairs(df):
    return sorted(df[["thread_id", "comment_id", "reply_id", "subreddit", "comment", "reply", "reply_score"]]
                  .itertuples(index=False, name=None))


def test_monthly_dumps_give_the_same_rows_as_the_bigquery_query(tmp_path):
    rs = write_zst(tmp_path / "RS_2018-01.zst", POSTS)
    rc = write_zst(tmp_path / "RC_2018-01.zst", COMMENTS, window_log=31)  # needs max_window_size=2**31
    with pytest.raises(zstandard.ZstdError):
        zstandard.ZstdDecompressor().stream_reader(io.BytesIO(rc.read_bytes())).read()
    df, stats = read_dumps([rc, rs], SUBREDDITS)
    assert pairs(df) == EXPECTED
    assert stats["submissions_read"] == len(POSTS) and stats["comments_read"] == len(COMMENTS)
    con = duckdb.connect()
    make_month(con, "2018_01")
    sql = bq.build_query(bq.table_name(bq.COMMENTS_TEMPLATE, "2018_01"), bq.table_name(bq.POSTS_TEMPLATE, "2018_01"))
    via_sql = bq.rows_to_frame(run_bigquery_sql(con, sql, bq.query_parameters(SUBREDDITS)))
    key = ["reply_id"]
    assert (df[RAW_COLUMNS].sort_values(key).reset_index(drop=True).astype(str)
            .equals(via_sql.sort_values(key).reset_index(drop=True).astype(str)))


def test_per_subreddit_dumps(tmp_path):
    files = []
    for sub in ("writing", "Cooking"):
        files.append(write_zst(tmp_path / f"{sub}_submissions.zst", [p for p in POSTS if p["subreddit"] == sub]))
        files.append(write_zst(tmp_path / f"{sub}_comments.zst", [c for c in COMMENTS if c["subreddit"] == sub]))
    df, _ = read_dumps(files, SUBREDDITS)
    assert pairs(df) == EXPECTED
    df, _ = read_dumps(files, ["cooking"])
    assert list(df["reply_id"]) == ["r6"]


def test_bad_lines_are_counted_and_bad_bytes_marked(tmp_path):
    rs = write_zst(tmp_path / "RS_2018-01.zst", POSTS)
    bad_reply = json.dumps(dict(COMMENTS[1], id="rx", body="caf_")).encode().replace(b"caf_", b"caf\xe9")
    rc = write_zst(tmp_path / "RC_2018-01.zst", COMMENTS,
                   raw_lines=[b"\n", b"{not json\n", b"[1, 2]\n", bad_reply + b"\n"])
    df, stats = read_dumps([rs, rc], SUBREDDITS)
    assert stats["bad_json_lines"] == 2
    assert df.set_index("reply_id").loc["rx", ISSUE] == "non_utf8"
    assert (df.loc[df.reply_id != "rx", ISSUE] == "").all()


def test_lines_are_streamed_and_a_corrupt_file_is_named(tmp_path):
    good = write_zst(tmp_path / "RC_2018-02.zst", COMMENTS).read_bytes()
    broken = tmp_path / "RC_2018-03.zst"
    broken.write_bytes(good[: len(good) // 2])
    lines = iter_lines(tmp_path / "RC_2018-02.zst")
    assert json.loads(next(lines))["id"] == "c1"  # a generator: the first line comes before the rest is read
    rs = write_zst(tmp_path / "RS_2018-03.zst", POSTS)
    with pytest.raises(InputError, match=r"RC_2018-03\.zst"):
        read_dumps([rs, broken], SUBREDDITS)


def test_names_and_inputs_are_checked(tmp_path):
    assert file_kind("RS_2018-01.zst") == "submissions" and file_kind("x/AskReddit_comments.zst") == "comments"
    with pytest.raises(ConfigError, match="not a Pushshift dump name"):
        file_kind("dump.zst")
    rs = write_zst(tmp_path / "RS_2018-01.zst", POSTS)
    with pytest.raises(ConfigError, match="both submissions and comments"):
        read_dumps([rs], SUBREDDITS)
    with pytest.raises(ConfigError, match="subreddits"):
        read_dumps([rs], [])


def test_load_raw_pushshift_writes_the_raw_pairs(tmp_path):
    from helpers import drive as drv
    from helpers.data.sources import load_raw

    (tmp_path / "dumps").mkdir()
    write_zst(tmp_path / "dumps" / "RS_2018-01.zst", POSTS)
    write_zst(tmp_path / "dumps" / "RC_2018-01.zst", COMMENTS)
    drive = drv.open_drive(tmp_path / "drive", "local")
    df, stats = load_raw("pushshift", drive, subreddits="writing,cooking", dump_glob=str(tmp_path / "dumps/*.zst"))
    assert pairs(df) == EXPECTED and stats["pairs"] == 2
    assert drive.path(drv.RAW_PUSHSHIFT).exists()
