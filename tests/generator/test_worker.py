"""The one GPT-2 process (helpers.generator.worker): every caller starts it through `launch`, which uses
procgroup.run_child, so the child dies with the kernel that started it (tests/pipeline/test_kill.py) — evaluate's own
subprocess.run copy let its child outlive a killed kernel."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest

from helpers.errors import StageError
from helpers.generator import worker
from helpers.pipeline import evaluate

HELPERS = Path(__file__).resolve().parents[2] / "helpers"
COMMENTS = pd.DataFrame({"comment": ["hi there"], "comment_id": ["c1"], "thread_id": ["t1"], "subreddit": ["s"],
                         "split": ["test"]})


@pytest.fixture
def launched(monkeypatch):
    """run_child replaced by a stand-in that writes what the worker would and records the command."""
    calls = []

    def fake_run_child(cmd, **kw):
        calls.append(cmd)
        out = cmd[cmd.index("--out") + 1]
        pd.DataFrame({"comment": ["hi there"], "reply": ["hello"], "comment_id": ["c1"]}).to_csv(out, index=False)
        return subprocess.CompletedProcess(cmd, 0, stdout="{}", stderr="")

    monkeypatch.setattr(worker, "run_child", fake_run_child)
    return calls


def test_evaluate_samples_through_the_one_launcher(launched, tmp_path):
    got = evaluate.generate_candidates(tmp_path, COMMENTS, "run1", n=2, seed=3, temperature=0.5)
    assert list(got["reply"]) == ["hello"]
    (cmd,) = launched
    assert cmd[1:4] == ["-m", "helpers.generator.worker", "sample"] and "--temperature" in cmd


def test_a_failed_child_is_an_error_naming_the_work(monkeypatch, tmp_path):
    monkeypatch.setattr(worker, "run_child", lambda cmd, **kw: subprocess.CompletedProcess(cmd, 3, "", "boom\n"))
    with pytest.raises(StageError, match="round 2: generating fakes failed \\(exit 3\\):\nboom"):
        worker.sample(tmp_path, "run1", COMMENTS, tmp_path / "out.csv", n=1, seed=1, what="round 2: generating fakes")


def test_only_the_worker_starts_a_python_child():
    starters = sorted(str(p.relative_to(HELPERS)) for p in HELPERS.rglob("*.py")
                      if "sys.executable" in p.read_text(encoding="utf-8"))
    assert starters == ["generator/worker.py"], starters
