"""Issue 27: 05's fetch step with targets rising + inbox on the recorded Reddit (real PRAW, loopback): the
conversation turns join the rising comments, 07's holds and the opt-out list are honoured, the summary says why each
inbox item was not answered."""

import json

from helpers import drive as drv
from helpers.contract import notebook_params
from helpers.live import optouts, stage05
from helpers.live.conversation import InboxLog


def run05(tmp_path, capsys, **params):
    p = notebook_params("05", {"drive_root": str(tmp_path), "drive_backend": "local", **params})
    run = stage05.start(p)
    stage05.connect(run)
    stage05.check(run)
    stage05.fetch(run)
    return run, capsys.readouterr().out


def test_rising_and_inbox_together(tmp_path, capsys):
    run, out = run05(tmp_path, capsys, targets=["rising", "inbox"])
    turns = run.comments[run.comments["turn"] == "conversation"]
    assert sorted(turns["comment_id"]) == ["i201", "i207"]
    assert run.fetch_summary["comments_kept"] == 14 and run.fetch_summary["inbox_kept"] == 2
    assert "inbox: 11 unread, 2 conversation turns kept; not answered: " in out and "1 asked to stop" in out
    assert optouts.read_optouts(tmp_path / drv.OPTOUTS).keys() == {"margin_notes"}
    assert len(InboxLog(tmp_path / drv.INBOX_LOG).read()) == 8


def test_rising_only_is_todays_behaviour(tmp_path, capsys):
    run, out = run05(tmp_path, capsys)
    assert "turn" not in run.comments.columns and "inbox" not in out
    assert not (tmp_path / drv.INBOX_LOG).exists()


def test_a_hold_keeps_conversations_out_of_that_subreddit(tmp_path, capsys):
    (tmp_path / "live").mkdir()
    (tmp_path / drv.HOLDS).write_text(json.dumps({"holds": {"r/sciencefiction": {"reason": "a reply was removed",
                                                                                  "since": "2026-12-01"}}}))
    run, out = run05(tmp_path, capsys, targets=["inbox"])
    assert run.comments.empty and run.fetch_summary["inbox_dropped"]["subreddit_blocked"] >= 2
    assert "not answering conversations in r/sciencefiction" in out


def test_an_opted_out_person_is_not_answered_on_rising_posts_either(tmp_path, capsys):
    optouts.add_optout(tmp_path / drv.OPTOUTS, "Nebula_Knitter", "x1", "stop")
    run, _ = run05(tmp_path, capsys)
    assert "c005" not in set(run.comments["comment_id"])
    assert run.fetch_summary["dropped"]["author_opted_out"] >= 1
