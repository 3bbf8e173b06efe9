"""Source reddit with real PRAW against the loopback Reddit: read-only credentials, listings and paging, comment trees
behind "load more", link posts kept with their title, missing optional fields, and kill-and-resume per post."""

import pandas as pd
import pytest

from helpers import drive as drv
from helpers.data import reddit_source as rs
from helpers.data import sources
from helpers.data.csv_source import load_sample
from helpers.data.prepare import prepare
from helpers.offline import fake_reddit
from helpers.offline.fake_reddit_listings import threads_from_pairs
from helpers.reddit import client as reddit_client

RENAME = {"writing": "funny", "scifi": "IAmA"}


class Killed(BaseException):
    """A kill (Ctrl-C, a Colab disconnect)."""


def read_only_ini(server, path, site="bot"):
    path.write_text(f"[{site}]\nclient_id=loopback-client\nclient_secret=loopback-secret\noauth_url={server.url}\n"
                    f"reddit_url={server.url}\ncheck_for_updates=False\n", encoding="utf-8")
    return path


@pytest.fixture()
def pairs():
    df = load_sample()
    return df[df["subreddit"].isin(RENAME)].reset_index(drop=True)


@pytest.fixture()
def server(pairs, monkeypatch):
    monkeypatch.setenv("PRAW_ALLOW_ENDPOINT_OVERRIDE", "1")
    monkeypatch.setattr("time.sleep", lambda s: None)
    monkeypatch.setattr(fake_reddit, "MORE_AFTER", 1)  # the sample's threads are small: put some behind "load more"
    with fake_reddit.serve(threads_from_pairs(pairs, RENAME)) as srv:
        yield srv


def load(server, root, **opts):
    ini = read_only_ini(server, root.parent / f"{root.name}.ini")
    drive = drv.open_drive(str(root), "local")
    return sources.load_raw("reddit", drive, subreddits=["funny", "IAmA"],
                            reddit={"praw_site": "bot", "praw_ini": str(ini), **opts})


def expected(pairs, server):
    """The sample's pairs of the threads inside t=year (each subreddit's last thread is two years old)."""
    newest = max(p["created_utc"] for p in server.state.posts.values())
    recent = {i for i, p in server.state.posts.items() if p["created_utc"] > newest - 366 * 86400}
    return pairs[pairs["thread_id"].isin(recent)]


def test_read_only_pull_gives_the_threads_pairs(server, pairs, tmp_path):
    df, stats = load(server, tmp_path / "d")
    want = expected(pairs, server)
    assert 0 < len(want) < len(pairs)  # the two-year-old threads are outside t=year
    assert sorted(df["reply_id"]) == sorted(want["reply_id"])
    assert set(df["subreddit"]) == {"funny", "IAmA"}
    assert stats["credentials"].startswith("praw.ini") and stats["posts_pulled"] == want["thread_id"].nunique()
    def triples(frame):
        return sorted(zip(frame["reply_id"], frame["comment"], frame["reply"]))

    assert triples(df) == triples(want)  # the same comment and reply texts, as Reddit serves them
    links = [p for p, post in server.state.posts.items() if post["selftext"] == "" and p in set(df["thread_id"])]
    assert links and df[df["thread_id"].isin(links)]["submission"].str.startswith("Thread ").all()  # title kept
    assert df["permalink"].str.match(r"^/r/(funny|IAmA)/comments/\w+/x/\w+/$").all()
    assert any(r.path == "/api/morechildren" for r in server.state.requests)  # "load more" expanded
    assert stats["requests"] == len(server.state.requests)
    print(f"requests per 100 pairs: {100 * stats['requests'] / len(df):.1f} ({stats['requests']} for {len(df)})")
    summary = prepare(df, drv.open_drive(str(tmp_path / "d"), "local"), source="reddit", source_stats=stats,
                      verbose=False)
    assert summary["rows_out"] > 0.9 * len(df)
    reddit, _ = reddit_client.make_reddit("bot", read_only_ini(server, tmp_path / "ro.ini"))
    assert reddit.read_only


@pytest.mark.parametrize("listing,time_filter,old_included", [("top", "all", True), ("controversial", "year", False),
                                                             ("hot", "year", True), ("new", "week", True)])
def test_listings_and_time_filters(server, tmp_path, listing, time_filter, old_included):
    df, stats = load(server, tmp_path / "d", listing=listing, time_filter=time_filter)
    assert stats["posts_listed:funny"] == (10 if old_included else 9)
    kind = [r for r in server.state.requests if r.path == f"/r/funny/{listing}"]
    assert kind and (listing in ("hot", "new") or kind[0].params.get("t") == time_filter)


