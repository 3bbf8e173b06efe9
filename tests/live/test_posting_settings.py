"""Issue 25, one home for each fact: 06's posting settings and text rules are one typed object each, their defaults
the stage contract's (post_replies once defaulted to no footer while the contract's default is the disclosure), and
from_params carries every 06 parameter posting uses."""

from __future__ import annotations

from dataclasses import fields

import pandas as pd

from helpers.contract import default, notebook_params
from helpers.live import posting
from helpers.live.posting_settings import PostSettings
from helpers.live.text_rules import TextRules

FIELD_PARAM = {"dry_run": "dry_run", "auto_approve": "auto_approve", "max_posts_per_run": "max_posts_per_run",
               "max_posts_per_subreddit_per_day": "max_posts_per_subreddit_per_day", "delay_min_s": "delay_min_s",
               "delay_max_s": "delay_max_s", "footer": "disclosure_footer", "seed": "seed",
               "max_rate_limit_wait_s": "max_rate_limit_wait_s", "max_turns_per_thread": "max_bot_turns_per_thread"}
RULE_PARAM = {"blocklist": "blocklist", "max_length": "max_reply_chars", "allow_links": "allow_links"}
# every value differs from its contract default, so a field left at its default is caught
GIVEN = {"dry_run": False, "auto_approve": True, "max_posts_per_run": 7, "max_posts_per_subreddit_per_day": 4,
         "delay_min_s": 3, "delay_max_s": 9, "disclosure_footer": "^(a bot wrote this)", "seed": 99,
         "max_rate_limit_wait_s": 17, "max_bot_turns_per_thread": 5, "blocklist": ["buy now", "kys"],
         "max_reply_chars": 321, "allow_links": True}


def test_a_dry_run_with_posting_defaults_shows_the_contract_disclosure(reddit, server, tmp_path):
    rv = pd.DataFrame([{"subreddit": "gardening", "post_id": "p201", "comment_id": "c031", "reply": "a reply",
                        "approved": "True"}])
    res = posting.post_replies(reddit, rv, posting.Ledger(tmp_path / "ledger.csv"),
                               bot_username=server.state.bot_username)
    disclosure = default("disclosure_footer", "06")
    assert disclosure.strip() and res.loc[0, "status"] == "dry_run", res.to_dict("records")
    assert res.loc[0, "body"] == "a reply\n\n" + disclosure.strip()
    assert PostSettings().footer == disclosure and PostSettings().dry_run is True


def test_the_defaults_are_the_contracts():
    for name, param in FIELD_PARAM.items():
        assert getattr(PostSettings(), name) == default(param, "06"), name
    for name, param in RULE_PARAM.items():
        got = getattr(TextRules(), name)
        assert (list(got) if name == "blocklist" else got) == default(param, "06"), name
    assert PostSettings().text_rules == TextRules()


def test_from_params_carries_every_06_posting_parameter(tmp_path):
    assert set(GIVEN) == set(FIELD_PARAM.values()) | set(RULE_PARAM.values())
    assert {f.name for f in fields(PostSettings)} == set(FIELD_PARAM) | {"text_rules"}
    p = notebook_params("06", {"drive_root": str(tmp_path), "drive_backend": "local", **GIVEN})
    s = PostSettings.from_params(p)
    for name, param in FIELD_PARAM.items():
        assert getattr(s, name) == GIVEN[param] != default(param, "06"), name
    for name, param in RULE_PARAM.items():
        got = getattr(s.text_rules, name)
        assert (list(got) if name == "blocklist" else got) == GIVEN[param] != default(param, "06"), name
    assert s.text_rules == TextRules.from_params(p)
    assert PostSettings.from_params(p, dry_run=True).dry_run is True  # 06 posts dry when Reddit is offline


def test_posting_re_checks_text_with_the_rules_it_was_given(reddit, server, tmp_path):
    rv = pd.DataFrame([{"subreddit": "gardening", "post_id": "p201", "comment_id": "c031", "reply": "buy now, friend",
                        "approved": "True"}])
    rules = TextRules(blocklist=("buy now",))
    res = posting.post_replies(reddit, rv, posting.Ledger(tmp_path / "ledger.csv"), PostSettings(text_rules=rules),
                               bot_username=server.state.bot_username)
    assert (res.loc[0, "status"], res.loc[0, "error"]) == ("refused", "blocklist")
    assert rules.problem("www.example.org") == "link" and TextRules(allow_links=True).problem("www.example.org") is None


def test_09_selects_with_06s_text_rules():
    from helpers.rounds.generator_rounds import Settings

    for param in RULE_PARAM.values():
        assert default(param, "09") == default(param, "06"), param
    assert Settings().text_rules == TextRules()
