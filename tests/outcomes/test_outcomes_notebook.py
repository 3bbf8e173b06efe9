"""Notebook 07 under papermill, twice, against a loopback Reddit run by the test (the notebook reaches it as "live"
Reddit through a praw.ini site), with votes arriving between the two runs. The replies are 06's real choices (from
the session's pipeline), posted to the loopback server by the real posting code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers import drive as drv
from helpers.live import posting, review_sheet
from helpers.outcomes import outcomes
from helpers.pipeline import runner
from helpers.reddit import client as reddit_client
from helpers.report import report

pytestmark = pytest.mark.slow


def run_07(root: Path, ini: Path) -> Path:
    from conftest import SMOKE_PARAMS

    return runner.run_stage("07", root, {**SMOKE_PARAMS, "reddit": "live", "praw_site": "recorded",
                                         "praw_ini": str(ini)})


def test_07_tracks_06s_posted_replies_over_two_checks(pipeline, server, tmp_path):
    src = pipeline.upto("06")
    root = tmp_path / "drive"
    shutil.copytree(src / drv.LIVE_DIR, root / drv.LIVE_DIR)  # 06's predictions and review sheet, no ledger
    ini = server.praw_ini(tmp_path / "praw.ini")
    reddit = reddit_client.make_reddit("recorded", ini)[0]
    date = sorted((root / drv.LIVE_DIR).glob("review_*.csv"))[-1].stem.split("_", 1)[1]
    review = pd.read_csv(root / review_sheet.review_path(date))
    settings = posting.PostSettings(dry_run=False, auto_approve=True, delay_min_s=0, delay_max_s=0,
                                    max_posts_per_run=50, max_posts_per_subreddit_per_day=50)
    res = posting.post_replies(reddit, review, posting.Ledger(root / posting.LEDGER), settings,
                               bot_username=server.state.bot_username, sleep=lambda s: None)
    posted = res[res["status"] == "posted"]
    assert len(posted) >= 2
    ids = posted["reply_id"].tolist()

    run_07(root, ini)
    for i, rid in enumerate(ids):  # alternate: even replies gain votes, odd ones lose their own
        server.state.set_score(rid, 6 if i % 2 == 0 else 0)
    server.state.add_reply(ids[0], "nice")
    server.state.delete_comment(ids[1], removed=True)
    out = run_07(root, ini)

    history = pd.read_csv(root / drv.OUTCOME_HISTORY)
    assert len(history) == 2 * len(ids) and (history.groupby("reply_id").size() == 2).all()
    first, second = (g.set_index("reply_id") for _, g in history.groupby("checked_at"))
    assert (first["score"] == 1).all() and second.loc[ids[0], "score"] == 6 and second.loc[ids[1], "score"] == 0
    assert second.loc[ids[0], "num_replies"] == 1 and second.loc[ids[1], "state"] == "removed"
    m = json.loads((root / drv.OUTCOME_METRICS).read_text())
    upvoted = (len(ids) + 1) // 2
    assert m["upvoted"] == upvoted and m["fraction_upvoted"] == pytest.approx(upvoted / len(ids))
    assert m["with_prediction"] == len(ids) and m["removed_or_deleted"] == 1
    table = pd.read_csv(root / drv.OUTCOMES)
    assert (table["prediction_source"] == "predictions").all()  # the posted text found among 06's candidates
    assert table["p_upvoted"].between(0, 1).all()
    report.build_report(root)  # `python -m helpers run` and `... report` rebuild it after the stages
    soup = BeautifulSoup((root / drv.REPORT_HTML).read_text(), "html.parser")
    assert soup.find(id="outcomes").find(id="outcome-per-week") is not None
    text = out.read_text()
    assert "loopback-secret" not in text and "loopback-password" not in text


def test_07_offline_demo_reports_nothing_posted(tmp_path):
    root = tmp_path / "drive"
    runner.run_stage("07", root, {"reddit": "recorded"})
    m = json.loads((root / drv.OUTCOME_METRICS).read_text())
    assert m["replies"] == 0 and not (root / drv.OUTCOME_HISTORY).exists()
    assert outcomes.read_ledger(root / drv.POSTING_LEDGER).empty
