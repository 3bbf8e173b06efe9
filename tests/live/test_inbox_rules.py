"""Issue 27, answering back: 05's inbox target against the loopback Reddit's recorded inbox (real PRAW). Each
"never answer" rule is tried with an item that should break it; skipped items are logged, then marked read."""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd
import pytest

import inboxfixtures
from helpers.context import conditioned
from helpers.errors import InputError
from helpers.live import inbox, optouts, proposals
from helpers.live.conversation import InboxLog
from helpers.offline import fake_reddit_inbox
from helpers.offline.fake_faults import Fault

server, reddit = inboxfixtures.server, inboxfixtures.reddit  # fixtures: the loopback Reddit with the recorded inbox

BOT = "reply_bot_demo"
STOP = ("stop", "bad bot", "unsubscribe")


def rules(**kw) -> inbox.InboxRules:
    return inbox.InboxRules(**{"bot": BOT, "usable": {"sciencefiction", "gardening", "boardgames"},
                               "stop_phrases": STOP, **kw})


def fetch(reddit, tmp_path, **kw):
    return inbox.fetch_inbox(reddit, rules(**kw), tmp_path / "optouts.json", InboxLog(tmp_path / "log.csv"))


def unread(server) -> set[str]:
    return {m["data"]["id"] for m in server.state.inbox if m["data"]["new"]}


def test_loopback_inbox_speaks_reddits_format(reddit, server):
    items = list(reddit.inbox.unread(limit=None))
    kinds = {type(i).__name__ for i in items}
    assert kinds == {"Comment", "Message"}
    c = next(i for i in items if i.id == "i201")
    assert (c.was_comment, c.type, c.parent_id, c.subreddit, c.link_title) == (
        True, "comment_reply", "t1_c021", "sciencefiction", "Show us your most-read paperback")
    assert c.context.startswith("/r/sciencefiction/comments/p102/")
    assert {i.id for i in reddit.inbox.mentions()} == {"i207"}
    assert "m001" not in {i.id for i in reddit.inbox.comment_replies()}
    reddit.inbox.mark_read([c])
    assert "i201" not in unread(server) and len(list(reddit.inbox.unread())) == len(items) - 1
    assert any(r.path == "/api/read_message" for r in server.state.requests)


def test_recorded_inbox_answers_only_the_two_people_it_may(reddit, server, tmp_path):
    df, summary = fetch(reddit, tmp_path)
    assert sorted(df["comment_id"]) == ["i201", "i207"]
    assert summary["inbox_dropped"] == {"own_comment": 1, "automoderator": 1, "asked_to_stop": 1,
                                        "author_deleted": 1, "bot_account": 1, "parent_deleted": 1,
                                        "thread_locked": 1, "thread_archived": 1, "private_message": 1}
    row = df.set_index("comment_id").loc["i201"]
    assert row["turn"] == "conversation" and row["inbox_id"] == "t1_i201" and row["bot_turns"] == 2
    chain = row["chain"].splitlines()
    assert chain[0] == "post: Show us your most-read paperback"
    assert chain[1].startswith(f"u/{BOT} (the bot, earlier): Tape and stubbornness")
    assert chain[2].startswith("u/spine_cracker (answering): Ha, a bike")
    assert row["context"] == "" and conditioned(df)[0] == row["comment"]  # context_depth 0: the seed's prompt
    mention = df.set_index("comment_id").loc["i207"]
    assert "u/margin_notes: I write in the margins" in mention["chain"]  # the comment the mention answers
    # skipped items are logged and marked read; the two turns (undecided) and the private message stay unread
    assert unread(server) == {"i201", "i207", "m001"}
    log = InboxLog(tmp_path / "log.csv").read()
    assert set(log["reason"]) == set(summary["inbox_dropped"]) - {"private_message"}
    assert (log["decision"] == "skipped").all()
    assert not any(r.path == "/api/comment" for r in server.state.requests)  # 05 never posts


