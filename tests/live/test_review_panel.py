"""Issue 20: 06's review panel, its widgets' callbacks called as a click would (the real-browser test is
test_review_browser.py): each button writes the sheet, a failing edit cannot be approved, a changed sheet is reloaded
and said so, and where nobody can click (papermill) the step prints how to review instead."""

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.live import review_panel, select, sheets
from helpers.live.review import ReviewSheet
from reviewfixtures import RULES, write_demo_sheet

pytest.importorskip("ipywidgets")


@pytest.fixture()
def panel(tmp_path):
    path = write_demo_sheet(tmp_path / "live" / "review_2026-01-02.csv")
    return review_panel.ReviewPanel(ReviewSheet.open(path, RULES))


def row(panel, cid):
    return select.read_review(panel.sheet.path, warn=False).set_index("comment_id").loc[cid]


def test_one_card_per_post_with_what_a_reviewer_needs(panel):
    card = panel.cards["c2"]
    assert list(panel.cards) == ["c1", "c2", "c3"]
    assert "r/books" in card.head.value
    assert 'href="https://www.reddit.com/r/books/comments/p2/x/c2/"' in card.head.value
    assert "Which novel surprised you?" in card.head.value
    assert "The ending of Rebecca got me." in card.comment.value
    assert card.reply.value == "Rebecca has one of the best twists I have read."
    assert "prob_real 0.950" in card.scores.value and "expected_score 2.200" in card.scores.value
    assert "other candidates rejected: blocklist: 1" in card.scores.value
    assert len(card.runner_buttons) == 1 and "passes the checks" in card.check.value
    assert "awaiting review" in card.status.value and "0 approved" in panel.header.value


def test_approve_and_reject_clicks_write_the_sheet(panel):
    panel.cards["c1"].approve_button.click()
    assert select.is_approved(row(panel, "c1"))
    assert "approved" in panel.cards["c1"].status.value and "1 approved" in panel.header.value
    panel.cards["c3"].reject_button.click()
    assert row(panel, "c3")["decision"] == "rejected" and "rejected" in panel.cards["c3"].status.value
    assert select.is_approved(row(panel, "c1"))  # the earlier mark kept


def test_an_edit_is_checked_as_typed_and_a_failing_one_cannot_be_approved(panel):
    card = panel.cards["c1"]
    card.reply.value = "cheap tea at https://spam.example"
    assert card.approve_button.disabled and "cannot be approved" in card.check.value
    assert "blocklist" in card.check.value
    raw = panel.sheet.path.read_bytes()
    card.on_approve()  # even if the click got through
    assert panel.sheet.path.read_bytes() == raw and "not approved: blocklist" in card.status.value
    card.reply.value = "Green tea with lemon is lovely on a hot day."
    assert not card.approve_button.disabled
    card.approve_button.click()
    assert row(panel, "c1")["reply"] == "Green tea with lemon is lovely on a hot day."
    assert select.is_approved(row(panel, "c1"))


def test_picking_a_runner_up(panel):
    card = panel.cards["c1"]
    card.runner_buttons[0].click()
    assert row(panel, "c1")["reply"] == "Black tea is my choice on cold days."
    assert card.reply.value == "Black tea is my choice on cold days." and "runner-up 1 is now the reply" in \
        card.status.value
    card.approve_button.click()
    assert select.is_approved(row(panel, "c1"))


def test_a_sheet_changed_meanwhile_is_reloaded_and_said_so(panel):
    theirs = select.read_review(panel.sheet.path)
    theirs.loc[theirs["comment_id"] == "c2", "reply"] = "Their own better reply, written on Drive."
    sheets.write_sheet(theirs, panel.sheet.path)
    raw = panel.sheet.path.read_bytes()
    panel.cards["c1"].approve_button.click()
    assert panel.sheet.path.read_bytes() == raw
    assert "changed since it was read" in panel.header.value
    assert panel.cards["c2"].reply.value == "Their own better reply, written on Drive."


def test_unreadable_approvals_are_shown_on_the_panel(tmp_path):
    path = write_demo_sheet(tmp_path / "review_2026-01-02.csv")
    df = select.read_review(path)
    df.loc[df["comment_id"] == "c3", "approved"] = "maybe"
    sheets.write_sheet(df, path)
    p = review_panel.ReviewPanel(ReviewSheet.open(path, RULES))
    assert "approved value &#x27;maybe&#x27;" in p.header.value
    assert "not approved: the approved cell says" in p.cards["c3"].status.value


@pytest.mark.slow
def test_nobody_can_click_under_papermill_or_a_script(tmp_path):
    assert not review_panel.can_click()  # plain Python: no kernel
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from helpers.live import review_panel\nprint('can_click', review_panel.can_click())")])
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()  # what papermill runs cells with
    assert "can_click False" in nb.cells[0].outputs[0]["text"]
    text = review_panel.how_to_review("live/review_2026-01-02.csv", select.read_review(
        write_demo_sheet(tmp_path / "r.csv")))
    assert "approve_ids = ['c1', 'c2', 'c3']" in text and "live/review_2026-01-02.csv" in text
    assert "review panel" in text and "Manage versions" in text


def test_after_a_reload_a_successful_click_clears_the_stale_line_on_every_card(panel):
    theirs = select.read_review(panel.sheet.path)
    theirs.loc[theirs["comment_id"] == "c2", "reply"] = "Their own better reply, written on Drive."
    sheets.write_sheet(theirs, panel.sheet.path)
    panel.cards["c1"].approve_button.click()  # refused: the sheet changed; every card is reloaded and says so
    assert all("changed since it was read" in c.status.value for c in panel.cards.values())
    panel.cards["c1"].approve_button.click()  # now it goes through
    assert select.is_approved(row(panel, "c1"))
    stale = [cid for cid, c in panel.cards.items() if "changed since it was read" in c.status.value]
    assert not stale and "changed since it was read" not in panel.header.value


def test_a_blocked_edit_names_the_blocklist_entry(panel):
    card = panel.cards["c1"]
    card.reply.value = "Buy now, tea for everyone"
    assert "blocklist" in card.check.value and "&#x27;buy now&#x27;" in card.check.value.lower(), card.check.value


def test_the_score_shows_the_threshold_it_is_judged_against(tmp_path):
    path = write_demo_sheet(tmp_path / "live" / "review_2026-01-02.csv")
    p = review_panel.ReviewPanel(ReviewSheet.open(path, RULES), min_prob_real=0.5)
    assert "prob_real 0.950 (06 keeps ≥ 0.5)" in p.cards["c2"].scores.value
