"""Stage 09 on the gdrive backend (an in-memory remote, as in test_stage08): a fresh runtime sees the finished rounds,
and gr_restart forgets them remotely too, keeping 01's checkpoint and 08's files."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import drive as drv
from helpers import files
from helpers.generator.lineage import done_rounds
from helpers.rounds import stage09
from helpers.rounds.rounds_table import write_table
from memorydrive import gdrive_params, memory_remote

REMOTE = "/bot09"


@pytest.fixture
def remote(monkeypatch):
    return memory_remote(monkeypatch, REMOTE)


def params(root, **values):
    return gdrive_params("09", root, REMOTE, **values)


def finish_a_round(root) -> None:
    files.write_text("weights", root / drv.CHECKPOINT_DIR / "run1" / "model-10.index")
    files.write_text("weights", root / drv.CHECKPOINT_DIR / "run1_g1" / "model-12.index")
    files.write_text("weights", root / drv.CHECKPOINT_DIR / "run1_gold" / "model-3.index")  # not a round's
    files.write_csv(pd.DataFrame({"comment": ["c"], "reply": ["r"]}), root / drv.GENERATOR_ROUNDS_DIR / "round_01" /
                    "train.csv")
    files.write_csv(pd.DataFrame({"round": [1]}), root / drv.ADVERSARIAL_ROUNDS)
    write_table(root, [{"round": 1, "run_name": "run1_g1", "base": "run1", "accepted": True, "reason": ""}])


def test_a_fresh_runtime_sees_the_rounds_and_restart_forgets_them_remotely(remote, tmp_path, capsys):
    first = stage09.start(params(tmp_path / "runtime1"))
    finish_a_round(first.drive.root)
    stage09.push(first)
    files.write_text("weights", first.drive.root / drv.CHECKPOINT_DIR / "run1" / "model-10.index")
    remote.pipe(f"{REMOTE}/{drv.CHECKPOINT_DIR}/run1/model-10.index", b"weights")  # 01 pushed it
    remote.pipe(f"{REMOTE}/{drv.CHECKPOINT_DIR}/run1_gold/model-3.index", b"weights")
    remote.pipe(f"{REMOTE}/{drv.ADVERSARIAL_ROUNDS}", b"round\n1\n")
    second = stage09.start(params(tmp_path / "runtime2"))
    stage09.resume(second)
    assert "1 round(s) done before this run; next round starts from checkpoint/run1_g1" in capsys.readouterr().out
    third = stage09.start(params(tmp_path / "runtime3", gr_restart=True))
    stage09.resume(third)
    assert done_rounds(third.drive.root) == []
    left = {p[len(REMOTE) + 1:] for p in remote.find(REMOTE)}
    assert left == {f"{drv.CHECKPOINT_DIR}/run1/model-10.index", f"{drv.CHECKPOINT_DIR}/run1_gold/model-3.index",
                    drv.ADVERSARIAL_ROUNDS}
    fourth = stage09.start(params(tmp_path / "runtime4"))
    stage09.resume(fourth)
    assert "0 round(s) done before this run; next round starts from checkpoint/run1" in capsys.readouterr().out


def test_a_judge_cannot_be_held_out_from_itself(tmp_path):
    """Before 08 ran, 06's realism_model "auto" is 03's classifier: the default held-out judge. 09 stops at once."""
    from helpers.errors import ConfigError

    files.write_text("{}", tmp_path / drv.BERT_REALISM / "config.json")
    p = params(tmp_path, drive_backend="local")
    with pytest.raises(ConfigError, match="held-out judge .* is the one that chooses"):
        stage09.real_tools(tmp_path, p)


def test_a_round_starts_from_a_copy_and_never_writes_the_base(tmp_path):
    from helpers.generator.gpt2_checkpoint import start_from

    base = tmp_path / "run1"
    for name in ("hparams.json", "counter", "model-150.index", "loss_history.json", "events.out.tfevents.1.vm"):
        files.write_text(name, base / name)
    before = {p.name: p.read_text() for p in base.iterdir()}
    new = start_from(tmp_path, "run1", "run1_g1")
    assert sorted(p.name for p in new.iterdir()) == ["counter", "hparams.json", "model-150.index"]
    files.write_text("trained", new / "model-155.index")
    assert start_from(tmp_path, "run1", "run1_g1") == new and (new / "model-155.index").exists()  # resumed: kept
    assert {p.name: p.read_text() for p in base.iterdir()} == before