def test_a_private_message_is_never_answered_nor_marked(reddit, server, tmp_path):
    fake_reddit_inbox.add_message(server.state, "t4", id="m002", name="t4_m002", author="polite_person",
                                  body="Could you answer me here?", subject="hi", type="unknown")
    df, summary = fetch(reddit, tmp_path)
    assert summary["inbox_dropped"]["private_message"] == 2
    assert not df["comment_id"].str.startswith("m").any()
    assert {"m001", "m002"} <= unread(server)


@pytest.mark.parametrize("kw, who, reason", [
    ({"never_reply_to": {"Spine_Cracker"}}, "i201", "never_reply_to"),
    ({"max_turns": 2}, "i201", "turn_cap"),
    ({"usable": {"gardening"}}, "i201", "subreddit_not_allowed"),
    ({"blocked": {"sciencefiction": "hold: a reply was removed"}}, "i201", "subreddit_blocked"),
    ({"blocked": {"*": "hold on the account"}}, "i207", "subreddit_blocked"),
])
def test_each_never_answer_parameter_holds(reddit, tmp_path, kw, who, reason):
    df, summary = fetch(reddit, tmp_path, **kw)
    assert who not in set(df["comment_id"])
    assert summary["inbox_dropped"].get(reason, 0) >= 1
    log = InboxLog(tmp_path / "log.csv").read()
    assert log.set_index("comment_id").loc[who, "reason"] == reason


def test_bot_names_are_a_parameter(reddit, tmp_path):
    df, _ = fetch(reddit, tmp_path, skip_bot_names=False)
    assert "i206" in set(df["comment_id"])  # shelf_counter_Bot answered only when asked to


def test_a_stop_puts_the_person_on_the_list_for_good(reddit, server, tmp_path):
    fetch(reddit, tmp_path)
    people = optouts.read_optouts(tmp_path / "optouts.json")
    assert people["margin_notes"]["comment_id"] == "i204"
    # later the same person asks a friendly question: still never answered
    server.state.comments["i301"] = {"id": "i301", "author": "Margin_Notes", "body": "Fine, what do you recommend?",
                                     "score": 3, "created_utc": 1763803000, "link_id": "t3_p102",
                                     "parent_id": "t1_c021"}
    server.state.children["t1_c021"].append("i301")
    fake_reddit_inbox.add_message(server.state, "t1", id="i301", name="t1_i301", author="Margin_Notes",
                                  body="Fine, what do you recommend?", parent_id="t1_c021", type="comment_reply",
                                  subreddit="sciencefiction", link_title="x", score=3,
                                  context="/r/sciencefiction/comments/p102/x/i301/?context=3")
    df, summary = fetch(reddit, tmp_path)
    assert "i301" not in set(df["comment_id"]) and summary["inbox_dropped"] == {"opted_out": 1,
                                                                                 "private_message": 1}
    assert summary["opted_out"] == ["margin_notes"]
    # ... and not on a rising post either
    drops: Counter = Counter()
    kept = proposals.eligible_comments(reddit.submission("p101"), BOT, 0, drops, never=frozenset({"nebula_knitter"}))
    assert "c005" not in {r["comment_id"] for r in kept} and drops["author_opted_out"] >= 1


@pytest.mark.parametrize("text, hit", [("Bad bot.", "bad bot"), ("please STOP replying", "stop"),
                                       ("my stopwatch broke", ""), ("unsubscribe", "unsubscribe"),
                                       ("a bad  bot indeed", "bad bot"), ("robot", "")])
def test_stop_phrases_match_whole_words(text, hit):
    assert optouts.stop_phrase(text, ("bad bot", "stop", "unsubscribe")) == hit


