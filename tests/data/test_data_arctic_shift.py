"""Source arctic_shift against a loopback server speaking Arctic Shift's response shape: paging through ties, a 429,
a 5xx and a cut body retried, a service that is down, resume per subreddit and month, and pairing by the same code
as the Pushshift dumps."""

import json
from datetime import datetime, timezone

import pytest

from helpers import drive as drv
from helpers.data import arctic_shift_source as asrc
from helpers.data import pushshift_source, sources
from helpers.data.csv_source import load_sample
from helpers.data.prepare import prepare
from helpers.errors import ConfigError, StageError
from helpers.offline import fake_arctic_shift as fas

JAN = datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()
FEB = datetime(2024, 2, 1, tzinfo=timezone.utc).timestamp()
SUBS = ["writing", "scifi"]


@pytest.fixture()
def corpus():
    pairs = load_sample()
    jan = pairs[pairs["subreddit"].isin(SUBS) & (pairs.index % 2 == 0)]
    feb = pairs[pairs["subreddit"].isin(SUBS) & (pairs.index % 2 == 1)]
    p1, c1 = fas.records_from_pairs(jan, JAN, link_posts=2)
    feb = feb.assign(thread_id=feb["thread_id"] + "b", comment_id=feb["comment_id"] + "b")  # other threads
    p2, c2 = fas.records_from_pairs(feb, FEB)
    return p1 + p2, c1 + c2, pairs[pairs["subreddit"].isin(SUBS)]


@pytest.fixture()
def server(corpus):
    with fas.serve(corpus[0], corpus[1]) as srv:
        yield srv


class Sleeps(list):
    def __call__(self, s):
        self.append(s)


def client(server, **kw):
    """Pages of 7 (the service's are 100): page boundaries fall inside seconds shared by several comments."""
    return asrc.Client(base_url=server.url, interval_s=0, backoff_s=0.01, sleep=Sleeps(), **{"page_size": 7, **kw})


def load(server, root, cl=None, **kw):
    drive = drv.open_drive(str(root), "local")
    return sources.load_raw("arctic_shift", drive, subreddits=SUBS, months=["2024_01", "2024_02"],
                            client=cl or client(server), **kw)


def test_pairs_every_record_across_pages_and_months(server, corpus, tmp_path):
    df, stats = load(server, tmp_path)
    n_comments = sum(1 for c in corpus[1])
    pages = [r for r in server.state.requests if r["path"] == "/api/comments/search"]
    assert len(pages) > len(corpus[1]) / 7  # paged: every page re-asks from the last page's final second
    assert stats["comments_read"] == n_comments and stats["submissions_read"] == len(corpus[0])
    # the sample's pairs, all of them: ties at page boundaries lost nothing, link posts kept with their title
    assert len(df) == len(corpus[2]) and set(df["reply_id"]) == set(corpus[2]["reply_id"])
    link = df[df["submission"].str.startswith("Thread ")]
    assert link["thread_id"].nunique() == 2
    saved = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / drv.RAW_ARCTIC_SHIFT).rglob("*"))
    assert "raw/arctic_shift/writing/2024_01_comments.ndjson" in saved and len([s for s in saved if "." in s]) == 8
    summary = prepare(df, drv.open_drive(str(tmp_path), "local"), source="arctic_shift", source_stats=stats,
                      verbose=False)
    assert summary["rows_out"] > 0.9 * len(corpus[2]) and (tmp_path / drv.BERT_GAN_REAL).exists()


def test_pages_of_100_by_default(server, tmp_path):
    df, stats = load(server, tmp_path, asrc.Client(base_url=server.url, interval_s=0, sleep=Sleeps()))
    assert all(r["params"]["limit"] == "100" for r in server.state.requests)
    assert stats["requests"] == len(server.state.requests) == 8 and len(df) > 0


def test_one_pairing_path_with_pushshift_dumps(server, tmp_path):
    df, _ = load(server, tmp_path)
    paths = sorted((tmp_path / drv.RAW_ARCTIC_SHIFT).rglob("*.ndjson"))
    again, _ = pushshift_source.read_dumps(paths, SUBS, keep_titles=True)
    def by_reply(frame):
        return frame.sort_values("reply_id").reset_index(drop=True)

    assert by_reply(again).equals(by_reply(df))
    seed_way, _ = pushshift_source.read_dumps(paths, SUBS)  # the seed's rule: posts without selftext skipped
    assert len(seed_way) < len(df)


