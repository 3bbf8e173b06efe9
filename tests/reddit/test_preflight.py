"""The preflight before live work, with real PRAW against the loopback Reddit: the account (suspended, age, karma), each
subreddit (exists, public, banned, NSFW) and its rules about bots and AI, and a 401/403 at connect named clearly."""

from __future__ import annotations

import pytest

from helpers.errors import ConfigError, StageError
from helpers.offline.fake_faults import Fault
from helpers.reddit import preflight
from helpers.reddit.client import make_reddit

DEMO = ["sciencefiction", "gardening", "boardgames"]


def verdicts(pf) -> dict[str, tuple[str, str]]:
    return {r.subreddit: (r.verdict, r.reason) for r in pf.table.itertuples()}


def test_demo_subreddits_boardgames_refused_naming_its_rule(reddit):
    pf = preflight.preflight(reddit, DEMO)
    v = verdicts(pf)
    assert v["sciencefiction"][0] == v["gardening"][0] == "ok"
    assert v["boardgames"] == ("refused", 'rule "No bots or AI-generated content" (mentions "bots")')
    assert pf.usable() == ["sciencefiction", "gardening"]
    assert pf.account["name"] == "reply_bot_demo" and pf.account["suspended"] is False
    assert pf.account["karma"] == 352 and pf.account["age_days"] > 365 and pf.account["warning"] == ""
    text = pf.text()
    assert "No bots or AI-generated content" in text and "u/reply_bot_demo: not suspended" in text


@pytest.mark.parametrize("rule", [
    {"short_name": "No bots"},
    {"short_name": "Human content only", "description": "AI-generated posts and comments are removed."},
    {"short_name": "Accounts", "description": "Automated accounts will be banned without warning."},
    {"short_name": "Write it yourself", "violation_reason": "ChatGPT answer"},
    {"short_name": "No LLM output", "description": "Do not paste what a language model wrote."},
])
def test_rules_against_bots_in_other_words_are_refused_and_allowed_by_name(reddit, server, rule):
    server.state.communities.set_subreddit("sciencefiction", rules=[{"short_name": "Be civil"}, rule])
    v = verdicts(preflight.preflight(reddit, ["sciencefiction"]))
    assert v["sciencefiction"][0] == "refused" and rule["short_name"] in v["sciencefiction"][1]
    v = verdicts(preflight.preflight(reddit, ["sciencefiction"], allowed=["r/SciencefictioN"]))
    assert v["sciencefiction"][0] == "allowed" and "moderators" in v["sciencefiction"][1]


def test_ordinary_rules_are_not_mistaken_for_bot_rules():
    assert preflight.bot_rule([{"short_name": "Be civil", "description": "Attack ideas, not people."},
                               {"short_name": "Tag spoilers", "description": "Said, maintained, paid."}]) is None


@pytest.mark.parametrize("bad", [["*"], ["all"], ["every"], ["science*"], "gardening", ["r/"]])
def test_permission_is_given_by_name_never_all_at_once(reddit, bad):
    with pytest.raises(ConfigError, match="bot_allowed_subreddits"):
        preflight.preflight(reddit, DEMO, allowed=bad)


def test_private_quarantined_banned_restricted_archived_and_unknown_are_skipped(reddit, server):
    server.state.ban("gardening")  # the account is banned from r/gardening
    names = ["gardening", "privatebooks", "quarantinedtalk", "bannedbyreddit", "restrictedclub", "oldarchive",
             "nosuchplace", "nightstories"]
    pf = preflight.preflight(reddit, names)
    v = verdicts(pf)
    assert v["gardening"] == ("skipped", "the account is banned here")
    assert v["privatebooks"] == ("skipped", "private community")
    assert v["quarantinedtalk"] == ("skipped", "quarantined community")
    assert v["bannedbyreddit"] == ("skipped", "banned by Reddit")
    assert v["restrictedclub"][0] == v["oldarchive"][0] == "skipped" and "restricted" in v["restrictedclub"][1]
    assert v["nosuchplace"] == ("skipped", "does not exist")
    assert v["nightstories"][0] == "ok" and bool(pf.table.set_index("subreddit").loc["nightstories", "nsfw"])
    assert pf.usable() == ["nightstories"]


def test_a_suspended_account_stops_everything_with_one_line(reddit, server, tmp_path):
    server.state.communities.suspend()
    with pytest.raises(StageError, match="u/reply_bot_demo is suspended: nothing is fetched, generated or posted"):
        preflight.checked(reddit, DEMO, [], tmp_path / "preflight.json", "05")
    saved = (tmp_path / "preflight.json").read_text()
    assert '"suspended": true' in saved and '"subreddits": []' in saved  # no community was even looked at
    assert not [r for r in server.state.requests if "/about" in r.path and r.path.startswith("/r/")]


def test_new_low_karma_account_gets_a_warning(reddit, server):
    server.state.communities.account.update(created_utc=__import__("time").time() - 3 * 86400, link_karma=1,
                                            comment_karma=2)
    warning = preflight.preflight(reddit, []).account["warning"]
    assert "younger than 30 days" in warning and "karma below 50" in warning


def test_rules_that_cannot_be_read_refuse_the_subreddit(reddit):
    def broken(name):
        raise RuntimeError("archive down")

    v = verdicts(preflight.preflight(reddit, ["gardening"], rules_for=broken))
    assert v["gardening"][0] == "refused" and "could not be read" in v["gardening"][1]


@pytest.mark.parametrize("status", [401, 403])
def test_401_or_403_at_connect_names_the_approval_policy(server, tmp_path, status):
    server.state.faults.append(Fault("/api/v1/access_token", status=status, times=20))
    reddit = make_reddit("recorded", server.praw_ini(tmp_path / "praw.ini"))[0]
    with pytest.raises(ConfigError) as e:
        preflight.preflight(reddit, DEMO)
    msg = str(e.value)
    assert f"HTTP {status}" in msg and "Responsible Builder Policy" in msg and "client_id" in msg
    assert "loopback-secret" not in msg and "loopback-password" not in msg


def test_stage_00_reddit_source_refused_at_connect_names_the_policy(server, tmp_path):
    from helpers.data import reddit_source

    server.state.faults.append(Fault("/api/v1/access_token", status=401, times=20))
    reddit = make_reddit("recorded", server.praw_ini(tmp_path / "praw.ini"))[0]
    with pytest.raises(ConfigError, match="Responsible Builder Policy"):
        reddit_source.pull(reddit, ["gardening"], tmp_path / "raw", posts_per_subreddit=2)


def test_a_wrong_password_is_named_as_such():
    import prawcore

    err = preflight.access_error(prawcore.OAuthException(None, "invalid_grant", None))
    assert "username or password" in str(err) and "invalid_grant" in str(err)
