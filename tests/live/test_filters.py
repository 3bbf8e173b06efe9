"""06's quality filters: each rejects its case and passes a near miss; posted_before reads the ledger."""

from datetime import datetime, timezone

import pandas as pd
import pytest

from helpers import filters as f
from helpers.errors import ConfigError, InputError

COMMENT = ("I planted tomatoes this spring and the leaves are turning yellow at the bottom. "
           "Any idea what causes that?")
# What the parrot threshold (0.9) was measured on: copies and near copies score >= 0.91, honest answers <= 0.46.
COPIES = {
    "exact": COMMENT,
    "case and punctuation": COMMENT.upper().replace(".", "!"),
    "one word changed": COMMENT.replace("tomatoes", "peppers"),
    "two words changed": COMMENT.replace("tomatoes", "peppers").replace("yellow", "brown"),
    "copy plus a tail": COMMENT + " lol same",
    "one sentence quoted": "I planted tomatoes this spring and the leaves are turning yellow at the bottom.",
}
ANSWERS = {
    "quotes a phrase, then answers": "the leaves are turning yellow, probably overwatering or nitrogen deficiency.",
    "answer": "Sounds like nitrogen deficiency. Try some compost or a balanced fertilizer.",
    "short": "Any idea?",
}


@pytest.mark.parametrize("name", COPIES)
def test_parrot_catches_copies_and_near_copies(name):
    assert f.similarity(COPIES[name], COMMENT) >= 0.9
    assert f.parrot_reason(COPIES[name], [COMMENT]) == "parrot"


@pytest.mark.parametrize("name", ANSWERS)
def test_parrot_passes_answers(name):
    assert f.similarity(ANSWERS[name], COMMENT) < 0.5
    assert f.parrot_reason(ANSWERS[name], [COMMENT, "Yellow leaves"]) is None


def test_parrot_checks_the_title_too():
    assert f.text_reason("Yellow leaves on my tomatoes", "something else entirely here", "Yellow leaves on my tomatoes!"
                         ) == "parrot"


def test_repetition():
    assert f.repetition_reason("no no no no way") == "repetition"  # one word 4 times in a row
    assert f.repetition_reason("no no no way") is None  # 3 times: allowed
    looped = "I love this book. I love this book. I love this book so much."
    assert f.repetition_reason(looped) == "repetition"
    assert f.repetition_reason("I love this book. I love this author too, and the cover is great.") is None


def test_unfinished():
    assert f.unfinished_reason("Great point <|endof") == "unfinished"
    assert f.unfinished_reason("Great point [SEP] and then") == "unfinished"
    assert f.unfinished_reason("Great point endoftext") == "unfinished"
    assert f.unfinished_reason("Great point, and I would add the end of the text matters.") is None
    cut = " ".join(["word"] * 45) + " and then the"
    assert f.unfinished_reason(cut) == "unfinished"  # long, no sentence end: cut at the length limit
    assert f.unfinished_reason(cut + ".") is None
    assert f.unfinished_reason("short and no full stop") is None
    assert f.unfinished_reason("short and no full stop", ended=False) == "unfinished"
    assert f.unfinished_reason(cut, ended=True) is None


def test_too_short():
    assert f.too_short_reason("Same.") == "too_short"
    assert f.too_short_reason("Same here.") is None
    assert f.too_short_reason("Same here.", min_words=3) == "too_short"


def test_mention():
    assert f.mention_reason("ask u/spez about it") == "mention"
    assert f.mention_reason("post it on /r/gardening instead") == "mention"
    assert f.mention_reason("post it on r/gardening instead", allow=True) is None
    assert f.mention_reason("the r/w ratio and your/our house, or/and") is None


def ledger(tmp_path, rows):
    cols = ["event_at", "run_id", "comment_id", "post_id", "subreddit", "status", "reply_id", "error", "body"]
    path = tmp_path / "posting_ledger.csv"
    pd.DataFrame([{c: r.get(c, "") for c in cols} for r in rows], columns=cols).to_csv(path, index=False)
    return path


def test_posted_before_blocks_a_text_already_in_the_ledger(tmp_path):
    now = datetime(2026, 11, 22, 12, tzinfo=timezone.utc)
    path = ledger(tmp_path, [
        {"event_at": "2026-11-20T10:00:00.000000Z", "status": "attempting", "body": "This comment is great."},
        {"event_at": "2026-11-20T10:00:01.000000Z", "status": "posted", "body": "This comment is great."},
        {"event_at": "2026-11-21T10:00:01.000000Z", "status": "error", "body": "Never reached Reddit."},
        {"event_at": "2026-09-01T10:00:01.000000Z", "status": "posted", "body": "An old one from long ago."},
    ])
    posted = f.recent_posts(path, window_days=30, now=now)
    assert posted == ["This comment is great."]
    assert f.posted_before_reason("this comment is GREAT!", posted) == "posted_before"
    assert f.posted_before_reason("This comment is great, and so is the post.", posted) is None
    assert f.posted_before_reason("Never reached Reddit.", posted) is None
    assert f.posted_before_reason("An old one from long ago.", posted) is None
    assert f.recent_posts(path, window_days=120, now=now)[-1] == "An old one from long ago."
    settings = f.FilterSettings()
    assert f.text_reason("This comment is great!", "a comment", "a title", settings, posted) == "posted_before"
    assert f.recent_posts(tmp_path / "none.csv") == []


