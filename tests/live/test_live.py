"""05's fetch with real PRAW against the recorded threads: what is kept, what is skipped and why."""

import pandas as pd
import pytest

from helpers.errors import ConfigError
from helpers.live import proposals as live

SUBS = ["sciencefiction", "gardening", "boardgames"]


def test_fetch_keeps_only_comments_worth_answering(reddit, server):
    df, summary = live.fetch_comments(reddit, SUBS, posts_per_subreddit=5, min_comment_score=3)
    assert list(df.columns) == live.COMMENT_COLUMNS
    posts = set(df["post_id"])
    assert "p102" not in posts and "p301" not in posts  # the bot already commented there
    assert "p103" not in posts and "p203" not in posts  # locked thread, archived thread
    assert not df["comment"].isin(["[deleted]", "[removed]"]).any()
    assert "c011" not in set(df["comment_id"]) and (df["comment_score"] > 3).all()  # score 2 dropped
    assert "c059" not in set(df["comment_id"])  # a locked comment
    assert {"c013", "c015", "c017"} <= set(df["comment_id"])  # behind "load more": fetched by morechildren
    assert any(r.path == "/api/morechildren" for r in server.state.requests)
    assert df["comment_permalink"].str.startswith("/r/").all() and (df["comment_created_utc"] > 1.7e9).all()
    assert summary["dropped"] == {"post_already_replied_by_bot": 2, "post_locked_or_archived": 2,
                                  "comment_deleted_or_removed": 3, "comment_score_too_low": 2, "comment_locked": 1}
    assert summary["posts_seen"] == 8 and summary["comments_kept"] == len(df) == 15


def test_score_threshold_and_posts_per_subreddit(reddit):
    df, summary = live.fetch_comments(reddit, ["gardening"], posts_per_subreddit=1, min_comment_score=9)
    assert set(df["post_id"]) == {"p201"} and summary["posts_seen"] == 1
    assert sorted(df["comment_score"]) == [12, 36]  # 9 is not above 9


def test_a_comment_deleted_after_recording_is_skipped(reddit, server):
    server.state.delete_comment("c041", removed=True)
    df, _ = live.fetch_comments(reddit, ["gardening"], 5, 3)
    assert "c041" not in set(df["comment_id"])


def test_subreddits_must_be_a_list(reddit):
    with pytest.raises(ConfigError, match="list"):
        live.fetch_comments(reddit, "gardening")


class EchoEngine:
    """Stands in for GenerationEngine's contract (the real one is exercised by the 05 notebook test)."""

    def generate(self, comments, n=10, **kw):
        rows = [(i, k, c, f"re {k}: {c[:10]}") for i, c in enumerate(comments) for k in range(n) if k != 1]
        return pd.DataFrame(rows, columns=["comment_idx", "candidate_idx", "comment", "reply"])


def test_propose_replies_joins_candidates_to_their_comments(reddit):
    df, _ = live.fetch_comments(reddit, ["gardening"], 5, 3)
    out = live.propose_replies(df, EchoEngine(), n=3)
    assert list(out.columns[:8]) == ["subreddit", "post_id", "title", "post_score", "comment_id", "comment_score",
                                     "comment", "proposed_reply"]
    assert len(out) == 2 * len(df)  # candidate 1 was "empty" and dropped by the engine
    assert (out["proposed_reply"].str[6:] == out["comment"].str[:10]).all()
    assert live.propose_replies(df.iloc[:0], EchoEngine()).empty


def test_run_date():
    assert live.today("2026-01-02") == "2026-01-02" and len(live.today()) == 10
    with pytest.raises(ConfigError, match="run_date"):
        live.today("02/01/2026")


@pytest.mark.parametrize("name", ["permalink", "author", "selftext", "created_utc", "edited", "distinguished",
                                  "locked", "archived"])
def test_fetch_survives_a_missing_optional_field(reddit, server, name):
    """Older and some listing payloads lack optional fields: 05 derives or counts, never stops."""
    server.state.omit_fields = {name}
    df, summary = live.fetch_comments(reddit, SUBS, posts_per_subreddit=5, min_comment_score=3)
    if name == "author":  # no author: nobody to tell from the bot; counted, not a crash
        assert df.empty and summary["dropped"]["comment_deleted_or_removed"] > 0
        return
    assert len(df) >= 15 - 3 and df["comment_permalink"].str.startswith("/r/").all()
    if name == "permalink":
        row = df[df["comment_id"] == "c013"].iloc[0]
        assert row["comment_permalink"] == f"/r/{row['subreddit']}/comments/{row['post_id']}/_/c013/"
        assert summary["missing_fields"]["comment_permalink_missing"] == len(df)
    if name == "created_utc":
        assert df["comment_created_utc"].isna().all()
        assert summary["missing_fields"]["comment_created_utc_missing"] == len(df)


def test_06_takes_the_newest_proposals_not_today(tmp_path):
    """05 run at 23:59 UTC and 06 at 00:01 must still meet: 06 defaults to the newest day 05 wrote."""
    from helpers.errors import InputError

    with pytest.raises(InputError, match="run 05_generate_replies first"):
        live.latest_proposals_date(tmp_path)
    for day in ("2020-01-30", "2020-02-01", "2020-01-31"):
        path = tmp_path / live.proposed_path(day)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("post_id\n")
    (tmp_path / live.proposed_path("copy")).write_text("post_id\n")  # not a day: ignored
    assert live.latest_proposals_date(tmp_path) == "2020-02-01"
    assert live.latest_proposals_date(tmp_path, "2020-01-30") == "2020-01-30"
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        live.latest_proposals_date(tmp_path, "1/30/2020")


def test_06s_newest_day_uses_the_one_dated_name_rule(tmp_path, monkeypatch):
    """Which files count as a day's is decided once (helpers.drive.latest); 06 asks it, no regex of its own."""
    import re
    from pathlib import Path

    newest = tmp_path / live.proposed_path("2021-05-06")
    monkeypatch.setattr(live, "latest", lambda root, dated: newest if dated == live.PROPOSED_REPLIES else None)
    assert live.latest_proposals_date(tmp_path) == "2021-05-06"
    source = Path(live.__file__).read_text()
    assert not re.search(r"\\d\{4\}", source), "dated names are matched in helpers.drive.latest only"
