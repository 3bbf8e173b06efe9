"""Issue 24, item 2: a review sheet is read in any spelling a person writes it. Header case and spaces of every
column, `decision` values in any case, unknown values warned and kept (never cleared), no auto_approve over a sheet
without a decision column or over a row whose marks cannot be read. Real posting (dry run) against the loopback
Reddit."""

import pandas as pd
import pytest

from helpers.errors import InputError
from helpers.live import posting, review_sheet, sheets

ROWS = {"c005": ("p101", "sciencefiction"), "c031": ("p201", "gardening"), "c057": ("p302", "boardgames")}


def write(path, header, rows):
    """A sheet as a person saved it: ``header`` as typed, rows as (comment id, approved, decision-or-None)."""
    lines = [",".join(header)]
    for cid, approved, decision in rows:
        post, sub = ROWS[cid]
        cells = {"subreddit": sub, "post_id": post, "comment_id": cid, "reply": f"a reply to {cid}",
                 "expected_score": "1.0", "approved": approved, "decision": decision}
        lines.append(",".join(str(cells[h.strip().lower()]) for h in header))
    path.write_text("\n".join(lines) + "\n")
    return path


def dry_post(reddit, server, tmp_path, review, auto_approve=True):
    ledger = posting.Ledger(tmp_path / "live" / "posting_ledger.csv")
    settings = posting.PostSettings(dry_run=True, auto_approve=auto_approve, delay_min_s=0, delay_max_s=0, seed=1)
    res = posting.post_replies(reddit, review, ledger, settings, bot_username=server.state.bot_username)
    return dict(zip(res["comment_id"], res["status"]))


HEADERS = [["subreddit", "post_id", "comment_id", "reply", "expected_score", "approved", "Decision"],
           ["Subreddit", " Post_ID ", "COMMENT_ID", " Reply", "Expected_Score", "Approved ", " DECISION "]]


@pytest.mark.parametrize("header", HEADERS)
@pytest.mark.parametrize("value", ["rejected", "Rejected", " REJECTED ", "rejected "])
def test_a_rejection_in_any_header_or_value_spelling_is_never_posted(reddit, server, tmp_path, header, value):
    path = write(tmp_path / "review.csv", header, [("c005", "False", value), ("c031", "False", "")])
    review = review_sheet.read_review(path)
    assert "decision" in review.columns and review_sheet.decision_of(review.iloc[0]) == "rejected"
    assert dry_post(reddit, server, tmp_path, review) == {"c005": "rejected", "c031": "dry_run"}


@pytest.mark.parametrize("header", HEADERS)
def test_a_rebuilt_sheet_keeps_a_rejection_written_in_any_spelling(tmp_path, header):
    path = write(tmp_path / "review.csv", header, [("c005", "False", " Rejected "), ("c031", "False", "")])
    fresh = review_sheet.read_review(path).assign(approved=False, decision="", reply="a new choice")
    merged = review_sheet.merge_approvals(fresh, review_sheet.read_review(path))
    sheets.write_sheet(merged, path)
    back = review_sheet.read_review(path).set_index("comment_id")
    assert back.loc["c005", "decision"] == " Rejected " and back.loc["c005", "reply"] == "a reply to c005"
    assert review_sheet.decision_of(back.loc["c005"]) == "rejected"


def test_a_sheet_without_a_decision_column_is_not_auto_approved(reddit, server, tmp_path, capsys):
    header = ["subreddit", "post_id", "comment_id", "reply", "expected_score", "approved"]
    path = write(tmp_path / "review.csv", header, [("c005", "False", None), ("c031", "yes", None)])
    review = review_sheet.read_review(path)
    assert "no decision column" in review_sheet.auto_approve_refusal(review, path)
    got = dry_post(reddit, server, tmp_path, review)
    assert got == {"c005": "not_approved", "c031": "dry_run"}  # the person's own yes still counts
    assert "auto_approve is refused" in capsys.readouterr().out


@pytest.mark.parametrize("approved,decision", [("maybe", ""), ("False", "aproved"), ("", "APPROVED"),
                                               ("True", "rejectd"), ("?", "rejected?")])
def test_unreadable_marks_are_warned_kept_and_never_auto_approved(reddit, server, tmp_path, capsys, approved,
                                                                    decision):
    header = ["subreddit", "post_id", "comment_id", "reply", "expected_score", "approved", "decision"]
    path = write(tmp_path / "review_2026-01-01.csv", header, [("c005", approved, decision), ("c031", "False", "")])
    review = review_sheet.read_review(path)
    out = capsys.readouterr().out
    assert "WARNING review_2026-01-01.csv row 2 (comment c005)" in out and "treated as NOT approved" in out
    assert not review_sheet.is_approved(review.iloc[0])
    assert dry_post(reddit, server, tmp_path, review) == {"c005": "not_approved", "c031": "dry_run"}
    # 06 rebuilds the sheet: the person's text stays as written, so the warning stays until they fix it
    fresh = review.assign(approved=False, decision="", reply="a new choice")
    merged = review_sheet.approve(review_sheet.merge_approvals(fresh, review), [])
    sheets.write_sheet(merged, path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("comment_id")
    assert (raw.loc["c005", "approved"], raw.loc["c005", "decision"]) == (approved, decision)
    assert raw.loc["c005", "reply"] == "a reply to c005"


def test_decision_approved_in_any_case_with_a_yes_is_approved(tmp_path):
    header = ["subreddit", "post_id", "comment_id", "reply", "expected_score", " Approved", "DECISION"]
    path = write(tmp_path / "review.csv", header, [("c005", "x", " APPROVED ")])
    row = review_sheet.read_review(path).iloc[0]
    assert review_sheet.is_approved(row) and not review_sheet.approval_problems(review_sheet.read_review(path))


def test_a_column_spelt_twice_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "review_x.csv"
    path.write_text("post_id,comment_id,reply,approved,Decision,decision\np1,c1,hi,False,rejected,\n")
    with pytest.raises(InputError, match=r"review_x.csv: column\(s\) \['decision'\] appear more than once"):
        review_sheet.read_review(path)


def test_06_keeps_a_sheet_without_its_decision_column_unapproved_for_auto_approve(tmp_path, capsys):
    """The finding: a person deleted the `decision` column (and with it a rejection). 06's choose must not put back
    a blank column that auto_approve would then read as "nobody rejected anything"."""
    from helpers import drive as drv
    from helpers.contract import notebook_params
    from helpers.live import stage06
    from reviewfixtures import scored, write_demo_sheet

    (tmp_path / "live").mkdir()
    run = stage06.start(notebook_params("06", {"drive_root": str(tmp_path), "drive_backend": "local",
                                               "run_date": "2021-05-06", "auto_approve": True,
                                               "min_prob_real": 0.5, "max_reply_chars": 200}))
    sheet = write_demo_sheet(run.path(drv.REVIEW_SHEET))
    people = pd.read_csv(sheet, dtype=str, keep_default_na=False).drop(columns="decision")
    people.to_csv(sheet, index=False)
    run.scored = scored()
    stage06.choose(run)
    assert "no decision column" in capsys.readouterr().out
    again = review_sheet.read_review(sheet)
    assert "decision" not in again.columns and review_sheet.auto_approve_refusal(again, sheet)
