"""Issue 27, item 4: 07's part and the report's first screen follow conversations: answers the bot's replies
received (07's num_replies), turns posted / rejected / skipped by reason, turns per thread, and who opted out."""

import pandas as pd

from helpers import drive as drv
from helpers.live import optouts
from helpers.live.conversation import InboxLog
from helpers.live.ledger import Ledger
from helpers.outcomes.conversations import conversation_summary
from helpers.report.report import build_report


def drive_with_a_conversation(root):
    ledger = Ledger(root / drv.POSTING_LEDGER)
    ledger.append(comment_id="c019", post_id="p102", subreddit="sciencefiction", status="posted", reply_id="c021")
    ledger.append(comment_id="i201", post_id="p102", subreddit="sciencefiction", status="posted", reply_id="zz01")
    ledger.append(comment_id="c031", post_id="p201", subreddit="gardening", status="posted", reply_id="zz02")
    log = InboxLog(root / drv.INBOX_LOG)
    log.append([{"stage": "05", "inbox_id": "t1_i203", "decision": "skipped", "reason": "automoderator"},
                {"stage": "05", "inbox_id": "t1_i204", "decision": "skipped", "reason": "asked_to_stop"},
                {"stage": "06", "inbox_id": "t1_i201", "post_id": "p102", "decision": "posted"},
                {"stage": "06", "inbox_id": "t1_i207", "post_id": "p102", "decision": "rejected"},
                {"stage": "06", "inbox_id": "t1_i209", "post_id": "p103", "decision": "skipped",
                 "reason": "turn_cap: the bot has 3 or more comments in this thread"}])
    optouts.add_optout(root / drv.OPTOUTS, "margin_notes", "i204", "bad bot", now="2026-12-05T10:00:00+00:00")
    pd.DataFrame({"reply_id": ["c021", "zz01", "zz02"], "num_replies": [3, 0, None]}).to_csv(
        root / drv.OUTCOMES, index=False)


def test_the_summary_counts_each_part(tmp_path):
    drive_with_a_conversation(tmp_path)
    s = conversation_summary(tmp_path)
    assert (s["replies_checked"], s["replies_answered"], s["answers"]) == (3, 1, 3)
    assert (s["turns_posted"], s["turns_rejected"], s["inbox_skipped"]) == (1, 1, 3)
    assert s["skipped_by_reason"] == {"automoderator": 1, "asked_to_stop": 1, "turn_cap": 1}
    assert s["turns_per_thread"] == {"p102": 2} and s["turns_per_thread_max"] == 2
    assert [p["name"] for p in s["opted_out"]] == ["margin_notes"]


def test_the_report_shows_a_line_on_the_first_screen_and_a_part(tmp_path):
    drive_with_a_conversation(tmp_path)
    html = build_report(tmp_path).read_text(encoding="utf-8")
    line = html[html.index('id="conversations-line"'):]
    assert line.index("conversations-line") < html.index('id="stages"') - html.index('id="conversations-line"')
    assert "1 of the bot&#x27;s replies were answered (3 answers)" in line or "1 of the bot's replies" in line
    assert "1 turns posted, 1 rejected, 3 inbox items not answered; 1 people opted out" in line
    part = html[html.index('<section id="conversations">'):]
    assert "margin_notes" in part and "bad bot" in part and "1 asked to stop" in part and "p102" in part


def test_nothing_shows_before_any_conversation(tmp_path):
    html = build_report(tmp_path).read_text(encoding="utf-8")
    assert 'id="conversations-line"' not in html and '<section id="conversations">' not in html


def test_a_broken_optout_list_is_a_warning_not_a_silent_empty_list(tmp_path):
    drive_with_a_conversation(tmp_path)
    (tmp_path / drv.OPTOUTS).write_text("{oops", encoding="utf-8")
    html = build_report(tmp_path).read_text(encoding="utf-8")
    assert "optouts.json" in html and "cannot be read" in html


def test_07_console_line_names_answers_turns_threads_and_optouts(tmp_path):
    from helpers.outcomes.conversations import conversation_line

    drive_with_a_conversation(tmp_path)
    assert conversation_line(conversation_summary(tmp_path)) == (
        "conversations: 1 of the bot's 3 checked replies were answered (3 answers in all); conversation turns: "
        "1 posted, 1 rejected, 3 skipped (1 asked to stop, 1 automoderator, 1 turn cap); the bot's replies per "
        "conversation thread: 2 at most over 1 thread(s); 1 person opted out (never answered again)")
