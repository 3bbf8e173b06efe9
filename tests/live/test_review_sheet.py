"""Issue 20: the review sheet as 06's panel changes it — approve, reject, an edited reply, a runner-up picked
instead — each written at once, a person's other marks kept, never over a sheet changed since it was read; an
approval cell nobody can read is named, not taken as "no"; a rejected row is never posted."""

import fsspec
import pandas as pd
import pytest

from helpers import drive as drv
from helpers.live import posting, review_sheet, sheets
from helpers.live.review import ReviewSheet, fingerprint
from reviewfixtures import RULES, write_demo_sheet


@pytest.fixture()
def sheet_path(tmp_path):
    return write_demo_sheet(tmp_path / "live" / "review_2026-01-02.csv")


def on_disk(path) -> pd.DataFrame:
    return review_sheet.read_review(path, warn=False).set_index("comment_id")


def test_approve_writes_the_sheet_at_once_and_keeps_the_other_rows(sheet_path):
    before = on_disk(sheet_path)
    sheet = ReviewSheet.open(sheet_path, RULES)
    assert sheet.approve("c2", sheet.frame.loc[1, "reply"]) == ""
    after = on_disk(sheet_path)
    assert review_sheet.is_approved(after.loc["c2"]) and after.loc["c2", "decision"] == "approved"
    assert after.loc["c2", "reply"] == before.loc["c2", "reply"]
    pd.testing.assert_frame_equal(after.drop(index="c2"), before.drop(index="c2"), check_dtype=False)  # as it was
    assert not (tmp_path_files := [p.name for p in sheet_path.parent.iterdir() if p.name.endswith(".tmp")]), \
        tmp_path_files  # atomic: no temp file left


def test_reject_is_kept_by_a_rebuild_and_never_posted(sheet_path):
    sheet = ReviewSheet.open(sheet_path, RULES)
    assert sheet.approve("c1", sheet.frame.loc[0, "reply"]) == ""
    assert sheet.reject("c1") == ""
    after = on_disk(sheet_path)
    assert after.loc["c1", "decision"] == "rejected" and not review_sheet.is_approved(after.loc["c1"])
    # 06 runs again: the rebuilt sheet keeps the rejection, and a left-over approve_ids does not undo it
    fresh = review_sheet.read_review(sheet_path).assign(approved=False, decision="")
    merged = review_sheet.approve(review_sheet.merge_approvals(fresh, review_sheet.read_review(sheet_path)),
                                  ["c1", "c3"])
    row = merged.set_index("comment_id").loc["c1"]
    assert row["decision"] == "rejected" and not review_sheet.is_approved(row)
    assert review_sheet.is_approved(merged.set_index("comment_id").loc["c3"])
    # posting: a person-rejected row is not posted, not even with auto_approve or an approved cell set by hand
    merged.loc[merged["comment_id"] == "c1", "approved"] = True
    ledger = posting.Ledger(sheet_path.parent / "ledger.csv")
    settings = posting.PostSettings(dry_run=True, auto_approve=True, delay_min_s=0, delay_max_s=0)
    out = posting.post_replies(None, merged, ledger, settings, bot_username="bot")
    assert out.set_index("comment_id").loc["c1", "status"] == "rejected"


def test_an_edited_reply_is_approved_as_edited(sheet_path):
    sheet = ReviewSheet.open(sheet_path, RULES)
    assert sheet.approve("c3", "Parboiling is the trick, then a very hot oven.") == ""
    row = on_disk(sheet_path).loc["c3"]
    assert row["reply"] == "Parboiling is the trick, then a very hot oven." and review_sheet.is_approved(row)


@pytest.mark.parametrize("text,reason", [
    ("Get it at https://spam.example now", "blocklist"),
    ("see www.spam.example for more", "link"),
    ("x " * 150, "length >= 200"),
    ("Parboil them first and rough them up.", "parrot"),  # the comment, repeated
    ("ok", "too_short"),
    ("ask u/someone about it", "mention"),
    ("   ", "empty reply"),
    ("crispy crispy crispy crispy crispy potatoes", "repetition"),
    ("Use hot oil [SEP] and salt", "unfinished"),
])
def test_an_edit_that_fails_a_check_cannot_be_approved(sheet_path, text, reason):
    raw = sheet_path.read_bytes()
    sheet = ReviewSheet.open(sheet_path, RULES)
    message = sheet.approve("c3", text)
    assert message.startswith("not approved") and reason in message
    assert sheet_path.read_bytes() == raw


