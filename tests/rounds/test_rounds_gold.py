"""09's gold measure and statistics without models: a fresh TF-IDF judge on made-up replies, the paired bootstrap on
known synthetic differences, the power sum, and each guard on a drift case of its own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.rounds import fresh_judge, guards, stats

VOCAB = [f"w{i}" for i in range(400)]


def sentences(n: int, seed: int, lo: int = 5, hi: int = 10) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(VOCAB, rng.integers(lo, hi))) for _ in range(n)]


def gold(real_train, fake_train, real_test, fake_test, seed=0) -> dict:
    ids = [f"c{i}" for i in range(len(real_test))]
    rt = pd.DataFrame({"comment_id": ids, "reply": real_test})
    ft = pd.DataFrame({"comment_id": [ids[i % len(ids)] for i in range(len(fake_test))], "reply": fake_test})
    return stats.auc_ci(fresh_judge.gold_matrix(real_train, fake_train, rt, ft, ids, seed), 500, seed)


def test_a_generator_copying_real_replies_is_hard_to_catch_a_fixed_string_easy():
    real_train, real_test = sentences(300, 1), sentences(120, 2)
    copier = gold(real_train, sentences(300, 3), real_test, sentences(240, 4))  # the same distribution as real text
    fixed = gold(real_train, ["thanks for sharing this!"] * 300, real_test, ["thanks for sharing this!"] * 240)
    assert 0.35 < copier["auc"] < 0.65 and copier["lo"] < 0.5 < copier["hi"]
    assert fixed["auc"] > 0.99 and fixed["lo"] > 0.95


def test_the_auc_of_the_pair_matrix_is_the_ordinary_auc():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(3)
    fake, real = rng.normal(1, 1, 90), rng.normal(0, 1, 30)
    ids = [f"c{i}" for i in range(30)]
    m = stats.pair_matrix(fake, np.array([ids[i % 30] for i in range(90)]), real, np.array(ids), ids)
    assert stats.auc_of(m) == pytest.approx(roc_auc_score(np.r_[np.zeros(30), np.ones(90)], np.r_[real, fake]))


@pytest.mark.parametrize("shift, inside", [(0.0, True), (0.3, False)])
def test_the_paired_bootstrap_ci_covers_a_known_difference(shift, inside):
    """Per-comment values with a known mean difference: the 95% CI holds it, and excludes 0 only when it is real."""
    rng = np.random.default_rng(11)
    before = rng.normal(0.5, 0.2, 400)
    after = before + shift + rng.normal(0, 0.1, 400)  # paired: the comment's own level cancels
    g = stats.mean_gain(before, after, 2000, seed=1)
    assert g["lo"] < shift < g["hi"] and g["hi"] - g["lo"] < 0.05
    assert (g["lo"] < 0 < g["hi"]) == inside
    assert g["sd"] == pytest.approx(0.1, rel=0.15)


def test_auc_gain_ci_is_paired_over_comments_and_covers_the_truth():
    ids = [f"c{i}" for i in range(200)]
    rng = np.random.default_rng(5)
    real = rng.normal(0, 1, 200)
    easy = stats.pair_matrix(rng.normal(1.0, 1, 400), np.array(ids * 2), real, np.array(ids), ids)
    same = stats.pair_matrix(rng.normal(1.0, 1, 400), np.array(ids * 2), real, np.array(ids), ids)
    hard = stats.pair_matrix(rng.normal(0.0, 1, 400), np.array(ids * 2), real, np.array(ids), ids)
    g = stats.auc_gain(easy, hard, 1000, 0)  # true AUCs 0.76 and 0.5
    assert g["lo"] > 0.15 and g["lo"] < 0.26 < g["hi"]
    noise = stats.auc_gain(easy, same, 1000, 0)
    assert noise["lo"] < 0 < noise["hi"] and noise["sd"] > 0


def test_eval_size_needed_follows_the_power_sum():
    assert stats.n_needed(0.2, 0.02) == 785
    assert stats.n_needed(0.1, 0.05) == 32
    assert stats.n_needed(0.1, 0.0) == float("inf") and stats.n_needed(float("nan"), 0.02) == float("inf")


class S:
    max_distinct2_drop, max_copy_rise, max_length_drift, max_test_loss_rise = 0.05, 0.03, 0.15, 0.05


TRAIN = sentences(40, 99)  # the round's training replies


def drift_of(replies) -> dict:
    return guards.drift(replies, TRAIN, 150) | {"diversity_replies": 150}


BASE = sentences(200, 7)
OK = {"test_loss": 4.0, "test_loss_ref": 4.0}


def test_guards_hold_when_nothing_drifts():
    assert guards.guard_failures(drift_of(sentences(200, 8)) | OK, drift_of(BASE), S) == []


@pytest.mark.parametrize("new, extra, why", [
    ([f"w1 w2 w3 w4 w5 w{i % 3}" for i in range(200)], OK, "distinct-2 fell"),
    (sentences(170, 8) + TRAIN[:30], OK, "verbatim copies"),
    (sentences(200, 8, 8, 14), OK, "mean length drifted"),
    (sentences(200, 8), {"test_loss": 4.3, "test_loss_ref": 4.0}, "run1's"),
    (sentences(200, 8), OK | {"diversity_replies": 16}, "measured on 16 replies"),
])
def test_each_guard_sees_its_drift(new, extra, why):
    fails = guards.guard_failures(drift_of(new) | extra, drift_of(BASE), S)
    assert len(fails) == 1 and why in fails[0], fails


def test_test_loss_is_held_to_run1_not_to_the_previous_round():
    """A loss creeping 4% a round passes a per-round check but not run1's after two rounds."""
    new = drift_of(sentences(200, 8)) | {"test_loss": 4.0 * 1.04 ** 2, "test_loss_ref": 4.0}
    assert any("run1's" in w for w in guards.guard_failures(new, drift_of(BASE), S))