def test_ledger_errors_name_the_file(tmp_path):
    bad = tmp_path / "posting_ledger.csv"
    bad.write_text("event_at,status\n2026-01-01T00:00:00Z,posted\n")
    with pytest.raises(InputError, match=r"posting_ledger.csv: .*\['body'\]"):
        f.recent_posts(bad)
    path = ledger(tmp_path, [{"event_at": "yesterday", "status": "posted", "body": "x y"}])
    with pytest.raises(InputError, match="row 1.*yesterday"):
        f.recent_posts(path)


def test_apply_filters_names_the_reason_and_keeps_earlier_ones():
    df = pd.DataFrame({
        "post_id": ["p"] * 6, "title": "Yellow leaves",
        "comment": COMMENT,
        "proposed_reply": [COMMENT, "ha ha ha ha ha", "ok", "Sounds like nitrogen deficiency, try compost.",
                           "see u/someone", "This comment is great."],
        "rejected": ["", "", "", "", "prob_real <= 0.9", ""],
    })
    out = f.apply_filters(df, posted=["This comment is great."])
    assert list(out["rejected"]) == ["parrot", "repetition", "too_short", "", "prob_real <= 0.9", "posted_before"]
    assert out.loc[4, "quality_flags"] == "mention"
    assert f.rejected_by_post(out)["p"] == ("parrot: 1; repetition: 1; too_short: 1; prob_real <= 0.9: 1; "
                                            "posted_before: 1")


def test_toxicity_per_label_thresholds_and_unknown_labels():
    def scorer(texts):
        return {"toxicity": [0.9 if "idiot" in t else 0.1 for t in texts],
                "insult": [0.6 if "idiot" in t or "dumb" in t else 0.0 for t in texts]}

    texts = ["you idiot", "that is dumb of them", "nice garden"]
    assert f.toxicity_reasons(texts, scorer, {"toxicity": 0.8}) == ["toxicity:toxicity", None, None]
    assert f.toxicity_reasons(texts, scorer, {"insult": 0.5}) == ["toxicity:insult", "toxicity:insult", None]
    with pytest.raises(ConfigError, match="threat"):
        f.toxicity_reasons(texts, scorer, {"threat": 0.5})
    df = pd.DataFrame({"comment": "c", "proposed_reply": ["you idiot, go away", "a lovely garden you have"]})
    out = f.apply_filters(df, f.FilterSettings(toxicity_thresholds={"toxicity": 0.8}), toxicity=scorer)
    assert list(out["rejected"]) == ["toxicity:toxicity", ""]


def test_06_selection_uses_the_filters_and_names_rejections_on_the_sheet():
    from helpers.live import select

    scored = pd.DataFrame({
        "subreddit": "a", "post_id": ["p1", "p1", "p1", "p2"], "title": "Yellow leaves",
        "comment_id": ["c1", "c1", "c1", "c2"], "comment": COMMENT,
        "proposed_reply": [COMMENT, "Sounds like nitrogen, try compost.", "This comment is great.", "ok"],
        "prob_real": 0.95, "expected_score": [3.0, 1.0, 2.0, 1.0],
    })
    filtered, review, summary = select.select_candidates(scored, quality=f.FilterSettings(),
                                                         posted=["This comment is great."])
    assert list(filtered["rejected"]) == ["parrot", "", "posted_before", "too_short"]
    assert list(review["reply"]) == ["Sounds like nitrogen, try compost."]  # not the higher-scored copy
    assert review.loc[0, "rejected_for_post"] == "parrot: 1; posted_before: 1"
    assert list(review.columns[-3:]) == ["rejected_for_post", "approved", "decision"]
    assert summary["rejected"] == {"parrot": 1, "posted_before": 1, "too_short": 1}
    review_without, _ = select.build_review(scored)  # without quality settings: the seed's rule alone
    assert review_without.loc[0, "reply"] == COMMENT


def test_settings_name_a_bad_parameter():
    with pytest.raises(ConfigError, match="parrot_threshold"):
        f.FilterSettings(parrot_threshold=95)
    with pytest.raises(ConfigError, match="min_words"):
        f.FilterSettings(min_words=-1)
    with pytest.raises(ConfigError, match="toxicity_thresholds"):
        f.FilterSettings(toxicity_thresholds=0.5)


def test_one_run_does_not_choose_the_same_text_for_two_posts():
    from helpers.live import select

    scored = pd.DataFrame({
        "subreddit": "a", "post_id": ["p1", "p1", "p2", "p2", "p3"], "title": "",
        "comment_id": ["c1", "c1", "c2", "c2", "c3"], "comment": ["tomatoes", "tomatoes", "books", "books", "cats"],
        "proposed_reply": ["This comment is great.", "Try more compost.", "This comment is great!",
                           "Which author do you like?", "this comment is GREAT"],
        "prob_real": 0.95, "expected_score": [3.0, 1.0, 2.5, 1.0, 2.0],
    })
    filtered, review, summary = select.select_candidates(scored, quality=f.FilterSettings())
    assert list(review["reply"]) == ["This comment is great.", "Which author do you like?"]  # p3 has nothing else
    assert list(filtered["rejected"]) == ["", "", "repeat_in_run", "", "repeat_in_run"]
    assert summary["rejected"] == {"repeat_in_run": 2}
    assert f.first_repeat(["a b c", "d e f", "A b c!"]) == 2 and f.first_repeat(["a b c", "d e f"]) is None
