"""Kill means stop (issue 10, case 10): the runner is started as a real process and interrupted or killed while its
stage's kernel writes files and has a child (started as 08 starts its GPT-2 process) writing files too; afterwards no
process of the stage is alive and no new file appears."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

pytestmark = pytest.mark.slow  # a real runner, its kernel and a child, killed

ROOT = Path(__file__).resolve().parents[2]

# The kernel writes kernel_<n>.txt every 0.1 s from a thread (as 06 writes ledger rows while it posts) and runs a child
# with helpers.procgroup.run_child (as 08 runs its GPT-2 generation) that writes child_<n>.txt. Loops are bounded.
KERNEL_CELL = '''import os, sys, threading, time
from pathlib import Path
from helpers.procgroup import run_child

root = Path(drive_root)

def tick():
    for n in range(600):
        (root / f"kernel_{n}.txt").write_text("x")
        time.sleep(0.1)

threading.Thread(target=tick, daemon=True).start()
(root / "kernel.pid").write_text(str(os.getpid()))
child = ("import os, pathlib, time\\nr = pathlib.Path(%r)\\n(r / 'child.pid').write_text(str(os.getpid()))\\n"
         "for n in range(600):\\n    (r / f'child_{n}.txt').write_text('x')\\n    time.sleep(0.1)\\n") % str(root)
run_child([sys.executable, "-c", child])'''


@pytest.fixture
def toy_stage(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"},
                   "reddit_bot": {"reads": [], "writes": [], "always_run": True}}
    nb.cells = [nbformat.v4.new_code_cell('drive_root = "x"  # root', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(KERNEL_CELL)]
    nbformat.write(nb, nbs / "00_toy.ipynb")
    return nbs


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_for(predicate, timeout: float) -> float | None:
    """Seconds until predicate() held, or None if it did not within timeout (polled every 20 ms)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if predicate():
            return time.monotonic() - t0
        time.sleep(0.02)
    return None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL relies on Linux's PR_SET_PDEATHSIG")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_killing_the_runner_stops_the_kernel_and_its_children(toy_stage, tmp_path, sig):
    drive = tmp_path / "drive"
    drive.mkdir()
    env = dict(os.environ, REDDIT_BOT_NOTEBOOKS=str(toy_stage))
    with open(tmp_path / "runner.err", "w") as err:
        runner = subprocess.Popen([sys.executable, "-m", "helpers", "run", "00", "--drive", str(drive)], cwd=ROOT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    try:
        assert wait_for(lambda: (drive / "child.pid").exists() and (drive / "kernel.pid").exists(), 180) is not None
        time.sleep(0.3)
        kernel, child = int((drive / "kernel.pid").read_text()), int((drive / "child.pid").read_text())
        assert alive(kernel) and alive(child)
        os.kill(runner.pid, sig)
        rc = runner.wait(timeout=60)
    finally:
        if runner.poll() is None:
            runner.kill()
    stopped = wait_for(lambda: not alive(kernel) and not alive(child), 10)
    print(f"{signal.Signals(sig).name}: runner exit {rc}; kernel and child gone {stopped} s after the runner ended")
    assert stopped is not None, "the stage's kernel or its child outlived the runner"
    written = sorted(p.name for p in drive.glob("*_*.txt"))
    time.sleep(1.0)
    assert sorted(p.name for p in drive.glob("*_*.txt")) == written, "a file was written after the kill"
    message = (tmp_path / "runner.err").read_text()
    if sig != signal.SIGKILL:
        assert rc == 130 and "error: interrupted" in message and "Traceback" not in message, message
