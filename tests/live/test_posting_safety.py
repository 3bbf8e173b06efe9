"""Issue 10, cases 3, 6, 7, 8: the sheet is advice and Reddit is the truth; links and URL blocklist entries; outcomes
that cannot be known are re-checked, never made final; rate-limit waits are capped."""

import pandas as pd
import pytest
import requests

import postingfixtures
from helpers.live import posting, select
from helpers.live.text_rules import TextRules
from helpers.offline import fake_reddit
from helpers.reddit import client as reddit_client

ROWS = {"c005": ("p101", "sciencefiction"), "c031": ("p201", "gardening"), "c041": ("p202", "gardening"),
        "c057": ("p302", "boardgames")}
RULES = TextRules(blocklist=("kill yourself", "kys", "http://", "https://", "as an ai", "i am a bot"), max_length=1000)


@pytest.fixture()
def reddit(server, tmp_path):
    return reddit_client.make_reddit("recorded", server.praw_ini(tmp_path / "praw.ini"),
                                     requestor_kwargs={"session": ShortTimeout()})[0]


class ShortTimeout(requests.Session):
    """Requests time out after 1 s (prawcore passes its fixed 16 s to every request; the timeout test needs less)."""

    def request(self, *args, **kwargs):
        return super().request(*args, **{**kwargs, "timeout": 1})


def review(cids=tuple(ROWS)):
    return pd.DataFrame([{"subreddit": ROWS[c][1], "post_id": ROWS[c][0], "comment_id": c,
                          "reply": f"a reply to {c}", "approved": "True"} for c in cids])


def run(reddit, server, tmp_path, rv, **kw):
    sleeps = []
    kw = {"dry_run": False, "delay_min_s": 0, "delay_max_s": 0, "sleep": sleeps.append, "seed": 1, **kw}
    ledger = posting.Ledger(tmp_path / "live" / "posting_ledger.csv")
    res = postingfixtures.post_replies(reddit, rv, ledger, bot_username=server.state.bot_username, **kw)
    return res, ledger, sleeps


# ---- case 3: the blocklist blocks real links; links are rejected by default ----------------------------------------
@pytest.mark.parametrize("text,reason", [
    ("great deal at https://spam.example/buy", "blocklist"),
    ("see HTTP://Spam.example", "blocklist"),
    ("go to www.spam.example now", "link"),
    ("cheap stuff on spamshop.com/deals", "link"),
    ("[click](/r/spam)", "link"),
    ("kys", "blocklist"),
    ("a fine reply about classes and assets", None),
    ("e.g. this, i.e. that. Ends here.", None),
])
def test_url_entries_match_urls_and_links_are_rejected(text, reason):
    assert RULES.problem(text) == reason == select.reply_problem(text, blocklist=RULES.blocklist, max_length=1000)
    assert select.reply_problem("see www.example.org", allow_links=True) is None


def test_selection_rejects_links_with_reason_link():
    scored = pd.DataFrame({"subreddit": "a", "post_id": ["p1", "p2"], "comment_id": ["c1", "c2"], "comment": "hi",
                           "proposed_reply": ["buy at www.spam.example", "a plain reply"],
                           "prob_real": 0.99, "expected_score": 1.0})
    review, summary = select.build_review(scored, blocklist=RULES.blocklist)
    assert list(review["comment_id"]) == ["c2"] and summary["rejected"] == {"link": 1}
    review, _ = select.build_review(scored, blocklist=RULES.blocklist, allow_links=True)
    assert sorted(review["comment_id"]) == ["c1", "c2"]


# ---- case 6: the sheet is advice --------------------------------------------------------------------------------
def test_a_comment_05_never_proposed_is_refused(reddit, server, tmp_path):
    res, _, _ = run(reddit, server, tmp_path, review(["c005", "c031"]), proposed_ids={"c031"})
    assert list(res["status"]) == ["refused", "posted"] and res["error"][0].startswith("not_proposed")
    assert len(server.state.comment_posts()) == 1


