"""Issue 24, item 3: a person confirms a subreddit's rules once; the confirmation is recorded with the rules' hash on
Drive (live/rules_confirmed.json) and a change of the rules' text voids it. Also NSFW communities, skipped unless
named. Real PRAW against the loopback Reddit."""

import json

import pytest

from helpers.errors import ConfigError, InputError
from helpers.reddit import preflight
from helpers.reddit.rules_confirm import Confirmations, confirm_names, rules_sha256


def verdicts(pf):
    return dict(zip(pf.table["subreddit"], pf.table["verdict"]))


def check(reddit, tmp_path, names, **kw):
    book = Confirmations.load(tmp_path / "rules_confirmed.json")
    return preflight.preflight(reddit, names, confirmations=book, by="test", **kw)


def test_nothing_is_usable_until_a_person_confirms_the_rules_and_the_full_rules_are_shown(reddit, tmp_path):
    pf = check(reddit, tmp_path, ["sciencefiction", "gardening"])
    assert verdicts(pf) == {"sciencefiction": "unconfirmed", "gardening": "unconfirmed"} and pf.usable() == []
    assert pf.readable() == ["sciencefiction", "gardening"]  # 05 may still propose replies there
    text = pf.text()
    assert "Use >!spoiler tags!< for plot details" in text and "No shop links, seed sales or affiliate links." in text
    pf = check(reddit, tmp_path, ["sciencefiction", "gardening"], confirm=["sciencefiction"])
    assert verdicts(pf) == {"sciencefiction": "ok", "gardening": "unconfirmed"}
    saved = json.loads((tmp_path / "rules_confirmed.json").read_text())["subreddits"]["sciencefiction"]
    assert saved["confirmed_by"] == "test" and saved["rules_count"] == 3 and len(saved["rules_sha256"]) == 64
    assert saved["bot_account"] == "reply_bot_demo" and saved["confirmed_at"]
    assert verdicts(check(reddit, tmp_path, ["sciencefiction"])) == {"sciencefiction": "ok"}  # kept on Drive


def test_a_change_of_the_rules_voids_the_confirmation(reddit, server, tmp_path, capsys):
    check(reddit, tmp_path, ["gardening"], confirm=["gardening"])
    rules = [{"short_name": "Be kind to beginners", "description": "Everyone starts somewhere. Answer the question "
                                                                   "that was asked.", "violation_reason": "Unkind"},
             {"short_name": "No selling or self-promotion", "description": "No shop links or seed sales.",
              "violation_reason": "Self-promotion"}]  # one word of one rule changed
    server.state.communities.set_subreddit("gardening", rules=rules)
    pf = check(reddit, tmp_path, ["gardening"])
    assert verdicts(pf) == {"gardening": "unconfirmed"} and "its rules changed since test confirmed" in \
        pf.table["reason"][0]
    assert "No shop links or seed sales." in pf.text()
    # a confirm_rules left standing does not wave the change through; only the new text's hash does
    assert verdicts(check(reddit, tmp_path, ["gardening"], confirm=["gardening"])) == {"gardening": "unconfirmed"}
    old = json.loads((tmp_path / "rules_confirmed.json").read_text())["subreddits"]["gardening"]["rules_sha256"]
    assert verdicts(check(reddit, tmp_path, ["gardening"], confirm=[f"gardening@{old[:12]}"])) == \
        {"gardening": "unconfirmed"}
    new = rules_sha256(rules)[:12]
    assert verdicts(check(reddit, tmp_path, ["gardening"], confirm=[f"r/Gardening@{new}"])) == {"gardening": "ok"}
    assert "not the text you confirmed" in capsys.readouterr().out


def test_confirming_does_not_override_a_bot_rule(reddit, tmp_path):
    pf = check(reddit, tmp_path, ["boardgames"], confirm=["boardgames"])
    assert verdicts(pf) == {"boardgames": "refused"} and not (tmp_path / "rules_confirmed.json").exists()
    pf = check(reddit, tmp_path, ["boardgames"], allowed=["boardgames"], confirm=["boardgames"])
    assert verdicts(pf) == {"boardgames": "allowed"}  # the moderators' permission and a person's reading: both


@pytest.mark.parametrize("bad", [["*"], ["all"], "gardening", ["gardening@xyz"], ["r/"], ["gardening@12ab"]])
def test_confirm_rules_names_one_subreddit_at_a_time(bad):
    with pytest.raises(ConfigError, match="confirm_rules"):
        confirm_names(bad)


def test_an_unreadable_confirmation_file_is_an_error_naming_it(tmp_path):
    path = tmp_path / "rules_confirmed.json"
    path.write_text("{not json")
    with pytest.raises(InputError, match="rules_confirmed.json"):
        Confirmations.load(path)


def test_an_nsfw_subreddit_is_skipped_unless_named(reddit, tmp_path):
    pf = check(reddit, tmp_path, ["nightstories"], confirm=["nightstories"])
    assert verdicts(pf) == {"nightstories": "skipped"} and "NSFW" in pf.table["reason"][0]
    assert "age verification" in pf.table["reason"][0]
    pf = check(reddit, tmp_path, ["nightstories"], confirm=["nightstories"], nsfw_allowed=["nightstories"])
    assert verdicts(pf) == {"nightstories": "ok"}
    with pytest.raises(ConfigError, match="nsfw_allowed_subreddits"):
        check(reddit, tmp_path, ["nightstories"], nsfw_allowed=["*"])
