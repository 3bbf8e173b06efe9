"""Adversarial refresh (08): notebook 08 under papermill runs two rounds with the tiny models on the sample (fresh
GPT-2 fakes in a subprocess, continued BERT training), and the per-round table has every round; resume and restart."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers import drive as drv
from helpers.pipeline import runner
from helpers.report import report
from helpers.rounds import adversarial

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def adv_root(pipeline, tmp_path_factory) -> Path:
    """A Drive root of its own with 00-03's outputs, so these rounds never touch the shared one."""
    src = pipeline.upto("03")
    root = tmp_path_factory.mktemp("adv_drive")
    for rel in (drv.GPT2_GENERATE, drv.BERT_GAN_REAL):
        shutil.copy(src / rel, root / rel)
    for p in src.glob(drv.BERT_GAN_FAKE_GLOB):
        shutil.copy(p, root / p.name)
    shutil.copytree(src / drv.CHECKPOINT_DIR, root / drv.CHECKPOINT_DIR)
    shutil.copytree(src / drv.BERT_REALISM, root / drv.BERT_REALISM)
    shutil.copytree(src / drv.BERT_BASE_DIR, root / drv.BERT_BASE_DIR)
    return root


@pytest.fixture(scope="module")
def ran(adv_root) -> Path:
    from conftest import SMOKE_PARAMS

    assert SMOKE_PARAMS["adv_rounds"] == 2
    runner.run_stage("08", adv_root, SMOKE_PARAMS)
    return adv_root


def test_rounds_table_has_every_round(ran):
    table = pd.read_csv(ran / drv.ADVERSARIAL_ROUNDS)
    assert table["round"].tolist() == [1, 2]
    assert list(table.columns) == adversarial.ROUND_COLUMNS
    for col in ("auc_newest_before", "auc_newest_after", "auc_all_rounds_after", "fooled_before", "fooled_after"):
        assert table[col].between(0, 1).all(), col
    assert (table["new_fakes_eval"] > 0).all() and (table["epochs_run"] == 1).all()
    assert len(adversarial.training_fakes(ran, 2)) == len(adversarial.training_fakes(ran, 1)) + \
        table["new_fakes_train"].iloc[1]  # round 2 trains on 02's fakes and both rounds' train fakes
    js = json.loads((ran / drv.ADVERSARIAL_JSON).read_text())
    assert [r["round"] for r in js["rounds"]] == [1, 2]
    assert (ran / drv.ADVERSARIAL_PNG).stat().st_size > 1000
    assert json.loads((ran / drv.ADVERSARIAL_MODEL / adversarial.ROUND_FILE).read_text())["round"] == 2


def test_each_round_has_fresh_fakes_with_held_out_comments(ran):
    f1, f2 = (pd.read_csv(adversarial.fakes_path(ran, k)) for k in (1, 2))
    for f in (f1, f2):
        assert set(f["split"]) == {"train", "test"} and (f["real"] == 0).all()
        assert f["reply"].notna().all()
    assert set(f1["comment_id"]) != set(f2["comment_id"])  # a new sample each round
    gen = pd.read_csv(ran / drv.GPT2_GENERATE).set_index("comment_id")["split"]
    held = f1[f1["split"] == "test"]["comment_id"]
    assert (gen[held] == "test").all()  # measured on comments no model trained on


def test_a_rerun_resumes_after_the_last_round_and_the_report_shows_it(ran):
    before = {k: adversarial.fakes_path(ran, k).stat().st_mtime_ns for k in (1, 2)}
    lines = []
    table = adversarial.run_rounds(ran, 2, progress=lines.append)  # nothing left to do: no model is even loaded
    assert table["round"].tolist() == [1, 2] and "nothing to do" in lines[0]
    assert before == {k: adversarial.fakes_path(ran, k).stat().st_mtime_ns for k in (1, 2)}
    soup = BeautifulSoup(report.build_report(ran).read_text(), "html.parser")
    rows = soup.find(id="adversarial-rounds").find_all("tr")
    assert len(rows) == 3  # header + one per round


