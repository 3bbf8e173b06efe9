"""Stages 01 and 02 as Python: their modules import without gpt-2-simple, and 02's Drive pull/push (from the
contract) carries the fakes' signature and every chunk, each chunk pushed before the next is written.

Why: gpt-2-simple turns eager execution off for the whole process when imported, so a stage module that imported it at
the top would break every BERT stage imported beside it (the notebook builder and the fast tests import them all).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import fsspec

from helpers import contract, files
from helpers import drive as drv

ROOT = Path(__file__).resolve().parents[2]


def test_stage_modules_import_without_gpt2_simple():
    """Importing 01/02's code (as the notebook builder does, beside 03's Keras code) leaves eager execution on."""
    script = ("import sys\nfrom helpers.generator import stage01, stage02\n"
              "assert stage01.STEPS and stage02.STEPS\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('gpt_2_simple', 'tensorflow')))")
    r = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]", "stage 01/02 modules import gpt-2-simple or TensorFlow at import time"


def test_every_step_has_a_docstring_for_its_markdown_cell():
    from helpers.generator import stage01, stage02

    for module in (stage01, stage02):
        assert module.__doc__ and all(step.__doc__ for step in module.STEPS), module.__name__
        assert module.STEPS[-1].__name__ == "push"


def test_02_on_gdrive_pulls_and_pushes_the_signature_and_every_chunk(tmp_path, monkeypatch):
    """A fresh runtime must see the signature of the chunks already on Drive, or it resumes with another generator's
    fakes; and the stage's last push sends the signature and the quality file too."""
    import helpers.stage
    from helpers.stage import open_stage, push_outputs

    fs = fsspec.filesystem("memory")
    fs.store.clear()
    for name in (drv.GPT2_GENERATE, drv.BERT_GAN_REAL, drv.BERT_GAN_FAKE.format(0), drv.BERT_GAN_FAKE.format(1),
                 drv.BERT_GAN_FAKE_SIGNATURE, "checkpoint/run1/counter", "checkpoint/other/counter"):
        fs.pipe(f"/bot/{name}", b"x\n")
    monkeypatch.setattr(helpers.stage, "open_drive", lambda root, backend, folder: drv.open_drive(root, backend, folder,
                                                                                                 fs=fs))
    p = contract.Params(**{d.name: d.default for d in contract.all_params(contract.stage("02"))}
                        | {"drive_root": str(tmp_path / "runtime"), "drive_backend": "gdrive", "gdrive_folder": "/bot"})
    drive = open_stage("02", p)
    local = sorted(f.relative_to(drive.root).as_posix() for f in drive.root.rglob("*") if f.is_file())
    assert local == sorted([drv.BERT_GAN_FAKE.format(0), drv.BERT_GAN_FAKE.format(1), drv.BERT_GAN_FAKE_SIGNATURE,
                            drv.BERT_GAN_REAL, "checkpoint/run1/counter", drv.GPT2_GENERATE])
    fs.store.clear()
    files.write_json({"n": 1}, drive.path(drv.FAKES_QUALITY))
    pushed = push_outputs("02", p, drive)
    assert {drv.BERT_GAN_FAKE_SIGNATURE, drv.FAKES_QUALITY, drv.BERT_GAN_FAKE.format(1)} <= set(pushed)
    assert sorted(p.rsplit("/", 1)[-1] for p in fs.find("/bot")) == sorted(
        [drv.BERT_GAN_FAKE.format(0), drv.BERT_GAN_FAKE.format(1), drv.BERT_GAN_FAKE_SIGNATURE, "fakes_quality.json"])


class StubEngine:
    """Stands in for GenerationEngine (no TensorFlow): one reply per candidate; notes what Drive held at each call."""

    seen: list[list[str]] = []
    fs = None

    def __init__(self, checkpoint_dir, run_name, seed=None):
        self.checkpoint, self.seed, self.last_stats = f"{checkpoint_dir}/{run_name}/model-6", seed, {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def generate(self, comments, n, on_comment=None, **kw):
        import pandas as pd

        StubEngine.seen.append(sorted(p.rsplit("/", 1)[-1] for p in self.fs.find("/bot")))
        rows = [(i, j, c, f"reply {j} to {c}") for i, c in enumerate(comments) for j in range(n)]
        return pd.DataFrame(rows, columns=["comment_idx", "candidate_idx", "comment", "reply"])


def test_02_uploads_each_chunk_before_it_writes_the_next(tmp_path, monkeypatch):
    """On gdrive a disconnect mid-run must lose no finished chunk: stage02.generate pushes each as it is written."""
    import pandas as pd

    import helpers.stage
    from helpers.generator import stage02

    fs = fsspec.filesystem("memory")
    fs.store.clear()
    fs.makedirs("/bot", exist_ok=True)
    monkeypatch.setattr(helpers.stage, "open_drive", lambda root, backend, folder: drv.open_drive(root, backend, folder,
                                                                                                 fs=fs))
    monkeypatch.setattr(stage02, "GenerationEngine", StubEngine)
    monkeypatch.setattr(StubEngine, "fs", fs)
    monkeypatch.setattr(StubEngine, "seen", [])
    p = contract.Params(**{d.name: d.default for d in contract.all_params(contract.stage("02"))}
                        | {"drive_root": str(tmp_path / "runtime"), "drive_backend": "gdrive", "gdrive_folder": "/bot",
                           "fake_chunk_size": 2, "n_candidates": 1})
    run = stage02.start(p)
    run.comments = pd.DataFrame({"comment": [f"c{i}" for i in range(5)], "comment_id": [f"c{i}" for i in range(5)],
                                 "thread_id": "t", "subreddit": "s", "split": "train"})
    assert stage02.generate(run)["chunks_written"] == 3
    assert StubEngine.seen == [[drv.BERT_GAN_FAKE_SIGNATURE],
                               [drv.BERT_GAN_FAKE.format(0), drv.BERT_GAN_FAKE_SIGNATURE],
                               [drv.BERT_GAN_FAKE.format(0), drv.BERT_GAN_FAKE.format(1), drv.BERT_GAN_FAKE_SIGNATURE]]
