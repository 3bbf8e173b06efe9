"""The seed's own figures (the original bot's write-ups, /work/shared/seeds/), so a run can be read next to them.

Kept in one place: the report's first screen and 07's outcome metrics quote them.
- Realism classifier ("BERT Realisticness Model Metrics"): AUC 0.9933777, eval accuracy 0.9986961, on a test set of
  9,884 + 3 real and 839 + 11 fake replies (heavily imbalanced: always saying "real" scores 0.92).
- Upvote classifier: only an ROC curve, no number.
- Posting, judged by hand: "the bot wrote 80 replies and 24 of them received at least one upvote".
- Selection lift and pairwise accuracy: not measured.
"""

from __future__ import annotations

SEED: dict = {
    "realism_auc": 0.9933777,
    "realism_accuracy": 0.9986961,
    "realism_test_set": "9,887 real vs 850 fake replies",
    "posted": 80,
    "posted_upvoted": 24,
}


def seed_upvoted_share() -> float:
    """Share of the seed's posted replies with at least one upvote (24 of 80)."""
    return SEED["posted_upvoted"] / SEED["posted"]


def seed_upvoted_text() -> str:
    return (f"the seed, judged by hand: {SEED['posted_upvoted']} of {SEED['posted']} replies "
            f"({seed_upvoted_share():.0%}) got at least one upvote")