def test_where_to_post_and_the_caps_come_from_reddit(reddit, server, tmp_path):
    run(reddit, server, tmp_path, review(["c031"]))  # gardening's p201 has its reply
    rv = review(["c041", "c005"])
    rv.loc[0, ["post_id", "subreddit"]] = ["p999", "elsewhere"]  # the sheet lies about where c041 is
    res, ledger, _ = run(reddit, server, tmp_path, rv, max_posts_per_subreddit_per_day=1)
    assert list(zip(res["status"], res["subreddit"])) == [("capped_subreddit", "gardening"),
                                                          ("posted", "sciencefiction")]
    rv = review(["c057"])
    rv.loc[0, "comment_id"] = "c031"  # a second reply into p201's thread under another row's ids
    server.state.faults.clear()
    res, _, _ = run(reddit, server, tmp_path, rv)
    assert list(res["status"]) == ["done_before:posted"]
    c_other = server.state.add_reply("c031", "a stranger's reply", author="someone")  # another comment in p201
    rv = pd.DataFrame([{"subreddit": "boardgames", "post_id": "p302", "comment_id": c_other, "reply": "hello",
                        "approved": "yes"}])
    res, ledger, _ = run(reddit, server, tmp_path, rv)
    assert list(zip(res["status"], res["post_id"])) == [("post_already_replied", "p201")]
    assert len(server.state.comment_posts()) == 2 and set(ledger.df["subreddit"]) == {"gardening", "sciencefiction"}


@pytest.mark.parametrize("edited,reason", [("buy now https://spam.example kys", "blocklist"),
                                           ("visit www.spam.example", "link"), ("x" * 1200, "length >= 1000")])
def test_hand_edited_text_passes_the_same_filters(reddit, server, tmp_path, edited, reason):
    rv = review(["c005", "c031"])
    rv.loc[0, "reply"] = edited
    res, _, _ = run(reddit, server, tmp_path, rv, text_rules=RULES)
    assert list(zip(res["status"], res["error"])) == [("refused", reason), ("posted", "")]
    assert server.state.bot_replies("c005") == []


# ---- cases 7 and 8: unknown is not final; rate-limit waits are capped ---------------------------------------------
@pytest.mark.parametrize("fault,kind", [
    (fake_reddit.Fault("/api/comment", status=200, html=True, commit=True, thing_id="t1_c005"), "bad_answer"),
    (fake_reddit.Fault("/api/comment", status=401, times=99, thing_id="t1_c005"), "invalid_token"),
    (fake_reddit.Fault("/api/comment", status=503, commit=True, thing_id="t1_c005"), "server_error"),
    (fake_reddit.Fault("/api/comment", delay_s=3, commit=True, thing_id="t1_c005"), "network"),
], ids=["200_html_committed", "401_persists", "503_committed", "timeout_committed"])
def test_an_unknown_outcome_is_rechecked_first_never_final(reddit, server, tmp_path, fault, kind):
    server.state.faults.append(fault)
    res, ledger, _ = run(reddit, server, tmp_path, review(["c005", "c031"]))
    assert list(zip(res["status"], res["error"])) == [("unknown", kind), ("posted", "")]
    assert ledger.state("c005") == ("unknown", kind)
    posts = len(server.state.comment_posts())
    server.state.faults.clear()
    res, ledger, _ = run(reddit, server, tmp_path, review(["c031"]))  # c005 is not even on today's sheet
    assert ledger.state("c005")[0] == "posted" if fault.commit else ledger.state("c005") == ("unknown", kind)
    assert len(server.state.comment_posts()) == posts
    res, ledger, _ = run(reddit, server, tmp_path, review(["c005"]))
    assert ledger.state("c005")[0] == "posted" and len(server.state.bot_replies("c005")) == 1
    assert len(server.state.comment_posts()) == posts + (0 if fault.commit else 1)


def test_a_huge_retry_after_leaves_the_row_for_the_next_run(reddit, server, tmp_path):
    server.state.faults.append(fake_reddit.Fault("/api/comment", status=429, retry_after_s=1_000_000))
    res, ledger, sleeps = run(reddit, server, tmp_path, review(["c005", "c031"]), max_rate_limit_wait_s=900)
    assert list(res["status"]) == ["held", "held"]
    assert "1000000 s" in res["error"][0] and "max_rate_limit_wait_s=900" in res["error"][0]
    assert not sleeps or max(sleeps) <= 900
    server.state.faults.clear()
    res, _, _ = run(reddit, server, tmp_path, review(["c005", "c031"]))
    assert list(res["status"]) == ["posted", "posted"] and len(server.state.bot_replies("c005")) == 1


def test_a_reply_already_posted_stays_done_whatever_the_sheet_says_later(reddit, server, tmp_path):
    run(reddit, server, tmp_path, review(["c005"]))
    rv = review(["c005"])
    rv.loc[0, "reply"] = "now with www.spam.example"
    res, _, _ = run(reddit, server, tmp_path, rv, proposed_ids=set(), text_rules=RULES)
    assert list(res["status"]) == ["done_before:posted"] and len(server.state.comment_posts()) == 1