@pytest.mark.parametrize("base, placebo, need, want", [
    ({"gain": 0.1, "lo": 0.05, "hi": 0.15, "n": 400}, {"gain": 0.1, "lo": 0.05, "hi": 0.15, "n": 400}, 300,
     "accepted"),
    ({"gain": 0.1, "lo": 0.05, "hi": 0.15, "n": 400}, {"gain": 0.0, "lo": -0.04, "hi": 0.04, "n": 400}, 300,
     "inconclusive"),
    ({"gain": 0.1, "lo": 0.05, "hi": 0.15, "n": 400}, {"gain": -0.1, "lo": -0.15, "hi": -0.05, "n": 400}, 300,
     "rejected"),
    ({"gain": 0.1, "lo": 0.05, "hi": 0.15, "n": 100}, {"gain": 0.1, "lo": 0.05, "hi": 0.15, "n": 100}, 300,
     "inconclusive"),
])
def test_verdict_needs_both_comparisons_clear_and_enough_comments(base, placebo, need, want):
    got, why = guards.verdict(base | {"n_needed": need}, placebo | {"n_needed": need}, [], 0.02)
    assert got == want and (why == "") == (want == "accepted")
    assert guards.verdict(base | {"n_needed": 10}, base | {"n_needed": 10}, ["a guard"], 0.02)[0] == "rejected"


def test_the_report_says_in_one_line_whether_the_bot_got_harder_to_catch():
    from helpers.rounds.rounds_table import verdict_line

    row = {"gold_auc_base": 0.98, "gold_auc": 0.90, "gold_auc_placebo": 0.97, "eval_n": 300}
    assert verdict_line(pd.DataFrame([row | {"accepted": True}])).startswith("Harder to catch: yes, 1 round(s)")
    no = verdict_line(pd.DataFrame([row | {"accepted": False}]))
    assert no.startswith("Harder to catch: no") and "placebo 0.970 on 300" in no
