"""Stage 09's statistics: a decision on a difference is only as good as its noise, so every judged difference comes
with a paired bootstrap CI over eval comments (comments resampled, never candidates: a comment's candidates share its
topic and are not independent), and the eval size needed to see ``gr_min_gain`` at 80% power is said beside it.

The gold measure is a realism judge's AUC on held-out comments (higher: easier to catch). Per generator it is kept as a
comment x comment matrix M[i, j] = share of (comment i's fake, comment j's real reply) pairs the judge orders right
(fake scored more fake than real; ties count half), so the AUC of any resample of comments is w'Mw / (sum w)^2 with w
the resample's counts, and two generators' AUCs on the same resample are paired.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Z80 = 7.85  # (z_{0.975} + z_{0.80})^2: n ~ 7.85 sd^2 / delta^2 for a two-sided 5% test at 80% power


def pair_matrix(fake_score: np.ndarray, fake_comment: np.ndarray, real_score: np.ndarray, real_comment: np.ndarray,
                comments: Sequence[str]) -> np.ndarray:
    """M[i, j] for comments i (fakes) and j (reals): the share of their pairs where the fake's score (prob. fake) is
    above the real's, ties half. A comment with no fake or no real reply has a NaN row or column."""
    idx = {c: i for i, c in enumerate(comments)}
    n = len(comments)
    fi = np.array([idx.get(c, -1) for c in fake_comment])
    ri = np.array([idx.get(c, -1) for c in real_comment])
    f, r = np.asarray(fake_score, float), np.asarray(real_score, float)
    wins = (f[:, None] > r[None, :]) + 0.5 * (f[:, None] == r[None, :])
    total = np.zeros((n, n))
    count = np.zeros((n, n))
    fk, rk = fi >= 0, ri >= 0
    np.add.at(total, (fi[fk][:, None], ri[rk][None, :]), wins[np.ix_(fk, rk)])
    np.add.at(count, (fi[fk][:, None], ri[rk][None, :]), 1.0)
    with np.errstate(invalid="ignore"):
        return total / count


def usable(*mats: np.ndarray) -> np.ndarray:
    """The comments every matrix has a fake and a real reply for (the pairs are then complete)."""
    ok = np.ones(mats[0].shape[0], bool)
    for m in mats:
        ok &= np.isfinite(m).all(axis=1) & np.isfinite(m).all(axis=0)
    return ok


def auc_of(m: np.ndarray, w: np.ndarray | None = None) -> float:
    w = np.ones(m.shape[0]) if w is None else w
    return float(w @ m @ w / w.sum() ** 2)


def resamples(n: int, draws: int, seed: int) -> np.ndarray:
    """``draws`` x n counts of a bootstrap resample of n comments (the same for every generator: paired)."""
    rng = np.random.default_rng([int(seed), 26])
    return np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(draws)]).astype(float)


def boot_aucs(m: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.einsum("bi,ij,bj->b", w, m, w) / w.sum(axis=1) ** 2


def ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    lo, hi = np.nanquantile(values, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def per_comment(m: np.ndarray) -> np.ndarray:
    """Each comment's share in the AUC (its fakes against every real reply, its real reply against every fake)."""
    return (m.mean(axis=1) + m.mean(axis=0)) / 2


def auc_gain(m_before: np.ndarray, m_after: np.ndarray, draws: int = 1000, seed: int = 0) -> dict:
    """How much harder to catch ``after`` is than ``before`` (AUC before - AUC after, > 0: harder), with the paired
    bootstrap CI over comments, the SD of the per-comment differences and the n it needs for a given gain."""
    ok = usable(m_before, m_after)
    a, b = m_before[np.ix_(ok, ok)], m_after[np.ix_(ok, ok)]
    n = int(ok.sum())
    if n < 2:
        return {"n": n, "gain": float("nan"), "lo": float("nan"), "hi": float("nan"), "sd": float("nan")}
    w = resamples(n, draws, seed)
    diff = boot_aucs(a, w) - boot_aucs(b, w)
    lo, hi = ci(diff)
    sd = float(np.std(per_comment(a) - per_comment(b), ddof=1))
    return {"n": n, "gain": auc_of(a) - auc_of(b), "lo": lo, "hi": hi, "sd": sd}


def auc_ci(m: np.ndarray, draws: int = 1000, seed: int = 0) -> dict:
    """A generator's gold AUC with its bootstrap CI over comments."""
    ok = usable(m)
    a = m[np.ix_(ok, ok)]
    if ok.sum() < 2:
        return {"auc": float("nan"), "lo": float("nan"), "hi": float("nan")}
    lo, hi = ci(boot_aucs(a, resamples(int(ok.sum()), draws, seed)))
    return {"auc": auc_of(a), "lo": lo, "hi": hi}


def mean_gain(before: np.ndarray, after: np.ndarray, draws: int = 1000, seed: int = 0) -> dict:
    """after - before of a per-comment mean (e.g. a judge's prob_real), paired bootstrap CI over comments."""
    x, y = np.asarray(before, float), np.asarray(after, float)
    ok = np.isfinite(x) & np.isfinite(y)
    d = (y - x)[ok]
    if len(d) < 2:
        return {"n": len(d), "gain": float("nan"), "lo": float("nan"), "hi": float("nan"), "sd": float("nan")}
    w = resamples(len(d), draws, seed)
    lo, hi = ci(w @ d / len(d))
    return {"n": len(d), "gain": float(d.mean()), "lo": lo, "hi": hi, "sd": float(np.std(d, ddof=1))}


def n_needed(sd: float, delta: float) -> float:
    """Eval comments needed to detect a gain of ``delta`` at 80% power (5% two-sided): 7.85 sd^2 / delta^2; inf when
    delta is 0 or the SD unknown (no size is enough)."""
    if not delta > 0 or not np.isfinite(sd):
        return float("inf")
    return float(np.ceil(round(Z80 * sd ** 2 / delta ** 2, 6)))
