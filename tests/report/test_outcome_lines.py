"""The one-line outcome per stage, read from each stage's summary file; no file, no line."""

import json

import pandas as pd

from helpers import drive as drv
from helpers.live.proposals import fetch_summary_path
from helpers.report.outcome_lines import outcome_line


def write(root, rel, obj):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj), encoding="utf-8")


def test_no_summary_no_line(tmp_path):
    assert all(outcome_line(k, tmp_path) is None for k in ("00", "01", "02", "03", "04", "05", "06", "07", "08", "99"))
    (tmp_path / drv.DATA_SUMMARY).write_text("{not json", encoding="utf-8")
    assert outcome_line("00", tmp_path) is None


def test_00_rows_in_kept_and_drops_by_reason(tmp_path):
    write(tmp_path, drv.DATA_SUMMARY, {"source": "csv", "rows_in": 3, "rows_out": 2, "dropped_total": 1,
                                       "dropped": {"deleted": 1}, "truncated": 0, "source_stats": {}})
    assert outcome_line("00", tmp_path) == "source csv: 3 rows in, 2 kept, 1 dropped (1 deleted), 0 truncated"


def test_05_posts_seen_comments_kept_drops_newest_run(tmp_path):
    write(tmp_path, fetch_summary_path("2026-01-01"), {"posts_seen": 1, "comments_kept": 0, "dropped": {}})
    write(tmp_path, fetch_summary_path("2026-01-02"),
          {"posts_seen": 8, "comments_kept": 15, "candidates": 30,
           "dropped": {"comment_locked": 1, "comment_deleted_or_removed": 3}})
    assert outcome_line("05", tmp_path) == ("8 posts seen, 15 comments kept, dropped 3 comment deleted or removed, "
                                            "1 comment locked; 30 candidate replies")


def test_06_statuses_and_07_outcomes(tmp_path):
    path = tmp_path / drv.WOULD_POST.format(date="2026-01-02")
    path.parent.mkdir(parents=True)
    pd.DataFrame({"status": ["dry_run", "dry_run", "not_approved"]}).to_csv(path, index=False)
    assert outcome_line("06", tmp_path) == "3 review row(s) in would_post_2026-01-02.csv: 2 dry run, 1 not approved"
    write(tmp_path, drv.OUTCOME_METRICS, {"replies": 4, "upvoted": 1, "removed_or_deleted": 1,
                                          "states": {"live": 3, "removed": 1}})
    assert outcome_line("07", tmp_path) == ("4 posted replies checked: 1 upvoted, 1 removed or deleted; "
                                            "now 3 live, 1 removed")
    write(tmp_path, drv.OUTCOME_METRICS, {"replies": 0, "upvoted": 0, "removed_or_deleted": 0, "states": {}})
    assert outcome_line("07", tmp_path) == "0 posted replies checked: 0 upvoted, 0 removed or deleted"  # no "none"


def test_no_usable_rows_names_the_files_read_and_the_drops(tmp_path):
    import pytest

    from helpers.data.prepare import prepare
    from helpers.errors import ConfigError
    from helpers.schema import RAW_COLUMNS

    row = dict.fromkeys(RAW_COLUMNS, "x") | {"comment": "[deleted]", "reply": "hi", "comment_score": 1,
                                              "reply_score": 1, "submission_score": 1}
    raw = pd.DataFrame([row, row | {"reply": " "}])
    stats = {"files": ["raw/arctic_shift/writing/2024_01_submissions.ndjson",
                       "raw/arctic_shift/writing/2024_01_comments.ndjson"], "bad_json_lines": 3}
    with pytest.raises(ConfigError) as e:
        prepare(raw, drv.open_drive(str(tmp_path), "local"), source="arctic_shift", source_stats=stats)
    msg = str(e.value)
    assert "arctic_shift" in msg and "2024_01_comments.ndjson" in msg and "read 2 file(s)" in msg
    assert "2 rows in" in msg and "'deleted': 1" in msg and "'empty_text': 1" in msg
    assert "the source reported {'bad_json_lines': 3}" in msg
