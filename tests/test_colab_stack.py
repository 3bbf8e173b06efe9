"""What keeps the project working on Google Colab's own stack: the kernel log on both jupyter_client lines, the
pip-changed-nothing check of `make test-colab`, constraints/colab.txt's generator and the setup cell's runtime check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.runner import logged_kernel_manager

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import colab_constraints  # noqa: E402
import pip_unchanged  # noqa: E402


@pytest.mark.slow
def test_kernel_stderr_goes_to_the_log(tmp_path):
    """jupyter_client 7.4 (Colab) launches through _launch_kernel, 8.x through _async_launch_kernel: both are caught."""
    import papermill as pm

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('import os\nos.write(2, b"fd2-from-the-kernel\\n")')]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    src = tmp_path / "nb.ipynb"
    nbformat.write(nb, src)
    log = tmp_path / "out" / "nb.kernel.log"
    code = ("import sys, papermill as pm\nfrom pathlib import Path\nfrom helpers.runner import logged_kernel_manager\n"
            f"pm.execute_notebook({str(src)!r}, {str(tmp_path / 'done.ipynb')!r}, kernel_name='python3', "
            f"progress_bar=False, kernel_manager_class=logged_kernel_manager(Path({str(log)!r})))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "fd2-from-the-kernel" not in r.stderr
    assert "fd2-from-the-kernel" in log.read_text()
    assert logged_kernel_manager(log).__name__ == "LoggedKernelManager"


def test_pip_unchanged_passes_additions_and_fails_changes(tmp_path, capsys):
    before = tmp_path / "before.txt"
    before.write_text("requests==2.32.4\nipykernel==6.17.1\ntf_keras==2.20.1\n")
    added = tmp_path / "after_added.txt"
    added.write_text("requests==2.32.4\nipykernel==6.17.1\ntf-keras==2.20.1\npraw==7.8.2\n"
                     "-e git+https://example.invalid/x.git@abc#egg=reddit_gpt2_bert_bot\n")
    pins = tmp_path / "added.txt"
    assert pip_unchanged.main([str(before), str(added), "--added-out", str(pins)]) == 0
    assert pins.read_text() == "praw==7.8.2\n"
    changed = tmp_path / "after_changed.txt"
    changed.write_text("requests==2.34.2\npraw==7.8.2\ntf_keras==2.20.1\n")
    assert pip_unchanged.main([str(before), str(changed)]) == 1
    err = capsys.readouterr().err
    assert "requests: 2.32.4 -> 2.34.2" in err and "ipykernel: 6.17.1 -> removed" in err


def test_pip_unchanged_names_an_unreadable_line(tmp_path):
    bad = tmp_path / "before.txt"
    bad.write_text("requests>=2\n")
    with pytest.raises(SystemExit, match="before.txt.*requests>=2"):
        pip_unchanged.read_freeze(bad)


def test_colab_constraints_keep_only_what_the_project_uses(tmp_path):
    freeze = ["# header", "tensorflow==2.20.0", "Keras==3.13.2", "cupy-cuda12x==13.0.0", "requests==2.32.4",
              "google-colab @ file:///colabtools/dist/google_colab-1.0.0.tar.gz", "portpicker==1.5.2"]
    text = colab_constraints.render(freeze, "test freeze", {"tensorflow", "keras", "requests"}, ["portpicker==1.5.2"])
    pins = [ln for ln in text.splitlines() if not ln.startswith("#")]
    assert pins == ["Keras==3.13.2", "portpicker==1.5.2", "requests==2.32.4", "tensorflow==2.20.0"]
    assert "# Source: test freeze" in text


def test_committed_colab_constraints_pin_colabs_kernel_stack():
    pins = colab_constraints.freeze_pins((ROOT / "constraints" / "colab.txt").read_text().splitlines())
    for name, version in {"ipykernel": "6.17.1", "jupyter-client": "7.4.9", "requests": "2.32.4",
                          "tensorflow": "2.20.0", "keras-hub": "0.26.0", "pandas": "2.2.3"}.items():
        assert pins[name].endswith("==" + version)
    assert "praw" not in pins  # Colab does not ship it: the project's install adds it
