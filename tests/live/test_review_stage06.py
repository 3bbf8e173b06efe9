"""Issue 20: 06's review step and its post step. Where nobody can click the step prints how to review; the post step
posts from the review sheet as the panel (or a person) left it after choose wrote it — never from a stale copy."""

from __future__ import annotations

import pandas as pd

from helpers import drive as drv
from helpers.contract import notebook_params
from helpers.live import posting, review_sheet, stage06
from helpers.live.review import ReviewSheet
from reviewfixtures import RULES, write_demo_sheet


def started_06(tmp_path) -> stage06.PostRun:
    (tmp_path / "live").mkdir()
    (tmp_path / stage06.proposals.proposed_path("2021-05-06")).write_text("post_id,comment_id,comment,proposed_reply\n")
    return stage06.start(notebook_params("06", {"drive_root": str(tmp_path), "drive_backend": "local"}))


def test_review_step_without_a_frontend_says_how_to_review(tmp_path, capsys):
    run = started_06(tmp_path)
    sheet = write_demo_sheet(run.path(drv.REVIEW_SHEET))
    run.review = review_sheet.read_review(sheet)
    assert stage06.review(run) is None
    out = capsys.readouterr().out
    assert "Nobody can click" in out and "live/review_2021-05-06.csv" in out and "approve_ids = ['c1'" in out


def test_post_uses_the_sheet_as_the_panel_left_it(tmp_path, monkeypatch):
    run = started_06(tmp_path)
    sheet = write_demo_sheet(run.path(drv.REVIEW_SHEET))
    run.review = review_sheet.read_review(sheet)  # what choose left in memory: nothing approved
    panel_sheet = ReviewSheet.open(sheet, RULES)
    assert panel_sheet.approve("c3", "Hot oil and a bit of patience, every time.") == ""
    assert panel_sheet.reject("c1") == ""
    seen = {}

    def spy(reddit, review, ledger, settings, **kw):
        seen["review"] = review
        return pd.DataFrame(columns=posting.RESULT_COLUMNS)

    monkeypatch.setattr(stage06.posting, "post_replies", spy)
    run.proposed, run.client = pd.DataFrame({"comment_id": ["c1", "c2", "c3"]}), _Client()
    stage06.post(run)
    got = seen["review"].set_index("comment_id")
    assert review_sheet.is_approved(got.loc["c3"])
    assert got.loc["c3", "reply"] == "Hot oil and a bit of patience, every time."
    assert review_sheet.decision_of(got.loc["c1"]) == "rejected" and not review_sheet.is_approved(got.loc["c2"])


class _Client:
    class user:  # noqa: N801 - PRAW's shape: client.user.me()
        @staticmethod
        def me():
            return "bot"