def test_a_round_killed_after_publishing_its_model_is_recovered(ran, tmp_path):
    root = tmp_path / "drive"
    shutil.copytree(ran / drv.ADVERSARIAL_MODEL, root / drv.ADVERSARIAL_MODEL)
    (root / "metrics").mkdir()
    pd.read_csv(ran / drv.ADVERSARIAL_ROUNDS).head(1).to_csv(root / drv.ADVERSARIAL_ROUNDS, index=False)
    assert [r["round"] for r in adversarial.done_rounds(root)] == [1, 2]
    adversarial.restart(root)
    assert adversarial.done_rounds(root) == [] and not (root / drv.ADVERSARIAL_MODEL).exists()


def test_pick_comments_holds_out_test_comments_and_changes_per_round():
    gen = pd.DataFrame({"comment": [f"c{i}" for i in range(40)], "comment_id": [f"id{i}" for i in range(40)],
                        "thread_id": [f"t{i // 2}" for i in range(40)], "subreddit": "s",
                        "split": ["train"] * 30 + ["validation"] * 5 + ["test"] * 5})
    a, b = (adversarial.pick_comments(gen, k, 8, 3, seed=1) for k in (1, 2))
    assert (a["split"] == "train").sum() == 8 and (a["split"] == "test").sum() == 3
    assert set(a.loc[a["split"] == "test", "comment_id"]) <= {f"id{i}" for i in range(35, 40)}
    assert set(a["comment_id"]) != set(b["comment_id"])
    assert adversarial.pick_comments(gen, 1, 8, 3, seed=1).equals(a)
    no_test = gen[gen["split"] != "test"]
    assert set(adversarial.pick_comments(no_test, 1, 4, 9, seed=1).query("split == 'test'")["comment_id"]) == \
        {f"id{i}" for i in range(30, 35)}


def test_evaluate_measures_auc_and_how_many_fakes_pass(monkeypatch):
    class Fixed:  # P(real) from a lookup: AUC and pass rates are exact
        class preprocessor:
            sequence_length = 32

    real = pd.DataFrame({"comment": ["a", "b"], "reply": ["r-0.9", "r-0.4"]})
    fake = pd.DataFrame({"comment": ["a", "b", "c"], "reply": ["f-0.2", "f-0.6", ""]})
    monkeypatch.setattr(adversarial, "predict_real", lambda clf, c, r: np.array([float(x[2:]) for x in r]))
    got = adversarial.evaluate(Fixed(), real, fake)
    assert got["auc"] == pytest.approx(0.75) and got["fooled"] == 0.5 and got["mean_prob_real_fakes"] == 0.4


def test_more_rounds_continue_after_the_last_one_and_retrain_rebuilds(ran, tmp_path):
    root = tmp_path / "drive"
    shutil.copytree(ran, root)
    seen = []  # what exists each time the rounds say "upload now" (the gdrive backend pushes there)
    table = adversarial.run_rounds(root, 3, mode="retrain", train_comments=4, eval_comments=3, n_candidates=2,
                                   epochs=1, batch_size=16, learning_rate=5e-5, max_train_rows=64, seed=1234,
                                   gen={"length": 16},
                                   on_write=lambda: seen.append((root / drv.ADVERSARIAL_FAKES.format(3)).exists()
                                                                and len(pd.read_csv(root / drv.ADVERSARIAL_ROUNDS))))
    assert seen == [2, 3], "pushed once the round's fakes exist, again once its row is in the table"
    assert table["round"].tolist() == [1, 2, 3] and table["mode"].tolist() == ["continue", "continue", "retrain"]
    # finished rounds kept as they were
    assert table.iloc[:2].equals(pd.read_csv(ran / drv.ADVERSARIAL_ROUNDS).iloc[:2])
    assert 0 <= table["auc_newest_after"].iloc[2] <= 1
    assert json.loads((root / drv.ADVERSARIAL_MODEL / adversarial.ROUND_FILE).read_text())["round"] == 3
