"""Resumable stages: `run` skips a stage whose notebook, parameters, inputs and outputs are unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from helpers.errors import StageError
from helpers.pipeline import manifest, runner


def make_notebook(path: Path, params: str, body: str, reads: list[str], writes: list[str], always=False):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"},
                   "reddit_bot": {"reads": reads, "writes": writes, "always_run": always}}
    nb.cells = [nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(body)]
    nbformat.write(nb, path)


@pytest.fixture
def toy_stages(tmp_path, monkeypatch):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    # 00 copies in.txt (times factor) to mid.txt and counts its runs; 01 upper-cases mid.txt into out.txt.
    make_notebook(nbs / "00_first.ipynb", 'drive_root = "x"  # root\nfactor = 1  # repeat',
                  "from pathlib import Path\nr = Path(drive_root)\n"
                  "(r / 'mid.txt').write_text((r / 'in.txt').read_text() * factor)\n"
                  "runs = r / 'runs00.txt'\nruns.write_text(runs.read_text() + 'x' if runs.exists() else 'x')",
                  ["in.txt"], ["mid.txt"])
    make_notebook(nbs / "01_second.ipynb", 'drive_root = "x"  # root\nfail = False  # raise',
                  "from pathlib import Path\nr = Path(drive_root)\n"
                  "if fail:\n    raise ValueError('boom in stage one')\n"
                  "(r / 'out.txt').write_text((r / 'mid.txt').read_text().upper())",
                  ["mid.txt"], ["out.txt"])
    monkeypatch.setenv("REDDIT_BOT_NOTEBOOKS", str(nbs))
    drive = tmp_path / "drive"
    drive.mkdir()
    (drive / "in.txt").write_text("abc")
    return drive


def statuses(result):
    return [status for _, status, _ in result]


@pytest.mark.slow
def test_skip_rerun_force_and_changes(toy_stages):
    drive = toy_stages
    assert statuses(runner.run_stages(["00", "01"], drive)) == ["ran", "ran"]
    assert (drive / "out.txt").read_text() == "ABC"
    m = json.loads((drive / "manifests" / "00.json").read_text())
    assert m["params"] == {"factor": 1} and "in.txt" in m["inputs"] and "mid.txt" in m["outputs"]

    assert statuses(runner.run_stages(["00", "01"], drive)) == ["skipped", "skipped"]
    assert (drive / "runs00.txt").read_text() == "x"
    assert statuses(runner.run_stages(["00"], drive, force=True)) == ["ran"]

    (drive / "in.txt").write_text("xyz")  # an input changed: 00 reruns, and then 01 sees a changed input
    assert statuses(runner.run_stages(["00", "01"], drive)) == ["ran", "ran"]
    assert (drive / "out.txt").read_text() == "XYZ"

    assert statuses(runner.run_stages(["00", "01"], drive, {"factor": 2})) == ["ran", "ran"]
    assert (drive / "out.txt").read_text() == "XYZXYZ"

    (drive / "out.txt").unlink()  # an output went missing
    assert statuses(runner.run_stages(["00", "01"], drive, {"factor": 2})) == ["skipped", "ran"]


@pytest.mark.slow
def test_failure_names_stage_notebook_and_resume_command(toy_stages):
    drive = toy_stages
    with pytest.raises(StageError) as e:
        runner.run_stages(["00", "01"], drive, {"fail": True})
    msg = str(e.value)
    assert "01_second" in msg and "boom in stage one" in msg
    assert str(drive / "executed" / "01_second.ipynb") in msg
    assert f"python -m helpers run 01 --drive {drive}" in msg
    assert (drive / "executed" / "01_second.ipynb").exists()
    assert not (drive / "manifests" / "01.json").exists()  # a failed stage is not recorded as done
    assert statuses(runner.run_stages(["00", "01"], drive)) == ["skipped", "ran"]


@pytest.mark.slow
def test_always_run_stage_is_never_skipped(tmp_path, monkeypatch):
    nbs = tmp_path / "nb"
    nbs.mkdir()
    make_notebook(nbs / "05_live.ipynb", 'drive_root = "x"  # root', "x = 1", [], ["o.txt"], always=True)
    monkeypatch.setenv("REDDIT_BOT_NOTEBOOKS", str(nbs))
    assert statuses(runner.run_stages(["05"], tmp_path / "d")) == ["ran"]
    assert statuses(runner.run_stages(["05"], tmp_path / "d")) == ["ran"]


def test_globs_for_placeholders():
    assert manifest.to_glob("checkpoint/<run_name>/") == "checkpoint/*/**"
    assert manifest.to_glob("checkpoint/<run_name>/", {"run_name": "run7"}) == "checkpoint/run7/**"
    assert manifest.to_glob("live/proposed_replies_<date>.csv") == "live/proposed_replies_*.csv"
    assert manifest.to_glob("bert_gan_fake_NNNN.csv") == "bert_gan_fake_*.csv"
    assert manifest.to_glob("<raw_glob> (source csv)", {"raw_glob": "raw/csv/*.csv"}) == "raw/csv/*.csv"
    assert manifest.to_glob("<dump_glob> (source pushshift)", {"dump_glob": ""}) == ""  # not the whole Drive


def test_a_parameter_named_input_outside_the_drive_is_fingerprinted(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "a.csv").write_text("x")
    got = manifest.fingerprint_files(tmp_path / "drive", ["<raw_glob>"], {"raw_glob": str(outside / "*.csv")})
    assert list(got) == [str(outside / "a.csv")]
    assert manifest.fingerprint_files(tmp_path / "drive", ["<raw_glob>"], {"raw_glob": ""}) == {}


def test_every_alternative_of_an_entry_is_fingerprinted(tmp_path):
    """00 writes 'raw/bigquery/<YYYY_MM>.csv or raw/pushshift/pairs.csv': the second file counts too."""
    for rel in ("raw/bigquery/2018_01.csv", "raw/pushshift/pairs.csv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    got = manifest.fingerprint_files(tmp_path, ["raw/bigquery/<YYYY_MM>.csv or raw/pushshift/pairs.csv"])
    assert sorted(got) == ["raw/bigquery/2018_01.csv", "raw/pushshift/pairs.csv"]


def test_a_rejected_generator_round_leaves_05_and_08_up_to_date_an_accepted_one_does_not(tmp_path):
    """With generator = "auto", 08 (and 05) depend on the checkpoint that resolves to: 09 adding a rejected round to
    metrics/generator_rounds.csv is no reason to run 08 again; an accepted round (a new generator) is."""
    from helpers import drive as drv
    from helpers.files import write_csv, write_text

    for name in ("run1", "run1_g1", "run1_g2"):
        for file in ("hparams.json", "model.ckpt.data"):
            write_text(f"{file} of {name}", tmp_path / drv.CHECKPOINT_DIR / name / file)
    reads = [f"{drv.CHECKPOINT_DIR}/<run_name>/", f"{drv.GENERATOR_ROUNDS} (which round)", "checkpoint/<generator>/"]
    eff = {"run_name": "run1", "generator": "auto"}

    def rounds(*accepted):
        import pandas as pd

        write_csv(pd.DataFrame({"round": [1, 2][:len(accepted)], "run_name": ["run1_g1", "run1_g2"][:len(accepted)],
                                "base": ["run1", "run1"][:len(accepted)], "accepted": list(accepted),
                                "reason": ["" if a else "held-out judge fell" for a in accepted]}),
                  tmp_path / drv.GENERATOR_ROUNDS)

    before = manifest.input_fingerprints(tmp_path, reads, eff)
    rounds(False)
    assert manifest.input_fingerprints(tmp_path, reads, eff) == before  # a rejected round: nothing to redo
    rounds(False, True)
    after = manifest.input_fingerprints(tmp_path, reads, eff)
    assert after != before and after["generator (auto)"] == "run1_g2"
    assert "checkpoint/run1_g2/model.ckpt.data" in after
