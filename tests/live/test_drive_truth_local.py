"""Issue 24, item 1, on the `local` backend (the same code serves `colab`'s mounted Drive, where another notebook or
a synced edit can change a file under a run) and in the review panel: a save made while 06 posts or while a click
is being written is never written over, and a reply rejected or held meanwhile is not posted."""

from __future__ import annotations

import fsspec
import pandas as pd
import pytest

from helpers import drive as drv
from helpers.contract import notebook_params
from helpers.live import holds, posting, review, review_sheet, sheets, stage06
from helpers.live.review import ReviewSheet
from reviewfixtures import RULES, write_demo_sheet

DATE = "2021-05-06"
ROWS = [("sciencefiction", "p101", "c005", "That generation ship story stayed with me for weeks."),
        ("gardening", "p201", "c031", "Steady watering fixed the splitting for me as well.")]


def sheet_on_disk(path) -> pd.DataFrame:
    return review_sheet.read_review(path, warn=False).set_index("comment_id")


def save(path, comment_id: str, **cells) -> None:
    """Another notebook (or Drive's sync of a person's upload) saves the sheet."""
    df = review_sheet.read_review(path, warn=False).astype(object)
    for col, value in cells.items():
        df.loc[df["comment_id"] == comment_id, col] = value
    sheets.write_sheet(df, path)


def local_06(tmp_path, reddit) -> stage06.PostRun:
    (tmp_path / "live").mkdir(exist_ok=True)
    proposed = pd.DataFrame([{"subreddit": s, "post_id": p, "title": f"post {p}", "comment_id": c, "comment": "x",
                              "comment_permalink": f"/r/{s}/comments/{p}/x/{c}/", "proposed_reply": r,
                              "prob_real": 0.97, "expected_score": 2.0} for s, p, c, r in ROWS])
    proposed.to_csv(tmp_path / drv.PROPOSED_REPLIES.format(date=DATE), index=False)
    run = stage06.start(notebook_params("06", {"drive_root": str(tmp_path), "drive_backend": "local",
                                               "run_date": DATE, "dry_run": False, "delay_min_s": 0,
                                               "delay_max_s": 0, "approve_ids": ["c005", "c031"],
                                               "confirm_rules": ["sciencefiction", "gardening"]}))
    run.scored, run.proposed, run.client, run.dry = proposed, proposed, reddit, False
    stage06.choose(run)
    stage06.check(run)
    return run


@pytest.mark.parametrize("what", ["reject", "hold"])
def test_local_a_rejection_or_a_hold_saved_while_06_posts_is_obeyed(tmp_path, reddit, server, monkeypatch, what):
    run = local_06(tmp_path, reddit)
    sheet = run.path(drv.REVIEW_SHEET)
    real = posting.post_replies

    def change_then_post(*a, **k):  # after the post step read the sheet, before c031's turn
        if what == "reject":
            save(sheet, "c031", approved="False", decision="rejected")
        else:
            holds.add_holds(tmp_path / drv.HOLDS, {"r/gardening": "the account is banned from this subreddit"})
        return real(*a, **k)

    monkeypatch.setattr(stage06.posting, "post_replies", change_then_post)
    results = stage06.post(run).set_index("comment_id")
    stage06.finish(run)
    posted = [r.params["thing_id"] for r in server.state.comment_posts()]
    assert posted == ["t1_c005"]  # c031 was not posted
    assert results.loc["c031", "status"] == "withdrawn"
    assert ("rejected" if what == "reject" else "banned") in results.loc["c031", "error"]
    if what == "reject":
        assert sheet_on_disk(sheet).loc["c031", "decision"] == "rejected"


@pytest.mark.parametrize("backend", ["local", "gdrive"])
def test_a_save_landing_between_the_panels_check_and_its_write_is_not_written_over(tmp_path, monkeypatch, backend):
    """Two notebooks on one sheet: B saves an approval while A's click is being written. Check and write are one
    compare-and-swap: A's write is refused (reload, click again), B's approval stays; A's second click keeps both."""
    drive = None
    path = write_demo_sheet(tmp_path / "live" / f"review_{DATE}.csv")
    if backend == "gdrive":
        fs = fsspec.filesystem("memory")
        fs.store.clear()
        drive = drv.open_drive(tmp_path, "gdrive", "/bot", fs=fs)
        drive.push(drive.rel(path))
    a = ReviewSheet.open(path, RULES, drive)
    b_cache = tmp_path / "b"
    b_drive = drv.open_drive(b_cache, "gdrive", "/bot", fs=fs) if backend == "gdrive" else None
    if b_drive:
        b_drive.pull(drive.rel(path))
    b = ReviewSheet.open(b_drive.path(drive.rel(path)) if b_drive else path, RULES, b_drive)
    real_reject, done = review.reject_reply, []

    def b_saves_meanwhile(df, comment_id):
        if not done:
            done.append(b.approve("c2", b.frame.loc[1, "reply"]))
        return real_reject(df, comment_id)

    monkeypatch.setattr(review, "reject_reply", b_saves_meanwhile)
    message = a.reject("c1")
    assert done == [""]  # B's approval was written
    now = lambda: sheet_on_disk(path if not drive else _fetched(drive, path))  # noqa: E731
    assert "changed since it was read" in message
    assert review_sheet.is_approved(now().loc["c2"])  # B's approval was not written over
    assert a.reject("c1") == ""  # clicked again on the reloaded card
    assert now().loc["c1", "decision"] == "rejected" and review_sheet.is_approved(now().loc["c2"])


def _fetched(drive, path):
    drive.pull(drive.rel(path))
    return path
