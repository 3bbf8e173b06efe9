"""Issue 10, cases 4 and 5: people-facing CSVs are formula-safe both ways, and the review sheet is read as people
save it (one meaning of "approved", any header case, ; or tab delimiters, a BOM), never silently misread."""

import pandas as pd
import pytest

from helpers.errors import InputError
from helpers.live import select, sheets
from helpers.report import view06

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2", "@SUM(A1)", "\tTAB", "\rCR", "'=already quoted",
           "''-two quotes", "plain", "it's fine", "'just a quote"]


def test_formula_cells_are_neutralised_on_write_and_restored_on_read(tmp_path):
    df = pd.DataFrame({"title": HOSTILE, "reply": list(reversed(HOSTILE)), "score": range(len(HOSTILE))})
    path = sheets.write_sheet(df, tmp_path / "review.csv")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)  # what Excel or Sheets sees
    assert not raw["title"].str.match(r"^[=+\-@\t\r]").any()
    assert raw.loc[0, "title"] == "'=HYPERLINK(\"http://evil\",\"x\")" and raw.loc[8, "title"] == "plain"
    back = sheets.read_sheet(path)
    assert list(back["title"]) == HOSTILE and list(back["reply"]) == list(reversed(HOSTILE))
    assert list(back["score"]) == list(range(len(HOSTILE)))


@pytest.mark.parametrize("value", [True, "true", "TRUE", "yes", "Y", "1", 1, 1.0, "1.0", "x", "X", "✓", "Approved"])
def test_one_meaning_of_approved_for_06_and_the_report(value):
    assert select.is_true(value)
    assert "badge ok" in view06.approval_badge({"approved": value})


def test_a_row_a_person_rejected_is_not_approved_for_the_report_either():
    assert "rejected by a person" in view06.approval_badge({"approved": "yes", "decision": "rejected"})
    assert not select.is_approved({"approved": "yes", "decision": "rejected"})


@pytest.mark.parametrize("value", [False, "", "no", "0", 0, "off", None, float("nan"), "maybe"])
def test_not_approved(value):
    assert not select.is_true(value)
    assert "awaiting" in view06.approval_badge({"approved": value})


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_a_sheet_saved_by_a_spreadsheet_keeps_its_approvals(tmp_path, sep):
    text = sep.join(["Post_ID", "Comment_ID", "Reply", "Approved", "Expected_Score"]) + "\n" + "\n".join(
        sep.join(row) for row in [["p1", "c001", "=1+1 is two", "1", "1.5"], ["p2", "c002", "hi", "✓", "2.5"],
                                  ["p3", "c003", "no", "", "0.5"]]) + "\n"
    path = tmp_path / "review.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())  # Excel's "CSV UTF-8" starts with a BOM
    df = select.read_review(path)
    assert list(df["comment_id"]) == ["c001", "c002", "c003"]
    assert [select.is_true(v) for v in df["approved"]] == [True, True, False]
    assert df.loc[0, "reply"] == "=1+1 is two"  # not quoted on Drive by a person: read as written


def test_an_unreadable_sheet_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "review_2026-01-01.csv"
    path.write_text("post_id,comment_id,reply\np1,c1,hi\n")
    with pytest.raises(InputError, match=r"review_2026-01-01.csv: missing column\(s\) \['approved'\]"):
        select.read_review(path)
    path.write_bytes(b"post_id,comment_id,reply,approved\np1,c1,\xff\xfe,True\n")
    with pytest.raises(InputError, match=r"review_2026-01-01.csv: not UTF-8"):
        select.read_review(path)


def test_approvals_survive_a_rebuild_through_the_formula_safe_sheet(tmp_path):
    review = pd.DataFrame({"subreddit": "a", "post_id": ["p1", "p2"], "comment_id": ["c1", "c2"],
                           "reply": ["-the approved text", "@other"], "prob_real": 0.95, "expected_score": [2.0, 1.0],
                           "approved": [False, False]})
    path = tmp_path / "review.csv"
    sheets.write_sheet(review, path)
    saved = pd.read_csv(path, dtype=str, keep_default_na=False)
    saved.loc[0, "approved"] = "x"
    saved.to_csv(path, index=False, sep=";")  # a person approves in a locale that saves with ';'
    merged = select.merge_approvals(review.assign(reply=["a new choice", "@other"]), select.read_review(path))
    assert merged.loc[merged["post_id"] == "p1", "reply"].item() == "-the approved text"
    assert merged["approved"].tolist().count(True) == 1


def test_the_sheet_a_person_left_is_kept_before_a_rewrite(tmp_path):
    path = tmp_path / "review_2026-01-01.csv"
    assert sheets.backup(path) is None
    path.write_bytes(b"post_id;comment_id;reply;approved\r\np1;c1;hi;x\r\n")
    bak = sheets.backup(path)
    assert bak.name == "review_2026-01-01.bak.csv" and bak.read_bytes() == path.read_bytes()
