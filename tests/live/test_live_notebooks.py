"""Notebooks 05 and 06 under papermill, against the recorded threads served by the loopback Reddit (no credentials)."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.live import posting, select
from helpers.live import proposals as live

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SEED_COLUMNS = ["subreddit", "post_id", "title", "post_score", "comment_id", "comment_score", "comment",
                "proposed_reply"]


def only(root: Path, pattern: str) -> Path:
    found = sorted(root.glob(pattern))
    assert len(found) == 1, (pattern, found)
    return found[0]


def outputs_text(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text())
    return json.dumps([c.get("outputs", []) for c in nb["cells"]])


def test_05_fetches_recorded_threads_and_writes_candidates(pipeline):
    root = pipeline.upto("05")
    df = pd.read_csv(only(root, "live/proposed_replies_*.csv"))
    assert list(df.columns[:8]) == SEED_COLUMNS
    assert {"comment_permalink", "comment_created_utc"} <= set(df.columns)
    assert not {"p102", "p301", "p103", "p203"} & set(df["post_id"])  # bot already there; locked; archived
    assert (df["comment_score"] > 3).all() and not df["comment"].isin(["[deleted]", "[removed]"]).any()
    text = outputs_text(root / "executed" / "05_generate_replies.ipynb")
    stat = {k: int(re.search(rf"'{k}': (\d+)", text).group(1)) for k in ("comments", "requested", "dropped_empty")}
    # r/boardgames' rules forbid bots (the preflight refuses it): only r/sciencefiction and r/gardening are fetched
    assert "boardgames" not in set(df["subreddit"])
    assert only(root, "live/preflight_*.json").exists()  # saved with the run (a later stage may update it)
    assert "not generating for r/boardgames: refused: rule \\\"No bots or AI-generated content\\\"" in text
    assert stat["comments"] == 14 and stat["requested"] == 14 * pipeline.params["n_candidates"]
    # every candidate is either in the file or counted as an empty sample the engine dropped (a 10-step model
    # sometimes ends a reply at once); nothing is lost silently
    assert len(df) + stat["dropped_empty"] == stat["requested"]
    assert df["comment_id"].nunique() >= 10 and df["proposed_reply"].notna().all()
    assert "loopback-secret" not in text and "loopback-password" not in text
    summary = json.loads(only(root, "live/fetch_summary_*.json").read_text())  # the runner's outcome line reads it
    assert summary["posts_seen"] == 6 and summary["comments_kept"] == 14 and summary["candidates"] == len(df)


def test_06_scores_selects_and_dry_runs(pipeline):
    root = pipeline.upto("06")
    date = only(root, "live/proposed_replies_*.csv").stem.rsplit("_", 1)[1]
    scored = pd.read_csv(root / select.predictions_path(date))
    assert {"prob_real", "expected_score", "score_error", "rejected", "quality_flags"} <= set(scored.columns)
    review = pd.read_csv(root / select.review_path(date), keep_default_na=False)
    assert "rejected_for_post" in review.columns
    allowed = scored["rejected"].isna()  # "" in the CSV: may be chosen
    assert set(review["reply"]) <= set(scored.loc[allowed, "proposed_reply"])
    quality = json.loads((root / f"metrics/quality_{date}.json").read_text())
    assert set(quality["groups"]) == {"candidates", "selected", "real"}
    assert quality["groups"]["candidates"]["n"] == scored["proposed_reply"].notna().sum()
    assert quality["groups"]["selected"]["n"] == len(review)
    assert set(quality["lift"]) == {"selected_vs_candidates", "selected_vs_real"}
    rejected = scored["rejected"].dropna().str.replace(r"^not scored: .*", "not scored", regex=True)
    assert quality["rejected"] == rejected.value_counts().to_dict()
    assert {"reply", "runner_up_1", "prob_real", "expected_score", "approved"} <= set(review.columns)
    assert review["post_id"].is_unique and len(review) >= 1
    results = pd.read_csv(root / posting.would_post_path(date), keep_default_na=False)
    assert set(results["status"]) <= {"dry_run", "capped_run", "capped_subreddit", "skipped"}
    assert (results["status"] == "dry_run").any()
    assert not (root / posting.LEDGER).exists()  # a dry run sends nothing and records no attempt
    text = outputs_text(root / "executed" / "06_score_and_post.ipynb")
    assert "loopback-secret" not in text and "loopback-password" not in text
    assert "Nobody can click in this run" in text and "approve_ids" in text  # papermill: how to review instead
    assert "decision" in review.columns
    assert live.today(date) == date
