"""Which generator samples replies: 05, 08 and `evaluate` take the newest accepted generator round descended from
run_name (metrics/generator_rounds.csv), say which, and a pin (parameter `generator`) picks one by name."""

from __future__ import annotations

import json

import fsspec
import pandas as pd
import pytest

from helpers import drive as drv
from helpers import stage
from helpers.contract import notebook_params
from helpers.errors import ConfigError, InputError
from helpers.generator.lineage import read_rounds, resolve_generator
from helpers.live import proposals, stage05
from helpers.rounds import stage08

ROUNDS = [  # round 1 accepted, round 2 (fine-tuned from round 1) rejected by the held-out judge
    {"round": 1, "run_name": "run1_g1", "base": "run1", "accepted": True, "reason": ""},
    {"round": 2, "run_name": "run1_g2", "base": "run1_g1", "accepted": False, "reason": "held-out judge fell"},
]


def make_drive(root, rounds=ROUNDS, checkpoints=("run1", "run1_g1", "run1_g2")):
    for name in checkpoints:
        folder = root / drv.CHECKPOINT_DIR / name
        folder.mkdir(parents=True)
        (folder / "hparams.json").write_text("{}")
        (folder / "model-1.index").write_text(name)
    if rounds is not None:
        (root / "metrics").mkdir(exist_ok=True)
        pd.DataFrame(rounds).to_csv(root / drv.GENERATOR_ROUNDS, index=False)
    return root


def test_auto_takes_the_newest_accepted_round_and_says_why_not_a_later_one(tmp_path):
    got = resolve_generator(make_drive(tmp_path), "run1")
    assert (got.run_name, got.round, got.accepted) == ("run1_g1", 1, True)
    assert got.line == ("generator: checkpoint/run1_g1 (newest accepted round 1; round 2 rejected: "
                        "held-out judge fell)")


def test_no_rounds_table_or_no_accepted_round_means_run_name(tmp_path):
    got = resolve_generator(make_drive(tmp_path / "a", rounds=None), "run1")
    assert got.run_name == "run1" and got.line == "generator: checkpoint/run1 (no generator round yet)"
    got = resolve_generator(make_drive(tmp_path / "b", rounds=ROUNDS[1:]), "run1")
    assert got.run_name == "run1" and "no generator round descends from run1" in got.line
    only_rejected = [{**ROUNDS[0], "accepted": False, "reason": "distinct-2 fell"}]
    got = resolve_generator(make_drive(tmp_path / "c", rounds=only_rejected), "run1")
    assert got.run_name == "run1" and got.line.endswith("(round 1 rejected: distinct-2 fell)")


def test_only_rounds_descended_from_run_name_through_accepted_rounds_count(tmp_path):
    rounds = ROUNDS + [
        {"round": 3, "run_name": "run1_g3", "base": "run1_g2", "accepted": True, "reason": ""},  # on a rejected one
        {"round": 4, "run_name": "run2_g1", "base": "run2", "accepted": True, "reason": ""},  # another lineage
        {"round": 5, "run_name": "run1_g5", "base": "run1_g1", "accepted": True, "reason": ""},
    ]
    root = make_drive(tmp_path, rounds, ("run1", "run1_g1", "run1_g2", "run1_g3", "run2", "run2_g1", "run1_g5"))
    assert resolve_generator(root, "run1").line == "generator: checkpoint/run1_g5 (newest accepted round 5)"
    assert resolve_generator(root, "run2").run_name == "run2_g1"
    more = rounds + [{"round": k, "run_name": f"run1_g{k}", "base": "run1_g5", "accepted": False,
                      "reason": f"test loss rose ({k})"} for k in (6, 7, 8)]
    (root / drv.GENERATOR_ROUNDS).write_text(pd.DataFrame(more).to_csv(index=False))
    assert resolve_generator(root, "run1").line == ("generator: checkpoint/run1_g5 (newest accepted round 5; rounds 6, "
                                                    "7, 8 rejected, the last: test loss rose (8))")


def test_a_pin_picks_one_a_rejected_round_is_said_so_and_a_missing_one_lists_what_exists(tmp_path):
    root = make_drive(tmp_path)
    got = resolve_generator(root, "run1", "run1_g2")
    assert got.run_name == "run1_g2" and got.accepted is False
    assert got.line == "generator: checkpoint/run1_g2 (pinned by generator; round 2 REJECTED: held-out judge fell)"
    assert resolve_generator(root, "run1", "run1").line.endswith("(pinned by generator; not a generator round)")
    assert resolve_generator(root, "run1", "run1_g1").line.endswith("(pinned by generator; round 1, accepted)")
    with pytest.raises(ConfigError, match=r"generator = 'run1_g9'.*checkpoints there: run1, run1_g1, run1_g2"):
        resolve_generator(root, "run1", "run1_g9")


def test_an_accepted_round_whose_checkpoint_is_gone_and_a_bad_table_row_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match=r"generator_rounds.csv: round 1 .*checkpoint/run1_g1/.*checkpoints: run1"):
        resolve_generator(make_drive(tmp_path / "a", checkpoints=("run1",)), "run1")
    bad = [ROUNDS[0], {**ROUNDS[1], "accepted": "maybe"}]
    with pytest.raises(InputError, match=r"generator_rounds.csv, row 2: .*accepted='maybe'"):
        read_rounds(make_drive(tmp_path / "b", rounds=bad))
    with pytest.raises(InputError, match=r"generator_rounds.csv, row 1: .*round=1.5"):
        read_rounds(make_drive(tmp_path / "c", rounds=[{**ROUNDS[0], "round": 1.5}]))


