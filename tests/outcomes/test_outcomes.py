"""Outcome tracking (07) with real PRAW against the loopback Reddit: replies really posted through the posting code,
then checked twice with votes, replies and a removal arriving between the checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers import drive as drv
from helpers import files
from helpers.errors import ConfigError, StageError
from helpers.live import posting
from helpers.offline import fake_reddit
from helpers.outcomes import outcome_metrics, outcomes
from helpers.report import report

# comment -> (post, subreddit, predicted bin probabilities p0..p3)
ROWS = {"c005": ("p101", "sciencefiction", [0.1, 0.2, 0.6, 0.1]),
        "c031": ("p201", "gardening", [0.1, 0.6, 0.2, 0.1]),
        "c041": ("p202", "gardening", [0.7, 0.1, 0.1, 0.1]),
        "c057": ("p302", "boardgames", [0.05, 0.05, 0.1, 0.8])}
FOOTER = "^(I am a bot)"
T1, T2 = "2030-01-01T00:00:00Z", "2030-01-02T12:00:00Z"


def review(cids=tuple(ROWS)):
    return pd.DataFrame([{"subreddit": ROWS[c][1], "post_id": ROWS[c][0], "comment_id": c, "reply": f"a reply to {c}",
                          "prob_real": 0.95, "expected_score": 1.5, "approved": True} for c in cids])


def predictions():
    rows = []
    for c, (post, sub, p) in ROWS.items():
        for reply, probs in ((f"a reply to {c}", p), (f"another candidate for {c}", [0.25] * 4)):
            rows.append({"subreddit": sub, "post_id": post, "comment_id": c, "comment": "x", "proposed_reply": reply,
                         "prob_real": 0.95, **{f"p{k}": v for k, v in enumerate(probs)},
                         "expected_score": float(np.dot(range(4), probs)), "score_error": ""})
    return pd.DataFrame(rows)


@pytest.fixture()
def posted_root(reddit, server, tmp_path):
    """A Drive root whose ledger holds four replies really posted to the loopback server, plus 06's predictions."""
    root = tmp_path / "drive"
    ledger = posting.Ledger(root / drv.POSTING_LEDGER)
    settings = posting.PostSettings(dry_run=False, delay_min_s=0, delay_max_s=0, footer=FOOTER,
                                    max_posts_per_subreddit_per_day=5)
    res = posting.post_replies(reddit, review(), ledger, settings, bot_username=server.state.bot_username,
                               sleep=lambda s: None)
    assert (res["status"] == "posted").all()
    files.write_csv(predictions(), root / "live" / "reply_score_predictions_2030-01-01.csv")
    files.write_csv(review(), root / "live" / "review_2030-01-01.csv")
    return root


def reply_ids(root) -> dict[str, str]:
    posted = outcomes.posted_replies(outcomes.read_ledger(root / drv.POSTING_LEDGER))
    return dict(zip(posted["comment_id"], posted["reply_id"]))


def info_calls(server) -> int:
    return sum(1 for r in server.state.requests if r.path == "/api/info")


def test_two_checks_keep_history_and_score_the_predictions(reddit, server, posted_root):
    ids = reply_ids(posted_root)
    before = info_calls(server)
    out1, m1 = outcomes.track(reddit, posted_root, checked_at=T1, count_replies=False)
    assert info_calls(server) - before == 1  # four replies, one batched /api/info request
    assert out1["num_replies"].isna().all()
    assert m1["replies"] == 4 and m1["upvoted"] == 0 and m1["fraction_upvoted"] == 0.0  # all at their own vote, 1
    st = server.state
    for cid, score in (("c005", 3), ("c031", 1), ("c041", 0), ("c057", 7)):
        st.set_score(ids[cid], score)
    st.add_reply(ids["c057"], "ha, good one")
    st.add_reply(ids["c057"], "agreed")
    st.delete_comment(ids["c041"], removed=True)
    out2, m2 = outcomes.track(reddit, posted_root, checked_at=T2)

    history = pd.read_csv(posted_root / drv.OUTCOME_HISTORY)
    assert len(history) == 8 and (history.groupby("reply_id").size() == 2).all()
    assert set(history["checked_at"]) == {T1, T2}
    by = history.set_index(["checked_at", "reply_id"])
    assert by.loc[(T1, ids["c057"]), "score"] == 1 and by.loc[(T2, ids["c057"]), "score"] == 7
    assert by.loc[(T2, ids["c057"]), "num_replies"] == 2 and by.loc[(T2, ids["c005"]), "num_replies"] == 0
    assert np.isnan(by.loc[(T1, ids["c057"]), "num_replies"])  # first check: count_replies=False
    assert by.loc[(T2, ids["c041"]), "state"] == "removed" and by.loc[(T1, ids["c041"]), "state"] == "live"
    assert by.loc[(T2, ids["c005"]), "hours_since_post"] > by.loc[(T1, ids["c005"]), "hours_since_post"]

    # scores 3, 1, 0, 7 -> upvoted (score >= 2): c005 and c057; bins 2, 1, 0, 3 = the argmax of each prediction
    assert m2["upvoted"] == 2 and m2["fraction_upvoted"] == 0.5 and m2["removed_or_deleted"] == 1
    assert m2["checks"] == 2 and m2["with_prediction"] == 4 and m2["bin_accuracy"] == 1.0
    assert np.array_equal(np.array(m2["confusion_actual_by_predicted"]), np.eye(4, dtype=int))
    got = out2.set_index("comment_id")
    assert (got["prediction_source"] == "predictions").all()  # matched the posted text despite the footer
    assert got.loc["c057", "p_upvoted"] == pytest.approx(0.9) and got.loc["c041", "p_upvoted"] == pytest.approx(0.2)
    per_sub = {r["subreddit"]: r for r in m2["per_subreddit"]}
    assert per_sub["gardening"]["replies"] == 2 and per_sub["gardening"]["fraction_upvoted"] == 0.0
    assert per_sub["boardgames"]["fraction_upvoted"] == 1.0
    assert sum(r["replies"] for r in m2["per_week"]) == 4
    assert sum(r["replies"] for r in m2["calibration"]) == 4
    for rel in (drv.OUTCOMES, drv.OUTCOME_METRICS, drv.OUTCOME_CONFUSION, drv.OUTCOME_CALIBRATION,
                drv.OUTCOME_GROWTH):
        assert (posted_root / rel).stat().st_size > 0
    assert len(pd.read_csv(posted_root / drv.OUTCOMES)) == 4


