"""Typed parameters (issue 10, case 2): the runner, the CLI and the notebooks parse values by their default's type,
refuse unknown names with a suggestion, and check the ranges of safety values before anything runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.__main__ import main
from helpers.contract import STAGES, all_params, check_stage
from helpers.errors import ConfigError
from helpers.params import check, coerce, parameter_defaults
from helpers.pipeline.runner import check_all, list_stages

ROOT = Path(__file__).resolve().parents[2]
NB06 = ROOT / "notebooks" / "06_score_and_post.ipynb"


@pytest.mark.parametrize("text,expected", [
    ("no", False), ("off", False), ("OFF", False), ("False", False), ("0", False), (" No ", False),
    ("yes", True), ("On", True), ("TRUE", True), ("1", True), (True, True), (0, False),
])
def test_bool_words(text, expected):
    assert coerce("auto_approve", text, bool) is expected


@pytest.mark.parametrize("text", ["maybe", "2", "", "nein", "[]", 2, 0.5, None])
def test_bool_refuses_anything_else(text):
    with pytest.raises(ConfigError, match="parameter auto_approve expects a bool"):
        coerce("auto_approve", text, bool)


def test_numbers_lists_and_strings():
    assert coerce("n", "10", int) == 10 and coerce("n", "50_000_000_000", int) == 50_000_000_000
    assert coerce("n", "1e3", int) == 1000 and coerce("x", "1e-3", float) == 0.001 and coerce("x", 1, float) == 1.0
    for bad in ("ten", "1.5", '"5"', "nan", True, [1]):
        with pytest.raises(ConfigError, match="parameter n expects an integer"):
            coerce("n", bad, int)
    with pytest.raises(ConfigError, match="parameter x expects a number, not 'inf'"):
        coerce("x", "inf", float)
    assert coerce("ids", '["c003"]', list) == ["c003"] and coerce("ids", "['a', 'b']", list) == ["a", "b"]
    with pytest.raises(ConfigError, match="parameter approve_ids expects a list"):
        coerce("approve_ids", "c003", list)  # not ['0', '3', 'c']
    with pytest.raises(ConfigError, match="list of strings; 1 is not one"):
        coerce("subreddits", "[1]", list)
    assert coerce("run_date", "2024-01-02", str) == "2024-01-02" and coerce("bq_project", "a=b", str) == "a=b"
    assert coerce("footer", '"I am a bot"', str) == "I am a bot" and coerce("run_name", 7, str) == "7"
    for bad in (None, ["x"], True):
        with pytest.raises(ConfigError, match="parameter run_name expects a string"):
            coerce("run_name", bad, str)


def test_ranges_from_the_table():
    assert check_stage("06", {"max_posts_per_run": "0", "delay_min_s": "0", "delay_max_s": "0"}) == {
        "max_posts_per_run": 0, "delay_min_s": 0, "delay_max_s": 0}
    for given, msg in [({"max_posts_per_run": "-1"}, "max_posts_per_run must be >= 0, not -1"),
                       ({"max_posts_per_subreddit_per_day": -2}, "max_posts_per_subreddit_per_day must be >= 0"),
                       ({"delay_min_s": "-5"}, "delay_min_s must be >= 0"),
                       ({"delay_max_s": "30"}, r"delay_min_s \(60\) must not exceed delay_max_s \(30\)"),
                       ({"min_prob_real": "1.5"}, "min_prob_real must be <= 1")]:
        with pytest.raises(ConfigError, match=msg):
            check_stage("06", given)
    with pytest.raises(ConfigError, match="subreddits must not be empty"):
        check_stage("05", {"subreddits": "[]"})
    with pytest.raises(ConfigError, match="n_candidates must be >= 1, not 0"):
        check_stage("05", {"n_candidates": 0})
    assert check_stage("00", {"subreddits": "[]"}) == {"subreddits": []}  # 00: empty means every subreddit
    with pytest.raises(ConfigError, match="2 parameter problems.*\n.*max_posts_per_run.*\n.*delay_min_s"):
        check_stage("06", {"max_posts_per_run": "-1", "delay_min_s": "-1"})


def test_every_rule_fits_its_parameter():
    for stage in STAGES.values():
        declared = {p.name: p.default for p in all_params(stage)}
        for p in all_params(stage):
            if p.rule:
                assert not p.rule.at_most or p.rule.at_most in declared, (stage.key, p.name)
                assert isinstance(p.default, list) == p.rule.non_empty or not p.rule.non_empty, (stage.key, p.name)
                assert not p.rule.folder_name or isinstance(p.default, str), (stage.key, p.name)
                assert isinstance(p.default, (int, float, list)) or p.rule.folder_name, (stage.key, p.name)


@pytest.mark.parametrize("value", ["auto", "run1", "run1_g2", "my-run.2"])
def test_generator_takes_auto_or_a_checkpoint_folder_name(value):
    for key in ("05", "08"):
        assert check_stage(key, {"generator": value}) == {"generator": value}


@pytest.mark.parametrize("value", ["", "..", "../run1", "run1/", "checkpoint/run1", "run1_g*", " run1", "C:\\x"])
def test_generator_refuses_paths_and_wildcards(value):
    """A pin names one folder under checkpoint/: a path would load (and a wildcard pull) something else."""
    with pytest.raises(ConfigError, match="parameter generator must be one folder's name"):
        check_stage("05", {"generator": value})


@pytest.mark.parametrize("param,msg", [
    ("max_post_per_run=1", "unknown parameter 'max_post_per_run'; did you mean 'max_posts_per_run'?"),
    ("min_prob_rael=0.5", "unknown parameter 'min_prob_rael'; did you mean 'min_prob_real'?"),
    ("auto_approve=maybe", "parameter auto_approve expects a bool"),
    ("n_candidates=ten", "parameter n_candidates expects an integer, not 'ten'"),
    ("approve_ids=c003", "parameter approve_ids expects a list"),
    ("max_posts_per_run=-1", "parameter max_posts_per_run must be >= 0"),
    ("delay_min_s=100", r"delay_min_s \(100\) must not exceed delay_max_s \(90\)"),
])
def test_cli_refuses_before_anything_runs(tmp_path, capsys, param, msg):
    drive = tmp_path / "d"
    assert main(["run", "05", "06", "--drive", str(drive), "-p", param, "-p", "delay_max_s=90"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert re.search(msg, err), err
    assert not drive.exists()  # no stage started, nothing written


def test_cli_values_reach_the_notebook_typed(tmp_path):
    """`-p auto_approve=no` reaches 06 as False: the check itself, as the runner does it for every stage."""
    got = check_all(["05", "06"], list_stages(), tmp_path, {"auto_approve": "no", "max_posts_per_run": "2",
                                                           "subreddits": '["a","b"]', "approve_ids": "[]"})
    assert got["06"]["auto_approve"] is False and got["06"]["max_posts_per_run"] == 2
    assert got["05"]["subreddits"] == ["a", "b"] and "auto_approve" not in got["05"]


def test_parameter_defaults_reads_a_cell():
    assert parameter_defaults('a = 1  # x\nb = "s"  # y\nc = [1e-3]  # z') == {"a": 1, "b": "s", "c": [0.001]}


def _truncated_06(tmp_path: Path) -> Path:
    """06's own first cells (setup, parameters, check) and one that records the typed values the check gave the stage
