"""Reddit payloads as they really come: every optional field removed in turn, for 06's re-check and 07's check
(real PRAW against the loopback Reddit), and for the accessors on plain dicts."""

import types

import pandas as pd
import pytest

from helpers.live import posting
from helpers.outcomes import outcomes
from helpers.reddit import fields as rf

OPTIONAL = list(rf.OPTIONAL_FIELDS)


def test_permalink_is_derived_from_ids():
    c = {"id": "c1", "link_id": "t3_p1", "subreddit": "gardening", "body": "hi"}
    assert rf.permalink(c) == "/r/gardening/comments/p1/_/c1/"
    assert rf.permalink({"id": "p1", "subreddit": "gardening", "title": "t"}) == "/r/gardening/comments/p1/"
    assert rf.permalink({**c, "permalink": "/r/x/comments/p1/y/c1/"}) == "/r/x/comments/p1/y/c1/"
    assert rf.permalink({"id": "c1", "body": "x"}) == ""  # nothing to derive from


@pytest.mark.parametrize("name", OPTIONAL)
def test_accessors_on_objects_without_the_field(name):
    full = {"id": "c1", "link_id": "t3_p1", "subreddit": "s", "body": "b", "permalink": "/r/s/comments/p1/x/c1/",
            "author": "alice", "selftext": "", "created_utc": 1.7e9, "edited": False, "distinguished": None,
            "locked": False, "archived": False, "score": 3}
    for thing in ({k: v for k, v in full.items() if k != name},
                  types.SimpleNamespace(**{k: v for k, v in full.items() if k != name})):
        assert rf.permalink(thing).startswith("/r/s/comments/p1/")
        assert rf.author(thing) == (None if name == "author" else "alice")
        assert rf.flag(thing, name) is False and rf.text(thing, name) in ("", str(full[name]))
        assert rf.number(thing, "created_utc") == (None if name == "created_utc" else 1.7e9)


@pytest.mark.parametrize("name", OPTIONAL)
def test_recheck_survives_a_missing_optional_field(reddit, server, name):
    server.state.omit_fields = {name}
    problem, existing = posting.recheck(reddit, "c005", server.state.bot_username)
    assert (problem, existing) == (("deleted", "") if name == "author" else ("", ""))


def test_recheck_still_sees_a_locked_thread_without_other_fields(reddit, server):
    server.state.omit_fields = {"permalink", "created_utc", "edited", "distinguished", "archived"}
    server.state.lock_post("p101")
    assert posting.recheck(reddit, "c005", server.state.bot_username) == ("locked", "")


@pytest.mark.parametrize("name", OPTIONAL)
def test_outcome_check_survives_a_missing_optional_field(reddit, server, name):
    rid = server.state.add_reply("c005", "a reply", author=server.state.bot_username)
    server.state.omit_fields = {name}
    posted = pd.DataFrame([{"reply_id": rid, "comment_id": "c005", "post_id": "p101", "subreddit": "sciencefiction",
                            "posted_at": "2026-01-01T00:00:00+00:00", "body": "a reply"}])
    rows = outcomes.check_outcomes(reddit, posted, checked_at="2026-01-02T00:00:00+00:00")
    assert len(rows) == 1 and rows.loc[0, "score"] == 1
    assert rows.loc[0, "state"] == ("deleted" if name == "author" else "live")
