"""The optional toxicity filter: a small local classifier trained here, and Detoxify up to its import/download."""

import importlib.util

import pandas as pd
import pytest

from helpers import filters
from helpers.errors import ConfigError
from helpers.live import toxicity

TOXIC = ["you are an idiot", "shut up idiot", "what a stupid moron", "idiot, nobody asked you", "go away you moron",
         "you stupid fool", "moron take", "only an idiot would say that"]
KIND = ["what a lovely garden", "thanks for sharing this", "great book, I loved it", "the tomatoes look healthy",
        "nice photo of the moon", "I agree with you", "good luck with the move", "this made my day"]


def test_a_small_local_classifier_rejects_toxic_replies(tmp_path):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    clf = make_pipeline(TfidfVectorizer(), LogisticRegression(C=10.0)).fit(TOXIC + KIND, [1] * 8 + [0] * 8)
    path = toxicity.save_local_scorer({"toxicity": clf}, tmp_path / "tox.joblib")
    scorer = toxicity.load_toxicity_scorer(str(path))
    scores = scorer(["you idiot", "lovely tomatoes"])["toxicity"]
    assert scores[0] > 0.5 > scores[1]
    df = pd.DataFrame({"comment": "my garden", "proposed_reply": ["you are such an idiot", "lovely garden, thanks"]})
    out = filters.apply_filters(df, filters.FilterSettings(toxicity_thresholds={"toxicity": 0.5}), toxicity=scorer)
    assert list(out["rejected"]) == ["toxicity:toxicity", ""]
    out = filters.apply_filters(df, filters.FilterSettings(toxicity_thresholds={"toxicity": 0.99}), toxicity=scorer)
    assert list(out["rejected"]) == ["", ""]  # the threshold is the parameter that decides


def test_off_by_default_and_clear_errors(tmp_path):
    assert toxicity.load_toxicity_scorer("") is None and toxicity.load_toxicity_scorer("off") is None
    with pytest.raises(ConfigError, match="no such file"):
        toxicity.load_toxicity_scorer(str(tmp_path / "missing.joblib"))
    with pytest.raises(ConfigError, match="variant 'nope'"):
        toxicity.load_toxicity_scorer("detoxify:nope")


@pytest.mark.skipif(importlib.util.find_spec("detoxify") is not None, reason="detoxify installed: would download")
def test_detoxify_without_the_package_says_how_to_install():
    with pytest.raises(ConfigError, match=r"pip install detoxify"):
        toxicity.load_toxicity_scorer("detoxify:original")
