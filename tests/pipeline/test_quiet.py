"""helpers.quiet in a real kernel (papermill, the runner's kernel manager): what a library writes to fd 2 and its
loggers' chatter reach the kernel log, not the cell; a real warning still shows; a batch run's progress bar is a few
refreshes on stdout, not one per step."""

from __future__ import annotations

import json

import nbformat
import papermill as pm
import pytest

from helpers import quiet
from helpers.pipeline.runner import logged_kernel_manager

CELL = """\
from helpers.quiet import quiet_kernel, bar
import logging, os, time
quiet_kernel()
quiet_kernel()  # twice: still one filter, one redirect
os.write(2, b"I0000 00:00:17.5 123 port.cc:153] oneDNN custom operations are on\\n")
tf = logging.getLogger("tensorflow")
tf.addHandler(logging.StreamHandler())  # TF's own handler, writing into the cell
tf.setLevel(logging.INFO)
tf.info("Restoring parameters from model.ckpt")
tf.warning("From saver.py:1068: remove_checkpoint is deprecated and will be removed in a future version.")
tf.warning("a real warning")
with bar(total=200, desc="steps", unit="step") as b:
    for _ in range(200):
        b.update(1)
print("done")
"""


@pytest.mark.slow
def test_chatter_goes_to_the_kernel_log_and_the_bar_refreshes_a_few_times(tmp_path, monkeypatch):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "nb.ipynb")
    log = tmp_path / "nb.kernel.log"
    monkeypatch.delenv(quiet.BATCH_ENV, raising=False)  # the kernel manager sets it, not this process
    pm.execute_notebook(str(tmp_path / "nb.ipynb"), str(tmp_path / "done.ipynb"), kernel_name="python3",
                        progress_bar=False, kernel_manager_class=logged_kernel_manager(log))
    outs = json.loads((tmp_path / "done.ipynb").read_text())["cells"][0]["outputs"]
    stderr = "".join("".join(o["text"]) for o in outs if o.get("name") == "stderr")
    stdout = "".join("".join(o["text"]) for o in outs if o.get("name") == "stdout")
    assert stderr.strip() == "a real warning"
    assert "steps: 100%" in stdout and stdout.count("\r") <= 6 and stdout.rstrip().endswith("done")
    kept = log.read_text()
    for line in ("oneDNN custom operations", "INFO:tensorflow:Restoring parameters", "remove_checkpoint is deprecated"):
        assert line in kept and line not in stderr + stdout


def test_outside_a_batch_the_bar_is_tqdm_auto(monkeypatch):
    from tqdm.auto import tqdm

    monkeypatch.delenv(quiet.BATCH_ENV, raising=False)
    assert quiet.bar_class() is tqdm


def test_a_batch_bar_without_total_refreshes_at_most_once_a_minute(monkeypatch, capsys):
    monkeypatch.setenv(quiet.BATCH_ENV, "1")
    with quiet.bar(desc="pages") as b:
        for _ in range(500):
            b.update(1)
    out = capsys.readouterr()
    assert out.err == "" and out.out.count("\r") <= 3 and "pages: 500" in out.out
