"""Arctic Shift as the real service answers: only the fields its API README lists as selectable (a post's permalink is
built from its id), a 400 that names the rejected parameter, and its copy of subreddits' rules for the preflight where
Reddit has not approved the app (loopback server; nothing leaves 127.0.0.1)."""

from datetime import datetime, timezone

import pytest

from helpers.data import arctic_shift_source as asrc
from helpers.data.csv_source import load_sample
from helpers.errors import StageError
from helpers.offline import fake_arctic_shift as fas
from helpers.reddit import preflight

JAN = datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()
RULES = {"BoardGames": [{"short_name": "No bots or AI-generated content", "description": "Bot accounts are banned.",
                         "violation_reason": "Bot", "kind": "all", "priority": 0}],
         "writing": [{"short_name": "Be kind", "description": "Critique the text.", "violation_reason": "Unkind"}]}


@pytest.fixture()
def server():
    pairs = load_sample()
    posts, comments = fas.records_from_pairs(pairs[pairs["subreddit"] == "writing"], JAN)
    with fas.serve(posts, comments, rules=RULES) as srv:
        yield srv


def client(server):
    return asrc.Client(base_url=server.url, interval_s=0, backoff_s=0.01, sleep=lambda s: None)


def test_asks_only_for_selectable_fields_and_builds_the_permalink(server):
    w = asrc.month_windows(["2024_01"])[0]
    posts = asrc.fetch_window(client(server), "submissions", "writing", w)
    comments = asrc.fetch_window(client(server), "comments", "writing", w)
    assert posts and comments
    assert all(p["permalink"] == f"/r/writing/comments/{p['id']}/" for p in posts)
    for r in server.state.requests:
        kind = fas.PATHS[r["path"]]
        assert set(r["params"]["fields"].split(",")) <= fas.SELECTABLE[kind], r


def test_a_400_names_the_rejected_parameter(server):
    with pytest.raises(StageError, match=r"rejected parameter: fields=permalink") as e:
        client(server).get("/api/posts/search", {"subreddit": "writing", "fields": "id,permalink", "limit": 5})
    assert "HTTP 400" in str(e.value) and "selectable" in str(e.value)
    with pytest.raises(StageError, match=r"rejected parameter: limit"):
        client(server).get("/api/posts/search", {"subreddit": "writing", "limit": 500})


def test_rules_from_the_archive_drive_the_preflight_without_reddit_access(server):
    cl = client(server)
    assert asrc.subreddit_rules(cl, "boardgames")[0]["short_name"] == "No bots or AI-generated content"
    with pytest.raises(LookupError, match="r/nosuchsub"):
        asrc.subreddit_rules(cl, "nosuchsub")
    pf = preflight.preflight(None, ["boardgames", "writing", "nosuchsub"],
                             rules_for=lambda name: asrc.subreddit_rules(cl, name))
    v = {r.subreddit: (r.verdict, r.reason) for r in pf.table.itertuples()}
    assert v["boardgames"][0] == "refused" and "No bots or AI-generated content" in v["boardgames"][1]
    assert v["writing"][0] == "ok" and v["nosuchsub"][0] == "refused"  # unknown rules are not permission
    assert pf.account == {} and "not checked" in pf.text()