def test_429_5xx_and_a_cut_body_are_retried(server, tmp_path):
    for kind in ("429", "500", "503", "truncated"):
        server.state.faults.append(fas.Fault("/api/comments/search", kind=kind, times=1))
    cl = client(server)
    df, stats = load(server, tmp_path, cl)
    clean, _ = load(server, tmp_path / "clean")
    assert len(df) == len(clean)
    assert sum(stats["retried"].values()) == 4 and "HTTP 429" in stats["retried"]
    assert any("unreadable" in k or "Chunked" in k or "Connection" in k for k in stats["retried"])
    assert 1 in cl.sleep  # the 429's Retry-After honoured


def test_a_timeout_is_retried_and_a_closed_port_is_a_clear_error(server, tmp_path):
    server.state.faults.append(fas.Fault("/api/posts/search", kind="slow", delay_s=1.0))
    cl = client(server, timeout_s=0.3)
    df, stats = load(server, tmp_path, cl)
    assert stats["retried"] == {"ReadTimeout": 1} and len(df) > 0
    closed = asrc.Client(base_url="http://127.0.0.1:9", interval_s=0, backoff_s=0.01, retries=1, sleep=Sleeps())
    with pytest.raises(StageError, match=r"127.0.0.1:9 did not answer .* after 2 tries \(last: ConnectionError\)"):
        closed.get("/api/posts/search", {"subreddit": "writing"})


def test_pacing_between_requests(server, tmp_path):
    cl = asrc.Client(base_url=server.url, interval_s=0.5, sleep=Sleeps())
    cl.get("/api/posts/search", {"subreddit": "writing", "limit": 1})
    cl.get("/api/posts/search", {"subreddit": "writing", "limit": 1})
    assert len(cl.sleep) == 1 and 0.3 < cl.sleep[0] <= 0.5


def test_service_down_is_a_clear_error_and_keeps_saved_months(server, tmp_path):
    cl = client(server, retries=2)
    real_get = cl.get

    def get(path, params):  # the service goes down after January's posts and comments of r/writing
        if params["after"] >= FEB - 1:
            server.state.down = True
        return real_get(path, params)

    cl.get = get
    with pytest.raises(StageError, match=r"did not answer .* after 3 tries \(last: HTTP 503\).*down.*resume"):
        load(server, tmp_path, cl)
    saved = {p.name for p in (tmp_path / drv.RAW_ARCTIC_SHIFT / "writing").iterdir()}
    assert saved == {"2024_01_submissions.ndjson", "2024_01_comments.ndjson"}  # nothing half-written
    server.state.down = False
    before = len(server.state.requests)
    df, _ = load(server, tmp_path)
    resumed = server.state.requests[before:]
    assert not any(r["params"]["subreddit"] == "writing" and r["params"]["before"] == str(int(FEB))
                   for r in resumed)  # January of r/writing was not asked for again
    clean, _ = load(server, tmp_path / "clean")
    assert len(df) == len(clean)


def test_after_before_windows_and_bad_parameters():
    w = asrc.month_windows(after="2024-01-15", before="2024-03-01")
    assert [x.name for x in w] == ["2024-01-15_2024-02-01", "2024_02"]
    assert w[1].end - w[1].start == 29 * 86400
    with pytest.raises(ConfigError, match="YYYY_MM"):
        asrc.month_windows(["2024-01"])
    with pytest.raises(ConfigError, match="months"):
        asrc.month_windows([])


def test_saved_pages_are_pushshift_shaped_ndjson(server, tmp_path):
    load(server, tmp_path)
    line = (tmp_path / drv.RAW_ARCTIC_SHIFT / "scifi" / "2024_01_comments.ndjson").read_text().splitlines()[0]
    rec = json.loads(line)
    assert {"id", "body", "link_id", "parent_id", "author", "score", "created_utc"} <= set(rec)
