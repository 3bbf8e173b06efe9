"""What the live stages' steps print in an executed notebook: sentences, not raw dicts, and the preflight table once
(the step returns it and the notebook shows it; the printed part is its headline)."""

from __future__ import annotations

import pandas as pd

from helpers import drive as drv
from helpers.contract import notebook_params
from helpers.live import posting, review_sheet, stage05, stage06
from reviewfixtures import write_demo_sheet


def test_05_prints_the_preflight_headline_and_the_fetch_in_words(tmp_path, capsys):
    run = stage05.start(notebook_params("05", {"drive_root": str(tmp_path), "drive_backend": "local"}))
    try:
        stage05.connect(run)
        capsys.readouterr()
        table = stage05.check(run)
        out = capsys.readouterr().out
        assert "preflight (05): account u/" in out and "subreddit(s) usable" in out
        assert "verdict" in table.columns and "verdict" not in out, out  # the table is shown once: as the step's result
        stage05.fetch(run)
        out = capsys.readouterr().out
    finally:
        run.stop_server()
    assert "posts seen" in out and "comments kept; dropped:" in out
    assert "{" not in out and "posts_seen" not in out and "_" not in out.split("dropped:")[1], out


def test_06_post_says_its_statuses_in_words(tmp_path, monkeypatch, capsys):
    (tmp_path / "live").mkdir()
    (tmp_path / stage06.proposals.proposed_path("2021-05-06")).write_text("post_id,comment_id,comment,proposed_reply\n")
    run = stage06.start(notebook_params("06", {"drive_root": str(tmp_path), "drive_backend": "local"}))
    run.review = review_sheet.read_review(write_demo_sheet(run.path(drv.REVIEW_SHEET)))

    def three_not_approved(reddit, review, ledger, settings, **kw):
        return pd.DataFrame({c: ["x"] * 3 for c in posting.RESULT_COLUMNS}).assign(status="not_approved")

    class Client:
        class user:  # noqa: N801 - PRAW's shape: client.user.me()
            @staticmethod
            def me():
                return "bot"

    monkeypatch.setattr(stage06.posting, "post_replies", three_not_approved)
    run.proposed, run.client = pd.DataFrame({"comment_id": ["c1"]}), Client()
    stage06.post(run)
    out = capsys.readouterr().out
    assert "post: 3 not approved" in out and "{" not in out, out