def test_paging_and_posts_per_subreddit(server, pairs, tmp_path):
    many = pd.concat([pairs.assign(**{c: pairs[c] + f"x{k}" for c in ("thread_id", "comment_id", "reply_id")})
                      for k in range(16)], ignore_index=True)
    with fake_reddit.serve(threads_from_pairs(many, RENAME)) as big:
        df, stats = load(big, tmp_path / "d", posts_per_subreddit=150, listing="new")
        pages = [r for r in big.state.requests if r.path == "/r/funny/new"]
    assert stats["posts_listed:funny"] == 150 and len(pages) == 2 and pages[1].params.get("after", "").startswith("t3_")
    assert df[df["subreddit"] == "funny"]["thread_id"].nunique() <= 150


def test_killed_midway_resumes_without_fetching_saved_posts(server, pairs, tmp_path):
    root = tmp_path / "d"
    calls = []

    def kill_after_three(path):
        calls.append(path)
        if len(calls) == 3:
            raise Killed()

    ini = read_only_ini(server, tmp_path / "k.ini")
    reddit, _ = reddit_client.make_reddit("bot", ini)
    with pytest.raises(Killed):
        rs.pull(reddit, ["funny", "IAmA"], root / drv.RAW_REDDIT, on_saved=kill_after_three)
    saved = sorted((root / drv.RAW_REDDIT / "funny").glob("*.csv"))
    assert len(saved) == 3 and not list(root.rglob("*.tmp*"))
    before = len(server.state.requests)
    df, stats = load(server, root)
    threads = [r.path for r in server.state.requests[before:] if "/comments/" in r.path]
    assert not any(p.stem in t for p in saved for t in threads)  # saved posts were not fetched again
    assert stats["posts_resumed"] == 3
    assert sorted(df["reply_id"]) == sorted(expected(pairs, server)["reply_id"])


@pytest.mark.parametrize("name", ["permalink", "author", "selftext", "created_utc", "edited", "distinguished",
                                  "locked", "archived"])
def test_missing_optional_fields_do_not_stop_the_pull(server, pairs, tmp_path, name):
    server.state.omit_fields = {name}
    df, stats = load(server, tmp_path / "d")
    assert len(df) == len(expected(pairs, server))
    if name == "permalink":
        assert df["permalink"].str.match(r"^/r/(funny|IAmA)/comments/\w+/_/\w+/$").all()  # derived from the ids
    if name == "selftext":
        assert df["submission"].str.startswith("Thread ").all()
    if name == "author":
        assert (df["reply_author"] == "[deleted]").all()
    if name == "created_utc":
        assert df["created_utc"].isna().all()


def test_replace_more_limit_zero_counts_what_stays_behind_load_more(server, tmp_path):
    df, stats = load(server, tmp_path / "d", replace_more_limit=0)
    assert stats["dropped_while_pulling"]["comments_behind_load_more"] > 0
    assert not any(r.path == "/api/morechildren" for r in server.state.requests)


def test_bad_listing_parameters(server, tmp_path):
    from helpers.errors import ConfigError

    with pytest.raises(ConfigError, match="reddit_listing"):
        load(server, tmp_path / "d", listing="rising")
    with pytest.raises(ConfigError, match="reddit_time_filter"):
        load(server, tmp_path / "d", time_filter="decade")


def test_a_429_waits_its_retry_after_and_asks_again(server, pairs, tmp_path):
    pid = next(iter(server.state.posts))
    server.state.faults.append(fake_reddit.Fault(f"/comments/{pid}", status=429, times=1, retry_after_s=7))
    ini = read_only_ini(server, tmp_path / "k.ini")
    reddit, _ = reddit_client.make_reddit("bot", ini)
    waits = []
    paths, stats = rs.pull(reddit, ["funny", "IAmA"], tmp_path / "raw", sleep=waits.append)
    assert waits == [7.0] and stats["waits_after_429"] == 1
    assert sorted(rs.read_posts(paths)["reply_id"]) == sorted(expected(pairs, server)["reply_id"])


def test_reddit_failing_keeps_saved_posts_and_says_how_to_resume(server, tmp_path):
    from helpers.errors import StageError

    iama = [p for p, post in server.state.posts.items() if post["subreddit"] == "IAmA"]
    server.state.faults.append(fake_reddit.Fault(f"/comments/{iama[0]}", status=503, times=50))
    with pytest.raises(StageError, match=r"r/IAmA.*ServerError.*kept; re-run to resume"):
        load(server, tmp_path / "d", listing="new", time_filter="all")
    assert len(list((tmp_path / "d" / drv.RAW_REDDIT / "funny").glob("*.csv"))) == 10  # r/funny came first
