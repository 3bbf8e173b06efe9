"""What keeps the project working on Google Colab's own stack: the kernel log on both jupyter_client lines, the
pip-changed-nothing check of `make test-colab`, constraints/colab.txt's generator and the setup cell's runtime check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.pipeline.runner import logged_kernel_manager

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import colab_constraints  # noqa: E402
import pip_unchanged  # noqa: E402


@pytest.mark.slow
def test_kernel_stderr_goes_to_the_log(tmp_path):
    """jupyter_client 7.4 (Colab) launches through _launch_kernel, 8.x through _async_launch_kernel: both are caught."""

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('import os\nos.write(2, b"fd2-from-the-kernel\\n")')]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    src = tmp_path / "nb.ipynb"
    nbformat.write(nb, src)
    log = tmp_path / "out" / "nb.kernel.log"
    code = ("import sys, papermill as pm\nfrom pathlib import Path\n"
            "from helpers.pipeline.runner import logged_kernel_manager\n"
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


def test_install_report_says_what_was_added_and_warns_on_a_replacement():
    from helpers import colab

    before = {"requests": "2.32.4", "ipykernel": "6.17.1"}
    ok = colab.install_report(before, 8.4, after={"requests": "2.32.4", "ipykernel": "6.17.1", "praw": "7.8.2"})
    assert "installed in 8.4 s; added 1 package(s): praw 7.8.2" in ok and "no restart needed" in ok
    bad = colab.install_report(before, 60, after={"requests": "2.34.2", "praw": "8.0.3"})
    assert "requests 2.32.4 -> 2.34.2" in bad and "ipykernel 6.17.1 -> removed" in bad and "Restart" in bad


def test_runtime_report_names_the_gpu_its_free_memory_and_the_drive(tmp_path, monkeypatch):
    from helpers import colab

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    smi = bin_dir / "nvidia-smi"
    smi.write_text("#!/bin/sh\necho 'Tesla T4, 14910, 15360'\n")
    smi.chmod(0o755)
    (tmp_path / "drive" / "MyDrive").mkdir(parents=True)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    text = colab.runtime_report(needs_gpu=True, drive_mount=tmp_path / "drive")
    assert "GPU: Tesla T4, 14.6 of 15.0 GB free" in text
    assert f"Google Drive: mounted at {tmp_path / 'drive'}" in text
    assert "tensorflow 2." in text and "keras 3." in text
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    text = colab.runtime_report(needs_gpu=True, drive_mount=tmp_path / "nodrive")
    assert "GPU: none" in text and "T4 GPU" in text and "NOT mounted" in text


def test_parse_nvidia_smi_rejects_what_it_cannot_read():
    from helpers import colab

    assert colab.parse_nvidia_smi("NVIDIA A100-SXM4-40GB, 40000, 40960\n")[0].total_gb == 40.0
    with pytest.raises(ValueError, match="unexpected nvidia-smi line"):
        colab.parse_nvidia_smi("no devices were found")


def test_setup_cells_install_from_one_repo_and_check_the_runtime():
    import build_notebooks as bn

    from helpers.contract import STAGES

    for stage in STAGES.values():
        nb = nbformat.reads(bn.render_stage(stage), as_version=4)
        setup = nb.cells[1].source
        needs_gpu = stage.runtime == "GPU"
        assert setup.count(f"git+https://github.com/{bn.REPO}.git@{bn.BRANCH}") == 1
        assert f"runtime_report(needs_gpu={needs_gpu})" in setup and "install_report(" in setup
        assert "constraint" not in setup  # a plain pip install, as `make test-colab` checks


def test_gpt2_fit_picks_the_first_measured_setting_that_fits_the_free_memory():
    from helpers.colab import Gpu
    from helpers.generator.gpt2_fit import TRAIN_GB, choose

    t4 = Gpu("Tesla T4", 14.6, 15.0)
    assert choose("124M", t4).optimizer == "adam" and not choose("124M", t4).only_train_transformer_layers
    assert "fits Tesla T4" in choose("124M", t4).message
    fit = choose("355M", t4)
    assert (fit.optimizer, fit.only_train_transformer_layers) != ("adam", False)
    assert "more than Tesla T4's 14.6 GB free" in fit.message and "instead" in fit.message
    assert choose("355M", Gpu("NVIDIA A100", 39.0, 40.0)).message.startswith("355M fits")
    assert choose("355M", None) == choose("tiny", t4)  # no GPU, or the tiny base: 01's defaults, nothing to say
    assert "WARNING" in choose("124M", Gpu("small", 5.0, 6.0)).message
    assert TRAIN_GB["355M"][0] > TRAIN_GB["124M"][0]
