"""Issue 26 item 1: a second gold judge of another kind (BERT from the base weights), and a round accepted only when
it beats base and placebo on every gold judge."""

import time

import numpy as np
import pandas as pd
import pytest

from helpers.discriminators import bert_models as bm
from helpers.errors import ConfigError
from helpers.rounds import bert_judge, fresh_judge, gold_judges, guards, stats
from helpers.rounds import generator_rounds as gr

TINY = dict(vocab_size=300, hidden_dim=32, intermediate_dim=64, num_layers=1, num_heads=2, max_sequence_length=64)
WORDS = ("cat dog park rain coffee movie book train city river game music phone garden winter summer pizza "
         "doctor school beach").split()


def replies(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, rng.integers(4, 10))) + rng.choice([".", "!", "?"]) for _ in range(n)]


def frame(texts: list[str], ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"comment_id": ids, "reply": texts})


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return bm.resolve_base("tiny", tmp_path_factory.mktemp("bases"), texts=replies(60, 9), seed=3, **TINY)


def measure(base: str, fake_train: list[str], fake_test: list[str]) -> dict:
    ids = [f"c{i}" for i in range(20)]
    m = bert_judge.gold_matrix(replies(40, 1), fake_train, frame(replies(20, 2), ids), frame(fake_test, ids), ids,
                               seed=0, base=base)
    assert np.isfinite(m).all()
    return stats.auc_ci(m, 400, 0)


@pytest.mark.slow
def test_bert_judge_catches_a_fixed_string_and_not_a_copy_of_real_replies(base):
    t0 = time.time()
    easy = measure(base, ["lol same here buddy"] * 40, ["lol same here buddy"] * 20)
    print(f"BERT fresh judge trained and scored in {time.time() - t0:.1f} s")
    assert easy["auc"] > 0.9, easy
    hard = measure(base, replies(40, 3), replies(20, 4))  # a "generator" that writes real replies
    assert hard["lo"] < 0.5 < hard["hi"], hard


@pytest.mark.slow
def test_the_gold_judges_by_name_build_the_tiny_base_when_missing(tmp_path):
    made = gold_judges.judges(["tfidf", "bert"], "tiny", tmp_path)
    assert list(made) == ["tfidf", "bert"] and made["tfidf"] is fresh_judge.gold_matrix
    ids = [f"c{i}" for i in range(6)]
    m = made["bert"](replies(12, 1), ["same"] * 12, frame(replies(6, 2), ids), frame(["same"] * 6, ids), ids, 0)
    assert m.shape == (6, 6) and bm.is_keras_preset(tmp_path / "tiny")


def test_unknown_gold_judge_is_a_config_error():
    for bad in ([], ["tfidf", "gpt"]):
        with pytest.raises(ConfigError, match="gr_gold_judges"):
            gold_judges.check_judges(bad)


CLEAR = {"gain": 0.1, "lo": 0.05, "hi": 0.15, "n": 400}
FLAT = {"gain": 0.0, "lo": -0.04, "hi": 0.04, "n": 400}
WORSE = {"gain": -0.1, "lo": -0.15, "hi": -0.05, "n": 400}
DRIFT = {"diversity_replies": 200, "distinct_2": 0.5, "copy_share": 0.0, "mean_words": 10.0}


def decide(gains: dict) -> tuple[str, str]:
    gold = {"eval_n_needed": 300, "_gains": {k: {"base": b, "placebo": p} for k, (b, p) in gains.items()}}
    return gr.decide(DRIFT | {"test_loss": 4.0, "test_loss_ref": 4.0}, DRIFT, gold, gr.Settings())


def test_a_round_must_beat_base_and_placebo_on_every_gold_judge():
    assert decide({"tfidf": (CLEAR, CLEAR)}) == ("accepted", "")
    assert decide({"tfidf": (CLEAR, CLEAR), "bert": (CLEAR, CLEAR)}) == ("accepted", "")
    verdict, why = decide({"tfidf": (CLEAR, CLEAR), "bert": (CLEAR, FLAT)})  # beats the placebo on TF-IDF only
    assert verdict == "inconclusive" and why.startswith("bert judge: ") and "vs placebo" in why and "tfidf" not in why
    assert decide({"tfidf": (CLEAR, CLEAR), "bert": (CLEAR, WORSE)})[0] == "rejected"
    assert decide({})[0] == "inconclusive"
    assert guards.verdict_all({"bert": (CLEAR, CLEAR)}, ["a guard"], 0.02)[0] == "rejected"


@pytest.mark.slow
def test_a_round_with_both_gold_judges_writes_the_bert_aucs_beside_the_tfidf_ones(tmp_path):
    from helpers import drive as drv
    from helpers.files import read_csv
    from test_generator_rounds import corpus, good_round_fake, human, settings

    corpus(tmp_path)
    human(tmp_path)
    table = gr.run_rounds(tmp_path, settings(rounds=1, gold_judges=("tfidf", "bert")), good_round_fake().tools(),
                          progress=lambda *a: None)
    row = read_csv(tmp_path / drv.GENERATOR_ROUNDS).iloc[0]
    for pre in ("gold_", "gold_bert_"):
        for col in ("auc_base", "auc", "auc_placebo", "gain_vs_base_lo", "gain_vs_placebo_lo"):
            assert np.isfinite(float(row[pre + col])), pre + col
    assert bm.is_keras_preset(tmp_path / drv.BERT_BASE_DIR / "tiny")  # built from the base, not a trained judge
    assert not table.iloc[0]["accepted"] and "bert judge: " in table.iloc[0]["reason"]