class RecordingEngine:
    """Stands in for GenerationEngine: records which checkpoint 05 opened."""

    opened: list = []

    def __init__(self, checkpoint_dir, run_name="run1", seed=None, **kw):
        RecordingEngine.opened.append(run_name)
        self.last_stats = {}

    def generate(self, comments, n=1, **kw):
        rows = [(i, 0, c, "A fine reply.", True) for i, c in enumerate(comments)]
        return pd.DataFrame(rows, columns=["comment_idx", "candidate_idx", "comment", "reply", "generation_ended"])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def comments() -> pd.DataFrame:
    return pd.DataFrame([{"subreddit": "gardening", "post_id": "p1", "title": "Leaves", "post_score": 5,
                          "comment_id": "c1", "comment_score": 9, "comment": "What helps yellow leaves?",
                          "comment_permalink": "/r/gardening/comments/p1/_/c1/", "comment_created_utc": 1}])


def test_05_samples_from_the_newest_accepted_round_and_prints_which(tmp_path, monkeypatch, capsys):
    root = make_drive(tmp_path)
    run = stage05.start(notebook_params("05", {"drive_root": str(root), "drive_backend": "local",
                                               "run_date": "2026-01-02"}))
    assert "generator: checkpoint/run1_g1 (newest accepted round 1; round 2 rejected" in capsys.readouterr().out
    monkeypatch.setattr(stage05, "GenerationEngine", RecordingEngine)
    RecordingEngine.opened = []
    run.comments = comments()
    stage05.generate(run)
    assert RecordingEngine.opened == ["run1_g1"]
    summary = json.loads((root / proposals.fetch_summary_path("2026-01-02")).read_text())
    assert summary["generator"] == "run1_g1"
    pinned = stage05.start(notebook_params("05", {"drive_root": str(root), "drive_backend": "local",
                                                  "generator": "run1_g2"}))
    assert pinned.generator.run_name == "run1_g2" and "REJECTED" in capsys.readouterr().out
    with pytest.raises(ConfigError, match="generator = 'run1_g7'"):
        stage05.start(notebook_params("05", {"drive_root": str(root), "drive_backend": "local",
                                             "generator": "run1_g7"}))


def test_08_takes_the_same_generator(tmp_path, capsys):
    run = stage08.start(notebook_params("08", {"drive_root": str(make_drive(tmp_path)), "drive_backend": "local"}))
    assert run.generator.run_name == "run1_g1" and "checkpoint/run1_g1" in capsys.readouterr().out


@pytest.fixture()
def remote(monkeypatch):
    """An in-memory Google Drive behind every Drive a stage opens with the gdrive backend."""
    fs = fsspec.filesystem("memory")
    fs.store.clear()
    real_open = drv.open_drive
    monkeypatch.setattr(stage, "open_drive", lambda root, backend, folder: real_open(root, backend, folder, fs=fs))
    return fs


def test_on_gdrive_05_pulls_the_rounds_table_and_only_the_chosen_checkpoints(remote, tmp_path, capsys):
    source = make_drive(tmp_path / "colab_one")
    elsewhere = drv.open_drive(source, "gdrive", "/bot", fs=remote)
    elsewhere.push(drv.GENERATOR_ROUNDS, f"{drv.CHECKPOINT_DIR}/*")
    cache = tmp_path / "fresh_runtime"
    given = {"drive_root": str(cache), "drive_backend": "gdrive", "gdrive_folder": "/bot"}
    run = stage05.start(notebook_params("05", given))
    assert run.generator.run_name == "run1_g1" and "checkpoint/run1_g1" in capsys.readouterr().out
    assert (cache / drv.GENERATOR_ROUNDS).exists()
    assert (cache / drv.CHECKPOINT_DIR / "run1_g1" / "hparams.json").exists()
    assert (cache / drv.CHECKPOINT_DIR / "run1" / "hparams.json").exists()  # run_name: the contract's read
    assert not (cache / drv.CHECKPOINT_DIR / "run1_g2").exists()  # the rejected round stays on Drive
    pinned = stage05.start(notebook_params("05", {**given, "drive_root": str(tmp_path / "third"),
                                                  "generator": "run1_g2"}))
    assert pinned.generator.run_name == "run1_g2"
    assert (tmp_path / "third" / drv.CHECKPOINT_DIR / "run1_g2" / "model-1.index").read_text() == "run1_g2"
    with pytest.raises(ConfigError, match="checkpoints there: run1, run1_g1, run1_g2"):
        stage05.start(notebook_params("05", {**given, "generator": "run9"}))


def test_evaluate_samples_from_the_same_generator(tmp_path, monkeypatch, capsys):
    from helpers.pipeline import evaluate as ev

    root = make_drive(tmp_path)
    pd.DataFrame({"comment": ["a test comment"], "comment_id": ["c1"], "thread_id": ["t1"], "subreddit": ["s"],
                  "split": ["test"]}).to_csv(root / drv.GPT2_GENERATE, index=False)
    used = []

    class Stop(Exception):
        pass

    def generate(root, comments, run_name, *a, **k):
        used.append(run_name)
        raise Stop

    monkeypatch.setattr(ev, "generate_candidates", generate)
    for argv, want in (([], "run1_g1"), (["--generator", "run1_g2"], "run1_g2"), (["--generator", "run1"], "run1")):
        with pytest.raises(Stop):
            ev.main(["--drive", str(root), "--n", "1", *argv])
        assert used[-1] == want and f"generator: checkpoint/{want} (" in capsys.readouterr().out
