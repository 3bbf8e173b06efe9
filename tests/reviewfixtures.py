"""A demo-like review sheet (three posts, runner-ups, a rejected candidate) for the review panel's tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.filters import FilterSettings
from helpers.live import review_sheet, select, sheets
from helpers.live.text_rules import TextRules

RULES = TextRules(blocklist=("buy now", "https://"), max_length=200, allow_links=False, quality=FilterSettings())


def scored() -> pd.DataFrame:
    rows = [
        ("askreddit", "p1", "What is your favourite tea?", "c1", "I love green tea in the morning.",
         ["Green tea is great, especially with a bit of honey.", "Black tea is my choice on cold days.",
          "I drink coffee instead, honestly."], [2.5, 1.8, 1.2]),
        ("books", "p2", "Which novel surprised you?", "c2", "The ending of Rebecca got me.",
         ["Rebecca has one of the best twists I have read.", "buy now cheap books", "Same here, it was a shock."],
         [2.2, 2.9, 1.0]),
        ("cooking", "p3", "Tips for crispy potatoes?", "c3", "Parboil them first and rough them up.",
         ["Yes, and use very hot oil in the pan.", "Semolina on them works well too."], [1.9, 1.1]),
    ]
    out = []
    for sub, post, title, cid, comment, replies, exp in rows:
        for reply, e in zip(replies, exp):
            out.append({"subreddit": sub, "post_id": post, "title": title, "comment_id": cid,
                        "comment_permalink": f"/r/{sub}/comments/{post}/x/{cid}/", "comment": comment,
                        "proposed_reply": reply, "prob_real": 0.95, "expected_score": e})
    return pd.DataFrame(out)


def write_demo_sheet(path: Path) -> Path:
    review, _ = select.build_review(scored(), min_prob_real=0.5, max_length=200, blocklist=["buy now"],
                                    quality=FilterSettings())
    return sheets.write_sheet(review_sheet.merge_approvals(review, None), path)
