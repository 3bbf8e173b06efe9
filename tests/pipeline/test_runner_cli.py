"""The command line: `python -m helpers run STAGE... --drive DIR -p name=value`, and its errors (exit 2, one line)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import drive as drv
from helpers.__main__ import main
from helpers.errors import ConfigError
from helpers.pipeline.runner import list_stages, parse_param, resolve_stage

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text,expected", [
    ("months=[\"2018_01\",\"2018_02\"]", ("months", "[\"2018_01\",\"2018_02\"]")),
    ("max_chars=500", ("max_chars", "500")),
    ("raw_glob=raw/csv/*.csv", ("raw_glob", "raw/csv/*.csv")),
    ("bq_project=a=b", ("bq_project", "a=b")),
])
def test_parse_param_keeps_the_text(text, expected):
    """The value is parsed later, by the type of the parameter's default (tests/pipeline/test_params.py)."""
    assert parse_param(text) == expected


@pytest.mark.parametrize("text", ["novalue", "1x=2", "=3"])
def test_parse_param_rejects(text):
    with pytest.raises(ConfigError):
        parse_param(text)


def test_stage_names():
    stages = list_stages()
    assert "00" in stages
    for name in ("00", "0", "00_pull_reddit_data", "00_pull_reddit_data.ipynb"):
        assert resolve_stage(name, stages) == "00"
    with pytest.raises(ConfigError, match="unknown stage '99'.*00_pull_reddit_data"):
        resolve_stage("99", stages)


def test_bad_stage_name_is_exit_2_with_one_line(tmp_path, capsys):
    assert main(["run", "99", "--drive", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown stage '99'") and "Traceback" not in err


def test_stages_lists_the_notebooks(capsys):
    assert main(["stages"]) == 0
    assert "(00_pull_reddit_data.ipynb)" in capsys.readouterr().out


@pytest.mark.slow
def test_run_00_writes_the_three_files_from_the_sample(tmp_path):
    """The issue's done-criterion, as a user types it, with a relative --drive from the user's own folder: every file,
    the kernel's log included, lands there (papermill changes the runner's cwd while a notebook runs)."""
    drive = tmp_path / "d"
    r = subprocess.run([sys.executable, "-m", "helpers", "run", "00", "--drive", "d", "-p", "max_chars=400"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    for name in (drv.GPT2_FINETUNE, drv.GPT2_GENERATE, drv.BERT_GAN_REAL, drv.DATA_SUMMARY):
        assert (drive / name).stat().st_size > 0
    assert (drive / drv.EXECUTED_DIR / "00_pull_reddit_data.ipynb").exists()
    assert (drive / drv.EXECUTED_DIR / "00_pull_reddit_data.kernel.log").exists()
    assert not (ROOT / "notebooks" / "d").exists()
    summary = json.loads((drive / drv.DATA_SUMMARY).read_text())
    assert summary["source"] == "sample" and summary["max_chars"] == 400 and summary["rows_out"] >= 500


@pytest.mark.slow
def test_a_bad_parameter_fails_the_stage_with_a_clear_message(tmp_path, capsys):
    assert main(["run", "00", "--drive", str(tmp_path), "-p", "source=nonsense"]) == 2
    err = capsys.readouterr().err
    assert "00_pull_reddit_data" in err and "source must be one of" in err
    assert str(tmp_path / drv.EXECUTED_DIR / "00_pull_reddit_data.ipynb") in err


def test_the_runner_checks_generator_before_any_stage_runs(tmp_path, capsys):
    from helpers.pipeline.runner import check_all

    stages = list_stages()
    assert check_all(["05", "08"], stages, tmp_path, {"generator": "run1_g1"})["08"]["generator"] == "run1_g1"
    assert main(["run", "05", "--drive", str(tmp_path), "-p", "generator=../run1"]) == 2
    err = capsys.readouterr().err
    assert "parameter generator must be one folder's name" in err and "'../run1'" in err
    assert not (tmp_path / drv.EXECUTED_DIR).exists()  # refused before anything ran
    assert main(["run", "03", "--drive", str(tmp_path), "-p", "generator=run1_g1"]) == 2
    assert "parameter 'generator' belongs to stage(s) 05, 08" in capsys.readouterr().err