(`p`), no real work."""
    nb = nbformat.read(NB06, as_version=4)
    out = tmp_path / "06_head.ipynb"
    probe = ("import json\nfrom pathlib import Path\nPath(p.drive_root, 'seen.json').write_text(json.dumps("
             "{'auto_approve': p.auto_approve, 'max_posts_per_run': p.max_posts_per_run, "
             "'approve_ids': p.approve_ids}))")
    nb.cells = nb.cells[:4] + [nbformat.v4.new_code_cell(probe)]
    nbformat.write(nb, out)
    return out


def _papermill(nb: Path, out: Path, *params: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "papermill", str(nb), str(out), "--cwd", str(ROOT / "notebooks")]
    for p in params:
        name, value = p.split("=", 1)
        cmd += ["-p", name, value]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.mark.slow
def test_plain_papermill_parses_and_refuses_too(tmp_path):
    nb = _truncated_06(tmp_path)
    drive = tmp_path / "d"
    drive.mkdir()
    r = _papermill(nb, tmp_path / "ok.ipynb", f"drive_root={drive}", "auto_approve=no", "max_posts_per_run=2")
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads((drive / "seen.json").read_text()) == {"auto_approve": False, "max_posts_per_run": 2,
                                                              "approve_ids": []}
    (drive / "seen.json").unlink()
    for bad, msg in [("max_post_per_run=1", "did you mean 'max_posts_per_run'"),
                     ("auto_approve=maybe", "parameter auto_approve expects a bool")]:
        out = tmp_path / "bad.ipynb"
        r = _papermill(nb, out, f"drive_root={drive}", bad)
        assert r.returncode != 0
        assert msg in out.read_text()
        assert not (drive / "seen.json").exists()  # the cell after the check never ran


def test_a_parameter_of_another_stage_is_named_as_such(tmp_path):
    with pytest.raises(ConfigError,
                       match=r"'n_candidates' belongs to stage\(s\) 02, 05, 08, 09, not to 06_score_and_post"):
        check_all(["06"], list_stages(), tmp_path, {"n_candidates": "2"})


def test_a_dict_parameter_takes_names_and_numbers_only():
    defaults = {"toxicity_thresholds": {"toxicity": 0.5}}
    got = check("06", {"toxicity_thresholds": '{"insult": 0.3}'}, defaults, {})
    assert got == {"toxicity_thresholds": {"insult": 0.3}}
    for bad in ("insult", '["insult"]', '{"insult": "high"}', '{"insult": true}', '{"insult": NaN}'):
        with pytest.raises(ConfigError, match="toxicity_thresholds"):
            check("06", {"toxicity_thresholds": bad}, defaults, {})
