"""The report's conversations (issue 27): one line on the first screen and a part in 07's section: answers the bot's
replies received, conversation turns posted / rejected / skipped (by reason), turns per thread, and who asked the bot
to stop (live/optouts.json: never answered again). Nothing shows until a conversation happened."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..outcomes.conversations import conversation_summary, has_conversations
from ..words import counts
from .html_parts import df_table, esc, figures, section


def first_screen_line(root: Path) -> str:
    """The first screen's conversations line ("" before any conversation)."""
    s = conversation_summary(root)
    if not has_conversations(s):
        return ""
    return (f'<p id="conversations-line"><b>Conversations:</b> {s["replies_answered"]} of the bot\'s replies were '
            f'answered ({s["answers"]} answers); {s["turns_posted"]} turns posted, {s["turns_rejected"]} rejected, '
            f'{s["inbox_skipped"]} inbox items not answered; {len(s["opted_out"])} people opted out '
            '(<a href="#conversations">details</a>).</p>')


def report_section(root: Path) -> str:
    """07's conversations part ("" before any conversation)."""
    s = conversation_summary(root)
    if not has_conversations(s):
        return ""
    figs = figures([
        ("answers received", s["answers"], f"comments answering the bot's {s['replies_checked']} checked replies"),
        ("replies answered", s["replies_answered"], "of the bot's replies got at least one answer"),
        ("turns posted", s["turns_posted"], "conversation turns (answers to people who answered the bot)"),
        ("most turns in a thread", s["turns_per_thread_max"], "the bot's replies in its busiest conversation"),
        ("opted out", len(s["opted_out"]), "people who asked the bot to stop: never answered again"),
    ], "conversation-figures")
    skipped = f"<p>Inbox items not answered: {esc(counts(s['skipped_by_reason']))}.</p>"
    people = (df_table(pd.DataFrame(s["opted_out"]), "optouts-table") if s["opted_out"]
              else '<p class="muted">Nobody asked the bot to stop.</p>')
    threads = (df_table(pd.DataFrame(list(s["turns_per_thread"].items()), columns=["post_id", "bot replies"]),
                        "turns-per-thread") if s["turns_per_thread"] else "")
    return section("conversations", "Conversations", figs + skipped + "<h3>Opted out (live/optouts.json)</h3>"
                   + people + threads)
