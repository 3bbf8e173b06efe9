"""Issue 27: a conversation turn goes through 06's posting path and ledger (keyed by the comment answered, so never
twice) and its inbox item is marked read only after its decision is logged: a run killed at any point neither loses
nor doubles it, and two 06 runs at once answer it once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import inboxfixtures
import postingfixtures
from helpers.live import conversation, posting
from helpers.live.conversation import InboxLog
from helpers.live.text_rules import TextRules
from helpers.offline import fake_reddit, fake_reddit_inbox

server, reddit = inboxfixtures.server, inboxfixtures.reddit  # fixtures: the loopback Reddit with the recorded inbox

ROOT = Path(__file__).resolve().parents[2]
TURNS = {"i201", "i207"}  # the conversation turns 05 proposed
BOT = "reply_bot_demo"
TURN = {"comment_id": "i201", "post_id": "p102", "subreddit": "sciencefiction", "reply": "A blue one, and it rusts.",
        "approved": "True", "decision": "", "turn": "conversation", "inbox_id": "t1_i201", "bot_turns": "2",
        "chain": "post: Show us your most-read paperback"}


def unread(server) -> set[str]:
    return {m["data"]["id"] for m in server.state.inbox if m["data"]["new"]}


def post(reddit, tmp_path, rows, **kw):
    ledger = posting.Ledger(tmp_path / "ledger.csv")
    review = pd.DataFrame(rows)
    res = postingfixtures.post_replies(reddit, review, ledger, bot_username=BOT, dry_run=False, delay_min_s=0,
                               delay_max_s=0, **{"conversations": {"i201": 2}, **kw})
    return res, review, ledger


def test_a_turn_is_posted_in_a_thread_the_bot_spoke_in_and_marked_read_after(reddit, server, tmp_path):
    ledger = posting.Ledger(tmp_path / "ledger.csv")
    ledger.append(comment_id="c019", post_id="p102", subreddit="sciencefiction", status="posted", reply_id="c021")
    rising = dict(TURN, comment_id="c023", turn="", inbox_id="")
    res, review, ledger = post(reddit, tmp_path, [TURN, rising])
    assert list(res["status"]) == ["posted", "post_already_replied"]  # one-per-post still holds for rising rows
    assert "i201" in unread(server)  # posted, not yet decided in the log: still unread
    counts = conversation.record_decisions(reddit, res, TURNS, InboxLog(tmp_path / "log.csv"))
    assert counts == {"posted": 1} and "i201" not in unread(server)
    res2, _, _ = post(reddit, tmp_path, [TURN])  # again: the ledger says posted, nothing is sent twice
    assert list(res2["status"]) == ["done_before:posted"] and len(server.state.bot_replies("i201")) == 1


def test_the_turn_cap_holds_in_06_too(reddit, server, tmp_path):
    ledger = posting.Ledger(tmp_path / "ledger.csv")
    for k in range(3):
        ledger.append(comment_id=f"x{k}", post_id="p102", subreddit="sciencefiction", status="posted")
    res, review, _ = post(reddit, tmp_path, [TURN])
    assert res.iloc[0]["status"] == "skipped" and res.iloc[0]["error"].startswith("turn_cap")
    assert not server.state.comment_posts()
    conversation.record_decisions(reddit, res, TURNS, InboxLog(tmp_path / "log.csv"))
    log = InboxLog(tmp_path / "log.csv").read()
    assert log.iloc[0]["decision"] == "skipped" and "i201" not in unread(server)


def test_undecided_turns_stay_unread_and_a_rejection_is_a_decision(reddit, server, tmp_path):
    rows = [dict(TURN, approved="False"), dict(TURN, comment_id="i207", inbox_id="t1_i207", approved="False",
                                                decision="rejected")]
    res, review, _ = post(reddit, tmp_path, rows)
    assert list(res["status"]) == ["not_approved", "rejected"]
    assert conversation.record_decisions(reddit, res, TURNS, InboxLog(tmp_path / "log.csv")) == {"rejected": 1}
    assert "i201" in unread(server) and "i207" not in unread(server)
    assert not server.state.comment_posts()


def test_a_refused_subreddit_decides_a_refused_edit_does_not(reddit, server, tmp_path):
    rows = [dict(TURN, reply="buy now at https://x.example"), dict(TURN, comment_id="i207", inbox_id="t1_i207")]
    res, review, _ = post(reddit, tmp_path, rows, text_rules=TextRules(blocklist=("buy now",)),
                          blocked={"sciencefiction": "hold: a reply was removed"})
    assert list(res["status"]) == ["refused", "refused"]
    res.loc[0, "error"] = "blocklist: buy now"  # as if only the edit were at fault: a person can still fix it
    counts = conversation.record_decisions(reddit, res.iloc[:1], TURNS, InboxLog(tmp_path / "log.csv"))
    assert counts == {} and "i201" in unread(server)
    counts = conversation.record_decisions(reddit, res.iloc[1:], TURNS, InboxLog(tmp_path / "log.csv"),
                                           blocked={"sciencefiction": "hold: a reply was removed"})
    assert counts == {"skipped": 1} and "i207" not in unread(server)


def test_the_sheet_cannot_make_a_rising_row_mark_an_inbox_item_read(reddit, server, tmp_path):
    rows = [dict(TURN, comment_id="c019", turn="conversation", inbox_id="t1_i207", decision="rejected")]
    res, review, _ = post(reddit, tmp_path, rows)
    assert conversation.record_decisions(reddit, res, TURNS, InboxLog(tmp_path / "log.csv")) == {}
    assert {"i201", "i207"} <= unread(server)


def test_mark_read_waits_for_the_log(reddit, server, tmp_path, monkeypatch):
    """If writing the log fails, nothing is marked read."""
    res, review, _ = post(reddit, tmp_path, [TURN])

    def broken(self, rows):
        raise OSError("drive full")

    monkeypatch.setattr(InboxLog, "append", broken)
    with pytest.raises(OSError):
        conversation.record_decisions(reddit, res, TURNS, InboxLog(tmp_path / "log.csv"))
    assert "i201" in unread(server)


def start_workers(tmp_path, server, n, stop_at=""):
    ini = server.praw_ini(tmp_path / "praw.ini")
    review = tmp_path / "review.csv"
    pd.DataFrame([TURN]).to_csv(review, index=False)
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(ROOT), PRAW_ALLOW_ENDPOINT_OVERRIDE="1")
    procs = [subprocess.Popen([sys.executable, str(ROOT / "tests" / "live" / "inbox_post_worker.py"),
                               str(tmp_path / "drive"), str(ini), str(review), str(go),
                               str(tmp_path / f"run{k}_{stop_at}.json"), f"run{k}", stop_at], cwd=ROOT, env=env)
             for k in range(n)]
    time.sleep(0.3)
    go.write_text("go")
    return procs


def kill_at(tmp_path, server, stop_at):
    proc = start_workers(tmp_path, server, 1, stop_at)[0]
    marker = tmp_path / f"run0_{stop_at}.json.stopped"
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None and time.monotonic() < deadline, "the worker never reached " + stop_at
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def rerun(tmp_path, server):
    proc = start_workers(tmp_path, server, 1)[0]
    assert proc.wait(timeout=120) == 0
    return json.loads((tmp_path / "run0_.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize("stop_at", ["after_attempting", "after_posted", "before_mark_read"])
def test_a_killed_run_neither_loses_nor_doubles_the_turn(tmp_path, stop_at):
    with fake_reddit.serve(inbox=fake_reddit_inbox.RECORDED_INBOX) as server:
        kill_at(tmp_path, server, stop_at)
        assert "i201" in {m["data"]["id"] for m in server.state.inbox if m["data"]["new"]}  # not lost
        result = rerun(tmp_path, server)
        assert result["refused"] == ""
        assert len(server.state.bot_replies("i201")) == 1 and len(server.state.comment_posts()) == 1
        assert "i201" not in {m["data"]["id"] for m in server.state.inbox if m["data"]["new"]}
        log = InboxLog(tmp_path / "drive" / "live" / "inbox_log.csv").read()
        assert set(log.loc[log["inbox_id"] == "t1_i201", "decision"]) == {"posted"}


@pytest.mark.slow
def test_two_runs_at_once_answer_one_inbox_item_once(tmp_path):
    with fake_reddit.serve(inbox=fake_reddit_inbox.RECORDED_INBOX) as server:
        procs = start_workers(tmp_path, server, 2)
        assert [p.wait(timeout=180) for p in procs] == [0, 0]
        runs = [json.loads((tmp_path / f"run{k}_.json").read_text()) for k in range(2)]
        print("\nconcurrent 06 runs:", [(r["refused"][:40], r["statuses"], r["decisions"]) for r in runs])
        assert len(server.state.comment_posts()) == 1 and len(server.state.bot_replies("i201")) == 1
        assert sum(r["statuses"].count("posted") for r in runs) == 1
        assert "i201" not in {m["data"]["id"] for m in server.state.inbox if m["data"]["new"]}