def test_picking_a_runner_up_swaps_it_in_and_needs_approval_again(sheet_path):
    sheet = ReviewSheet.open(sheet_path, RULES)
    assert sheet.approve("c1", sheet.frame.loc[0, "reply"]) == ""
    assert sheet.pick("c1", 2) == ""
    row = on_disk(sheet_path).loc["c1"]
    assert row["reply"] == "I drink coffee instead, honestly." and row["expected_score"] == 1.2
    assert row["runner_up_2"] == "Green tea is great, especially with a bit of honey."
    assert row["runner_up_2_expected_score"] == 2.5
    assert not review_sheet.is_approved(row) and review_sheet.decision_of(row) == ""
    assert sheet.approve("c1", row["reply"]) == "" and review_sheet.is_approved(on_disk(sheet_path).loc["c1"])


def test_a_sheet_changed_since_it_was_read_is_not_overwritten(sheet_path):
    sheet = ReviewSheet.open(sheet_path, RULES)
    theirs = review_sheet.read_review(sheet_path)
    theirs.loc[theirs["comment_id"] == "c3", "approved"] = "yes"  # someone approves c3 on Drive meanwhile
    sheets.write_sheet(theirs, sheet_path)
    raw = sheet_path.read_bytes()
    message = sheet.approve("c1", sheet.frame.loc[0, "reply"])
    assert "changed since it was read" in message and "wrote nothing" in message
    assert sheet_path.read_bytes() == raw  # their change stands
    assert review_sheet.is_true(sheet.frame.set_index("comment_id").loc["c3", "approved"])  # reloaded
    assert sheet.approve("c1", sheet.frame.loc[0, "reply"]) == ""  # the next click, on the new sheet, is written
    after = on_disk(sheet_path)
    assert review_sheet.is_approved(after.loc["c1"]) and review_sheet.is_approved(after.loc["c3"])


def test_on_gdrive_each_click_reaches_drive_and_a_change_there_is_not_overwritten(tmp_path):
    fs = fsspec.filesystem("memory")
    fs.store.clear()
    drive = drv.open_drive(tmp_path / "cache", "gdrive", "/bot", fs=fs)
    rel = drv.REVIEW_SHEET.format(date="2026-01-02")
    write_demo_sheet(drive.path(rel))
    drive.push(rel)
    sheet = ReviewSheet.open(drive.path(rel), RULES, drive)
    assert sheet.reject("c2") == ""
    with fs.open("/bot/" + rel, "rb") as f:
        assert f.read() == drive.path(rel).read_bytes()
    other = drv.open_drive(tmp_path / "other", "gdrive", "/bot", fs=fs)  # a person's edit reaches Drive
    other.pull(rel)
    theirs = review_sheet.read_review(other.path(rel)).assign(approved="no")
    sheets.write_sheet(theirs, other.path(rel))
    other.push(rel)
    message = sheet.approve("c1", sheet.frame.loc[0, "reply"])
    assert "changed since it was read" in message
    with fs.open("/bot/" + rel, "rb") as f:
        assert f.read() == other.path(rel).read_bytes()
    assert fingerprint(drive.path(rel)) == sheet.seen


def test_an_approval_nobody_can_read_is_named_not_taken_as_no(sheet_path, capsys):
    df = review_sheet.read_review(sheet_path)
    df.loc[df["comment_id"] == "c2", "approved"] = "maybe"
    sheets.write_sheet(df, sheet_path)
    back = review_sheet.read_review(sheet_path)
    out = capsys.readouterr().out
    assert "WARNING review_2026-01-02.csv row 3 (comment c2): approved value 'maybe'" in out
    assert "treated as NOT approved" in out
    assert not review_sheet.approved_mask(back).any()
    assert ReviewSheet.open(sheet_path, RULES).problems  # the panel shows it too
