"""Issue 27, item 3: a conversation turn on 06's review sheet and card shows its chain (title, ancestors, the bot's
earlier reply, the answer being replied to) and is marked as a conversation turn; a rising comment's card is as
before."""

import pytest

from helpers.filters import FilterSettings
from helpers.live import review_panel, review_sheet, select, sheets
from helpers.live.review import ReviewSheet
from reviewfixtures import RULES, scored

pytest.importorskip("ipywidgets")

CHAIN = ("post: Which novel surprised you?\nu/reader_one: Rebecca, for sure.\n"
         "u/reply_bot_demo (the bot, earlier): The ending of Rebecca got me.\n"
         "u/reader_two (answering): =cmd| did it get you the first time?")


@pytest.fixture()
def sheet(tmp_path):
    df = scored()
    conv = df["comment_id"] == "c2"
    df.loc[conv, "turn"], df.loc[conv, "inbox_id"], df.loc[conv, "chain"] = "conversation", "t1_c2", CHAIN
    df.loc[conv, "author"], df.loc[conv, "bot_turns"] = "reader_two", 1
    df["turn"] = df["turn"].fillna("")
    review, _ = select.build_review(df, min_prob_real=0.5, max_length=200, blocklist=["buy now"],
                                    quality=FilterSettings())
    return sheets.write_sheet(review_sheet.merge_approvals(review, None), tmp_path / "live" / "review_2026-01-02.csv")


def test_the_sheet_carries_the_chain_and_the_turn(sheet):
    df = review_sheet.read_review(sheet, warn=False).set_index("comment_id")
    assert df.loc["c2", "turn"] == "conversation" and df.loc["c2", "chain"] == CHAIN  # a formula-like cell survives
    assert df.loc["c2", "inbox_id"] == "t1_c2"
    assert df.loc["c1", "turn"] != "conversation"  # a rising comment (blank)


def test_the_card_shows_the_chain_marked_as_a_conversation_turn(sheet):
    panel = review_panel.ReviewPanel(ReviewSheet.open(sheet, RULES))
    conv, rising = panel.cards["c2"].comment.value, panel.cards["c1"].comment.value
    assert "conversation turn" in conv
    for part in ("post: Which novel surprised you?", "u/reader_one: Rebecca, for sure.",
                 "u/reply_bot_demo (the bot, earlier): The ending of Rebecca got me."):
        assert part in conv
    assert "<b>u/reader_two (answering): =cmd| did it get you the first time?</b>" in conv
    assert "conversation turn" not in rising and "I love green tea in the morning." in rising
