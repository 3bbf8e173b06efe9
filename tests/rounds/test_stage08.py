"""Stage 08's code without papermill or models: the helpers' defaults are the notebook's, and with the gdrive backend a
fresh runtime sees the rounds an earlier one finished (or, after `adv_restart`, none of them).

Why: a helper called from Python used to refresh with 2 candidates at 5e-5 while the notebook used 10 at 1e-3; and a
runtime that pulls the refreshed model but not the rounds table miscounts the finished rounds.
"""

from __future__ import annotations

import inspect
import json

import pandas as pd
import pytest

from helpers import drive as drv
from helpers import files
from helpers.contract import default
from helpers.generator import worker
from helpers.rounds import adversarial, adversarial_fakes, stage08
from memorydrive import gdrive_params, memory_remote

REMOTE = "/bot08"


def test_helper_defaults_are_notebook_08s():
    run_rounds = inspect.signature(adversarial.run_rounds).parameters
    for arg, name in {"rounds": "adv_rounds", "mode": "adv_mode", "run_name": "run_name",
                      "train_comments": "adv_train_comments", "eval_comments": "adv_eval_comments",
                      "n_candidates": "n_candidates", "epochs": "adv_epochs", "batch_size": "bert_batch_size",
                      "learning_rate": "bert_learning_rate", "max_train_rows": "adv_max_train_rows",
                      "base": "bert_base", "seed": "seed"}.items():
        assert run_rounds[arg].default == default(name, "08"), arg
    generate = inspect.signature(adversarial_fakes.generate_round).parameters
    assert (generate["run_name"].default, generate["n"].default, generate["seed"].default) == \
        (default("run_name", "08"), default("n_candidates", "08"), default("seed", "08"))
    cli = vars(worker.parser().parse_args(["sample", "--checkpoint-dir", "c", "--comments", "x.csv", "--out", "y.csv"]))
    for arg, name in {"run_name": "run_name", "n": "n_candidates", "seed": "seed", "temperature": "temperature",
                      "top_k": "top_k", "top_p": "top_p", "length": "max_reply_tokens"}.items():
        assert cli[arg] == default(name, "08"), arg


@pytest.fixture
def remote(monkeypatch):
    return memory_remote(monkeypatch, REMOTE)


def params(root, **values):
    return gdrive_params("08", root, REMOTE, **values)


def finish_two_rounds(root) -> None:
    """What two finished rounds leave on Drive, as run_rounds writes it (model files aside)."""
    rows = [{"round": k, "mode": "continue"} for k in (1, 2)]
    for k in (1, 2):
        files.write_csv(pd.DataFrame({"comment": ["c"], "reply": ["r"], "thread_id": ["t"], "split": ["train"]}),
                        adversarial.fakes_path(root, k))
    files.write_text(json.dumps({"round": 2, "row": rows[1]}), root / drv.ADVERSARIAL_MODEL / adversarial.ROUND_FILE)
    files.write_text("weights", root / drv.ADVERSARIAL_MODEL / "model.weights.h5")
    adversarial.write_table(root, rows)


def test_a_fresh_runtime_pulls_the_finished_rounds(remote, tmp_path, capsys):
    first = stage08.start(params(tmp_path / "runtime1"))
    finish_two_rounds(first.drive.root)
    stage08.push(first)
    second = stage08.start(params(tmp_path / "runtime2"))
    stage08.resume(second)
    assert "2 round(s) done before this run" in capsys.readouterr().out
    assert [r["round"] for r in adversarial.done_rounds(second.drive.root)] == [1, 2]


def test_restart_forgets_the_rounds_on_the_remote_drive_too(remote, tmp_path, capsys):
    first = stage08.start(params(tmp_path / "runtime1"))
    finish_two_rounds(first.drive.root)
    stage08.push(first)
    stage08.resume(stage08.start(params(tmp_path / "runtime2", adv_restart=True)))
    assert "0 round(s) done before this run" in capsys.readouterr().out
    left = [p for p in remote.find(REMOTE) if "adversarial" in p or "refreshed" in p]
    assert all(p.endswith((".json", ".png")) and "/metrics/" in p for p in left), left  # rewritten by the rounds
    third = stage08.start(params(tmp_path / "runtime3"))
    assert adversarial.done_rounds(third.drive.root) == []
    assert not list(third.drive.glob("adversarial/*")) and not third.drive.path(drv.ADVERSARIAL_MODEL).exists()
