"""The gold measure of stage 09: a realism judge trained from scratch against one generator's own samples.

Why: a judge trained against an older generator's fakes (03's, 08's) rewards any drift away from that generator's
quirks, so a fine-tune on real text alone (the placebo) "improves" on it. A fresh judge learns what gives *this*
generator away: trained on real train replies vs the generator's samples for train-split comments, tested on held-out
comments (their real replies vs the generator's candidates for them). Its AUC, lower = harder to catch, is comparable
across generators because every one gets its own judge with the same recipe, data sizes and seed.

The judge here is TF-IDF over character 2-5-grams + logistic regression (scikit-learn): seconds on a CPU, nothing
pretrained, so it cannot inherit another judge's blind spots.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .stats import pair_matrix

MAX_REAL = 5000  # real train replies a judge trains on (a random sample beyond this)


def texts_of(values) -> list[str]:
    """Replies as strings: a missing one (None, NaN) is the empty reply."""
    return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in values]


def training_texts(real: Sequence[str], fake: Sequence[str], seed: int = 0) -> tuple[list[str], list[str]]:
    """What every fresh judge trains on: the texts (empty ones dropped), at most MAX_REAL real ones (a seeded sample),
    so judges of different kinds see the same data."""
    real, fake = texts_of(real), texts_of(fake)
    if not real or not fake:
        raise ValueError(f"a fresh judge needs real and fake replies (got {len(real)} real, {len(fake)} fake)")
    if len(real) > MAX_REAL:
        rng = np.random.default_rng([int(seed), 5])
        real = [real[i] for i in np.sort(rng.choice(len(real), MAX_REAL, replace=False))]
    return real, fake


def fit_tfidf(real: Sequence[str], fake: Sequence[str], seed: int = 0):
    """A fresh char 2-5-gram TF-IDF + logistic-regression judge, classes weighted equally (label 1: fake)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    real, fake = training_texts(real, fake, seed)
    judge = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=1, sublinear_tf=True, lowercase=True),
        LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced", random_state=int(seed)))
    judge.fit(real + fake, np.r_[np.zeros(len(real)), np.ones(len(fake))])
    return judge


def prob_fake(judge, texts: Sequence[str]) -> np.ndarray:
    texts = texts_of(texts)
    return judge.predict_proba(texts)[:, 1] if texts else np.zeros(0)


def gold_matrix(real_train: Sequence[str], fake_train: Sequence[str], real_test: pd.DataFrame,
                fake_test: pd.DataFrame, comments: Sequence[str], seed: int = 0) -> np.ndarray:
    """The fresh judge's comment x comment pair matrix (helpers.rounds.stats) on the held-out comments: trained on
    ``real_train`` vs ``fake_train`` replies, tested on ``real_test`` vs ``fake_test`` (columns comment_id, reply)."""
    judge = fit_tfidf(real_train, fake_train, seed)
    return pair_matrix(prob_fake(judge, fake_test["reply"]), fake_test["comment_id"].astype(str).to_numpy(),
                       prob_fake(judge, real_test["reply"]), real_test["comment_id"].astype(str).to_numpy(),
                       list(comments))


def cross_fit_prob_real(real: Sequence[str], fakes: pd.DataFrame, folds: int = 2, seed: int = 0) -> np.ndarray:
    """For gr_reward = "fresh": each candidate's prob_real under a fresh judge trained against the *current*
    generator (real train replies vs its candidates), cross-fitted by prompt: a candidate is scored by a judge that
    never saw its prompt's candidates, so it is not rewarded for what the judge memorised."""
    ids = fakes["comment_id"].astype(str).to_numpy()
    uniq = np.unique(ids)
    fold_of = dict(zip(uniq, np.random.default_rng([int(seed), 13]).permutation(len(uniq)) % folds))
    fold = np.array([fold_of[i] for i in ids])
    out = np.full(len(fakes), np.nan)
    replies = texts_of(fakes["reply"])
    for f in range(folds):
        train = [r for r, g in zip(replies, fold) if g != f]
        if not train or not (fold == f).any():
            continue
        judge = fit_tfidf(real, train, seed)
        out[fold == f] = 1 - prob_fake(judge, [r for r, g in zip(replies, fold) if g == f])
    return out