def test_an_unreadable_optout_list_stops_rather_than_answers(reddit, tmp_path):
    (tmp_path / "optouts.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="optouts.json"):
        fetch(reddit, tmp_path)


def test_a_chain_that_cannot_be_fetched_is_skipped_not_guessed(reddit, server, tmp_path):
    server.state.faults.append(Fault("/comments/p102", status=500, times=100))
    df, summary = fetch(reddit, tmp_path)
    assert df.empty and summary["inbox_dropped"]["chain_unavailable"] == 3  # i201, i207 and i208 (p102)


def test_a_parent_deleted_after_the_answer_is_skipped(reddit, server, tmp_path):
    server.state.delete_comment("c021")  # the bot's earlier reply, removed since
    df, summary = fetch(reddit, tmp_path)
    assert "i201" not in set(df["comment_id"]) and summary["inbox_dropped"]["parent_deleted"] >= 2


def test_an_item_the_bot_already_answered_is_not_proposed(reddit, server, tmp_path):
    server.state.new_comment("t1_i201", "answered before")
    df, summary = fetch(reddit, tmp_path)
    assert "i201" not in set(df["comment_id"]) and summary["inbox_dropped"]["already_answered"] == 1


def test_an_item_decided_before_is_marked_read_not_decided_again(reddit, server, tmp_path):
    InboxLog(tmp_path / "log.csv").append([{"stage": "06", "inbox_id": "t1_i201", "comment_id": "i201",
                                            "decision": "posted"}])
    df, summary = fetch(reddit, tmp_path)
    assert "i201" not in set(df["comment_id"]) and summary["inbox_decided_before"] == 1
    assert "i201" not in unread(server)
    assert json.loads(json.dumps(summary))  # the fetch summary stays JSON
    assert isinstance(df, pd.DataFrame)


def test_at_context_depth_the_prompt_is_the_chain_in_the_shared_form(reddit, tmp_path):
    df, _ = fetch(reddit, tmp_path, context_depth=2)
    prompts = dict(zip(df["comment_id"], conditioned(df)))  # what the generator is given (helpers.context)
    row = df.set_index("comment_id").loc["i201"]
    assert prompts["i201"] == ("[TITLE] Show us your most-read paperback [PARENT] Tape and stubbornness is also how I "
                               "keep my bike running. [COMMENT] " + row["comment"])
    assert "[PARENT] I write in the margins" in prompts["i207"]  # a mention: the comment it answers is its parent


@pytest.mark.parametrize("bad", [["rising", "pms"], "inbox", []])
def test_targets_must_be_a_list_of_rising_and_inbox(bad):
    from types import SimpleNamespace

    from helpers.errors import ConfigError
    from helpers.live import stage05

    with pytest.raises(ConfigError, match="targets"):
        stage05.targets_of(SimpleNamespace(targets=bad))


def test_a_deleted_post_or_a_removed_answer_is_skipped(reddit, server, tmp_path):
    server.state.posts["p102"].update(author="[deleted]", selftext="[deleted]")  # as Reddit shows a deleted post
    server.state.delete_comment("i207", removed=True)
    df, summary = fetch(reddit, tmp_path)
    assert df.empty
    assert summary["inbox_dropped"]["post_deleted"] >= 1 and summary["inbox_dropped"]["author_deleted"] >= 2


def test_a_missing_link_in_the_chain_is_not_guessed(reddit, server, tmp_path):
    server.state.comments["i302"] = {"id": "i302", "author": "gap_reader", "body": "And then?", "score": 3,
                                     "created_utc": 1763803000, "link_id": "t3_p102", "parent_id": "t1_gone1"}
    server.state.children.setdefault("t1_gone1", []).append("i302")  # its parent is in no thread Reddit serves
    fake_reddit_inbox.add_message(server.state, "t1", id="i302", name="t1_i302", author="gap_reader",
                                  body="And then?", parent_id="t1_gone1", type="comment_reply",
                                  subreddit="sciencefiction", link_title="x", score=3,
                                  context="/r/sciencefiction/comments/p102/x/i302/?context=3")
    df, summary = fetch(reddit, tmp_path)
    assert "i302" not in set(df["comment_id"]) and summary["inbox_dropped"]["chain_unavailable"] == 1


def test_each_thread_is_read_once_per_run(reddit, server, tmp_path):
    fetch(reddit, tmp_path)
    reads = [r.path for r in server.state.requests if r.path.startswith("/comments/")]
    assert sorted(reads) == ["/comments/p102", "/comments/p103", "/comments/p203"]