def test_a_reply_reddit_no_longer_returns_is_missing_not_dropped(reddit, server, posted_root):
    ids = reply_ids(posted_root)
    del server.state.comments[ids["c031"]]
    out, m = outcomes.track(reddit, posted_root, checked_at=T1)
    assert m["states"] == {"live": 3, "missing": 1} and m["replies"] == 4
    assert np.isnan(out.set_index("comment_id").loc["c031", "score"])


def test_a_failed_check_adds_nothing_and_says_so(reddit, server, posted_root):
    outcomes.track(reddit, posted_root, checked_at=T1)
    server.state.faults.append(fake_reddit.Fault("/api/info", status=500, times=10))
    with pytest.raises(StageError, match="nothing was added"):
        outcomes.track(reddit, posted_root, checked_at=T2)
    assert set(pd.read_csv(posted_root / drv.OUTCOME_HISTORY)["checked_at"]) == {T1}


def test_recorded_threads_refuse_a_ledger_of_real_posts(reddit, posted_root):
    with pytest.raises(ConfigError, match="reddit = 'live'"):
        outcomes.track(reddit, posted_root, recorded=True)
    assert not (posted_root / drv.OUTCOME_HISTORY).exists()


def test_only_the_last_posted_event_per_comment_is_tracked():
    ledger = pd.DataFrame([
        {"event_at": "2030-01-01T00:00:00Z", "comment_id": "a", "status": "attempting", "reply_id": ""},
        {"event_at": "2030-01-01T00:00:01Z", "comment_id": "a", "status": "posted", "reply_id": "r1"},
        {"event_at": "2030-01-01T00:00:02Z", "comment_id": "b", "status": "attempting", "reply_id": ""},
        {"event_at": "2030-01-01T00:00:03Z", "comment_id": "c", "status": "error", "reply_id": ""},
        {"event_at": "2030-01-01T00:00:04Z", "comment_id": "d", "status": "posted", "reply_id": "r4",
         "error": "recovered on re-check"},
    ]).reindex(columns=posting.LEDGER_COLUMNS).fillna({"post_id": "p", "subreddit": "s", "body": "hi"})
    got = outcomes.posted_replies(ledger)
    assert got["reply_id"].tolist() == ["r1", "r4"] and got["posted_at"].tolist()[0] == "2030-01-01T00:00:01Z"


def test_an_edited_reply_takes_the_review_sheets_scores(tmp_path):
    live = tmp_path / "live"
    files.write_csv(predictions(), live / "reply_score_predictions_2030-01-01.csv")
    files.write_csv(review().assign(expected_score=2.6), live / "review_2030-01-01.csv")
    posted = pd.DataFrame([{"reply_id": "r1", "comment_id": "c005", "body": "a person's own words"},
                           {"reply_id": "r2", "comment_id": "c031", "body": f"a reply to c031\n\n{FOOTER}"},
                           {"reply_id": "r3", "comment_id": "zzz", "body": "unknown"}])
    got = outcomes.join_predictions(posted, live).set_index("reply_id")
    assert got.loc["r1", "prediction_source"] == "review" and got.loc["r1", "predicted_bin"] == 3
    assert got.loc["r2", "prediction_source"] == "predictions" and got.loc["r2", "predicted_bin"] == 1
    assert got.loc["r3", "prediction_source"] == "none" and np.isnan(got.loc["r3", "predicted_bin"])


def test_bins_and_weeks():
    assert [outcomes.score_bin(s) for s in (-3, 0, 1, 2, 4, 5, 90)] == [0, 0, 1, 2, 2, 3, 3]
    weeks = outcome_metrics.week_of(
        pd.Series(["2026-11-22T01:00:00Z", "2026-11-16T00:00:00.5Z", "2026-11-23T09:00:00Z"]))
    assert weeks.tolist() == ["2026-11-16", "2026-11-16", "2026-11-23"]


def test_nothing_posted_writes_an_empty_report(reddit, server, tmp_path):
    root = tmp_path / "drive"
    out, m = outcomes.track(reddit, root)
    assert m["replies"] == 0 and out.empty and info_calls(server) == 0
    assert not (root / drv.OUTCOME_HISTORY).exists()
    html = report.build_report(root).read_text()
    assert "nothing to track" in BeautifulSoup(html, "html.parser").find(id="outcomes").text


def test_report_section_shows_tables_and_figures(reddit, server, posted_root):
    outcomes.track(reddit, posted_root, checked_at=T1)
    soup = BeautifulSoup(report.build_report(posted_root).read_text(), "html.parser")
    sec = soup.find(id="outcomes")
    assert sec is not None and sec.find(id="outcome-per-subreddit") and sec.find(id="outcome-per-week")
    assert {i["data-file"] for i in sec.find_all("img")} == {"outcome_confusion.png", "outcome_calibration.png",
                                                             "outcome_growth.png"}
    assert "score &gt;= 2" in str(sec.find(id="outcome-metrics")) or "score >= 2" in sec.text
