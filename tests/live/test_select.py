"""The seed's selection rule, every threshold a parameter, the blocklist, and the review sheet's approvals."""

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputError
from helpers.live import select


def scored():
    return pd.DataFrame({
        "subreddit": ["a"] * 5 + ["b"] * 3,
        "post_id": ["p1"] * 5 + ["p2"] * 3,
        "title": "t",
        "comment_id": ["c1", "c1", "c2", "c2", "c2", "c3", "c3", "c3"],
        "comment": "hello",
        "proposed_reply": ["fine reply", "best but fake", "second best", "x" * 1000, "this is spam, buy now",
                           "ok", "not scored", "meh"],
        "prob_real": [0.95, 0.5, 0.92, 0.99, 0.99, 0.91, np.nan, 0.95],
        "expected_score": [1.0, 3.0, 1.5, 2.9, 2.8, 0.5, np.nan, 0.7],
        "score_error": ["", "", "", "", "", "", "too long", ""],
    })


def test_seed_rule_one_reply_per_post():
    review, summary = select.build_review(scored(), blocklist=["buy now"])
    assert list(review["post_id"]) == ["p1", "p2"]
    assert list(review["reply"]) == ["second best", "meh"]
    assert review.loc[0, "runner_up_1"] == "fine reply" and review.loc[0, "runner_up_2"] == ""
    assert not review["approved"].any()
    assert summary["rejected"] == {"prob_real <= 0.9": 1, "length >= 1000": 1, "blocklist": 1, "not scored": 1}
    assert summary["posts_chosen"] == 2 and summary["candidates"] == 8 and summary["allowed"] == 4


def test_every_threshold_is_a_parameter():
    review, _ = select.build_review(scored(), min_prob_real=0.4, max_length=2000)
    assert review.loc[review["post_id"] == "p1", "reply"].item() == "best but fake"
    review, _ = select.build_review(scored(), min_prob_real=0.98, max_length=2000)
    assert list(review["reply"]) == ["x" * 1000]  # 1000 characters allowed at max_length=2000
    review, _ = select.build_review(scored(), min_prob_real=0.98)
    assert list(review["reply"]) == ["this is spam, buy now"]  # the blocklist is empty by default
    review, _ = select.build_review(scored(), min_prob_real=0.999)
    assert review.empty


def test_blocklist_matches_whole_words_case_insensitively():
    pat = select.blocklist_pattern(["ass", "Buy Now"])
    assert pat.search("BUY NOW!") and pat.search("you ass.")
    assert not pat.search("a class act") and select.blocklist_pattern(["", " "]) is None


def test_missing_columns_are_named():
    with pytest.raises(InputError, match="prob_real"):
        select.build_review(scored().drop(columns=["prob_real"]))


def test_approvals_survive_a_rebuilt_sheet_and_can_be_given_in_the_notebook():
    review, _ = select.build_review(scored())
    previous = review.assign(approved=["yes", ""])
    merged = select.merge_approvals(review, previous)
    assert list(merged["approved"]) == [True, False]
    edited = review.assign(reply=["edited by a person", "meh"], approved=["x", ""])
    rebuilt = review.assign(reply=["a new choice", "a new meh"])
    merged = select.merge_approvals(rebuilt, edited)  # the approved row (and its edit) survives a rebuild
    assert list(merged["reply"]) == ["edited by a person", "a new meh"] and list(merged["approved"]) == [True, False]
    assert list(select.merge_approvals(review.iloc[:0], edited)["reply"]) == ["edited by a person"]
    assert list(select.approve(review, ["c3"])["approved"]) == [False, True]
    with pytest.raises(InputError, match="c9"):
        select.approve(review, ["c9"])


def test_nothing_allowed_gives_an_empty_sheet_with_its_columns():
    review, summary = select.build_review(scored(), min_prob_real=0.999)
    assert review.empty and {"reply", "approved", "runner_up_2"} <= set(review.columns)
    assert summary["posts_chosen"] == 0
