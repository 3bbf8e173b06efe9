"""The scoring API 06 calls: both models loaded once, per-row reasons for bad rows, agreement with keras predict."""

import numpy as np
import pandas as pd
import pytest

from helpers.discriminators import bert_models as bm
from helpers.discriminators.scoring import SCORE_COLUMNS, Scorer
from helpers.errors import InputError

pytestmark = pytest.mark.slow
TINY = dict(vocab_size=200, hidden_dim=32, intermediate_dim=64, num_layers=1, num_heads=2, max_sequence_length=64)


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """Untrained tiny classifiers (random heads) are enough to check the plumbing: 2 classes and 4 bins."""
    root = tmp_path_factory.mktemp("scoring")
    texts = ["the cat sat on the mat", "a dog ran in the park", "good reply here", "what a great point"] * 5
    base = bm.resolve_base("tiny", root / "bases", texts=texts, seed=3, **TINY)
    realism = bm.save_classifier(bm.build_classifier(base, 2, sequence_length=24, seed=1), root / "realism")
    upvote = bm.save_classifier(bm.build_classifier(base, 4, sequence_length=24, seed=2), root / "upvote")
    return realism, upvote


@pytest.fixture(scope="module")
def scorer(models):
    return Scorer.load(*models, batch_size=8)


def test_scores_every_good_row_and_explains_every_bad_one(scorer):
    df = pd.DataFrame({"comment": ["the cat sat", "a dog", "the park", None, "good", "x"],
                       "reply": ["good reply", np.nan, "   ", "great point", 42, "the mat " * 50_000],
                       "post_id": list("abcdef")})
    out = scorer.score(df)
    assert list(out.columns) == list(df.columns) + SCORE_COLUMNS and out.index.equals(df.index)
    assert out["score_error"].tolist() == ["", "reply is missing (NaN)", "reply is empty",
                                           "comment is missing (NaN)", "reply is not text (int)", ""]
    good = out["score_error"] == ""
    assert out.loc[good, SCORE_COLUMNS[:-1]].notna().all(axis=None)
    assert out.loc[~good, SCORE_COLUMNS[:-1]].isna().all(axis=None)
    p = out.loc[good, ["p0", "p1", "p2", "p3"]].to_numpy()
    np.testing.assert_allclose(p.sum(1), 1, atol=1e-5)
    np.testing.assert_allclose(out.loc[good, "expected_score"], p @ np.arange(4), atol=1e-6)
    assert out.loc[good, "prob_real"].between(0, 1).all()
    assert scorer.last_stats["scored"] == 2 and scorer.last_stats["clipped_long_text"] == 1
    assert sum(scorer.last_stats["errors"].values()) == 4
    assert df["reply"].isna().sum() == 1 and "prob_real" not in df  # the input is not modified


def test_matches_keras_predict_and_does_not_depend_on_batching(models, scorer):
    rng = np.random.default_rng(0)
    words = "the cat sat on mat a dog ran in park good reply great point what here".split()
    df = pd.DataFrame({"c": [" ".join(rng.choice(words, 12)) for _ in range(37)],
                       "r": [" ".join(rng.choice(words, 30)) for _ in range(37)]})
    out = scorer.score(df, comment_col="c", reply_col="r")
    realism, upvote = (bm.load_classifier(m) for m in models)
    np.testing.assert_allclose(out["prob_real"], bm.predict_proba(realism, df["c"], df["r"])[:, 1], atol=1e-5)
    np.testing.assert_allclose(out[["p0", "p1", "p2", "p3"]], bm.predict_proba(upvote, df["c"], df["r"]), atol=1e-5)
    assert scorer.shared_tokens  # both fine-tuned from the same base: tokenised once
    big = Scorer(scorer.realism, scorer.upvote, batch_size=1000).score(df, comment_col="c", reply_col="r")
    np.testing.assert_allclose(big["expected_score"], out["expected_score"], atol=1e-5)


def test_empty_frames_missing_columns_and_wrong_models(scorer, models):
    empty = scorer.score(pd.DataFrame({"comment": pd.Series([], dtype=object), "reply": pd.Series([], dtype=object)}))
    assert len(empty) == 0 and list(empty.columns)[-len(SCORE_COLUMNS):] == SCORE_COLUMNS
    all_bad = scorer.score(pd.DataFrame({"comment": ["a"], "reply": [""]}))
    assert all_bad["score_error"].item() == "reply is empty" and np.isnan(all_bad["prob_real"].item())
    with pytest.raises(InputError, match="missing column"):
        scorer.score(pd.DataFrame({"comment": ["a"]}))
    with pytest.raises(InputError, match="expected 2"):
        Scorer.load(models[1], models[1])


def test_06_uses_the_refreshed_realism_model_once_08_has_made_one(tmp_path):
    from helpers.discriminators.scoring import realism_model_dir

    assert realism_model_dir(tmp_path) == tmp_path / "models" / "bert_realism"
    (tmp_path / "models" / "bert_realism_refreshed").mkdir(parents=True)
    assert realism_model_dir(tmp_path, "auto") == tmp_path / "models" / "bert_realism_refreshed"
    assert realism_model_dir(tmp_path, "bert_realism") == tmp_path / "models" / "bert_realism"
    assert realism_model_dir(tmp_path, "elsewhere/model") == tmp_path / "elsewhere" / "model"
    assert realism_model_dir(tmp_path, "/abs/model") == __import__("pathlib").Path("/abs/model")
