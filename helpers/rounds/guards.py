"""Stage 09's guards and verdict: what a round must show before its checkpoint may be used.

Guards see drift only on enough text: distinct-2 on at least ``DIVERSITY_REPLIES`` replies of each generator (measured
at the same size for both), the share of replies that copy a training reply of the round verbatim, the change of mean
reply length, and the loss on real test replies against the first checkpoint (run1), so it cannot creep a little every
round. The verdict needs the gold measure (helpers.rounds.fresh_judge) to beat both the base and the placebo with the
bootstrap CI's lower bound above ``gr_min_gain``, and at least as many eval comments as 80% power asks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from ..quality import distinct_n_at
from .rounds_data import norm

DIVERSITY_REPLIES = 150
VERDICTS = ("accepted", "rejected", "inconclusive")
BLIND = "the guard cannot see drift"


def drift(replies: Sequence[str], train_replies: Iterable[str], size: int) -> dict:
    """A generator's replies against the round's training replies: distinct-2 at ``size`` replies, the share copying
    a training reply verbatim (words, lower-cased), the mean length in words."""
    seen = {norm(t) for t in train_replies} - {""}
    normed = [norm(r) for r in replies]
    n = len(normed)
    return {"replies": n, "distinct_2": distinct_n_at(list(replies), 2, size) if size else None,
            "copy_share": sum(t in seen for t in normed) / n if n else float("nan"),
            "mean_words": sum(len(t.split()) for t in normed) / n if n else float("nan")}


def _num(x) -> float:
    return float("nan") if x is None else float(x)


def guard_failures(new: dict, base: dict, s) -> list[str]:
    """Why the guards stop the round (none: they hold). ``new``/``base`` carry drift() of each generator at the same
    size, ``new`` also test_loss and test_loss_ref (run1's)."""
    why = []
    size = int(new.get("diversity_replies") or 0)
    if size < DIVERSITY_REPLIES:
        why.append(f"distinct-2 measured on {size} replies (< {DIVERSITY_REPLIES}): {BLIND}")
    d0, d1 = _num(base.get("distinct_2")), _num(new.get("distinct_2"))
    if math.isnan(d1) or d0 - d1 > s.max_distinct2_drop:
        why.append(f"distinct-2 fell {d0:.3f} -> {d1:.3f} (allowed drop {s.max_distinct2_drop:g})")
    c0, c1 = _num(base.get("copy_share")), _num(new.get("copy_share"))
    if math.isnan(c1) or c1 - c0 > s.max_copy_rise:
        why.append(f"verbatim copies of training replies rose {c0:.1%} -> {c1:.1%} (allowed +{s.max_copy_rise:.0%})")
    w0, w1 = _num(base.get("mean_words")), _num(new.get("mean_words"))
    if math.isnan(w1) or not w0 > 0 or abs(w1 / w0 - 1) > s.max_length_drift:
        why.append(f"mean length drifted {w0:.2f} -> {w1:.2f} words (allowed {s.max_length_drift:.0%})")
    l0, l1 = _num(new.get("test_loss_ref")), _num(new.get("test_loss"))
    if math.isnan(l1) or not l1 <= l0 * (1 + s.max_test_loss_rise):
        why.append(f"test loss {l1:.4f} vs run1's {l0:.4f} (allowed +{s.max_test_loss_rise:.0%})")
    return why


def verdict(gold_base: dict, gold_placebo: dict, guards: list[str], min_gain: float) -> tuple[str, str]:
    """accepted | rejected | inconclusive, and why. ``gold_*``: helpers.rounds.stats.auc_gain of base -> candidate
    and placebo -> candidate (gain > 0: the candidate is harder to catch), each with its n and n_needed."""
    why, clear_worse = list(guards), False
    for name, g in (("base", gold_base), ("placebo", gold_placebo)):
        lo, hi, n, need = (_num(g.get(k)) for k in ("lo", "hi", "n", "n_needed"))
        short = ([f"lower bound not above {min_gain:g}"] if math.isnan(lo) or not lo > min_gain else []) + (
            [f"{need:g} comments needed for {min_gain:g} at 80% power"] if not n >= need else [])
        if short:
            why.append(f"fresh-judge AUC gain vs {name} {_num(g.get('gain')):+.3f} [{lo:+.3f}, {hi:+.3f}] on {n:.0f} "
                       f"comments: " + ", ".join(short))
            clear_worse |= hi <= min_gain
    if not why:
        return "accepted", ""
    failed = [g for g in guards if BLIND not in g]  # a guard that could not look is no evidence against the round
    return ("rejected" if failed or clear_worse else "inconclusive"), "; ".join(why)


def verdict_all(gains: dict[str, tuple[dict, dict]], guards: list[str], min_gain: float) -> tuple[str, str]:
    """verdict() over every gold judge (name -> (gain vs base, gain vs placebo)): accepted only if the candidate beats
    base and placebo on each one; rejected if a guard failed or any judge saw it clearly no better."""
    if not gains:
        return "inconclusive", "; ".join([*guards, "no gold judge measured the round"])
    results = {name: verdict(b, p, [], min_gain) for name, (b, p) in gains.items()}
    named = len(results) > 1
    why = list(guards) + [f"{name} judge: {r}" if named else r for name, (v, r) in results.items() if v != "accepted"]
    if not why:
        return "accepted", ""
    failed = [g for g in guards if BLIND not in g]
    rejected = failed or any(v == "rejected" for v, _ in results.values())
    return ("rejected" if rejected else "inconclusive"), "; ".join(why)
