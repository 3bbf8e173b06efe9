"""Named presets (helpers/pipeline/presets/*.toml): every value is a real parameter of some notebook, of the right
type and
in range, `-p` wins over a preset, and a typo in a name is an error, not a silent default."""

from __future__ import annotations

import pytest

from helpers import contract
from helpers.__main__ import main
from helpers.errors import ConfigError
from helpers.pipeline import presets, runner


def test_the_named_presets_exist():
    assert {"demo", "smoke", "online_124M", "online_355M"} <= set(presets.preset_names())


@pytest.mark.parametrize("name", presets.preset_names())
def test_every_preset_value_is_a_declared_parameter_of_the_right_type(name):
    """Checked against the stage contract (helpers.contract), not the notebook files."""
    preset = presets.load_preset(name)
    for key, stage in contract.STAGES.items():
        declared = {p.name for p in contract.all_params(stage)}
        values = contract.check_stage(key, presets.for_stages(preset, [key]))
        for param, value in preset.items():
            if param in declared:
                assert values[param] == value, (key, param)
    everywhere = {p.name for s in contract.STAGES.values() for p in contract.all_params(s)}
    assert set(preset) <= everywhere


def test_preset_names_come_from_the_contract_not_the_notebooks(tmp_path, monkeypatch):
    """A notebooks folder without the stage's notebook does not change which names a preset may use."""
    monkeypatch.setenv("REDDIT_BOT_NOTEBOOKS", str(tmp_path))
    assert presets.for_stages({"gpt2_steps": 5, "min_prob_real": 0.5}, ["06"]) == {"min_prob_real": 0.5}
    with pytest.raises(ConfigError, match="did you mean 'min_prob_real'"):
        presets.for_stages({"min_prob_rea": 0.5}, ["06"])


def test_online_presets_carry_the_advice_that_used_to_hide_in_help_comments():
    for name, base in (("online_124M", "124M"), ("online_355M", "355M")):
        p = presets.load_preset(name)
        assert p["base_model"] == base and p["gpt2_learning_rate"] == 1e-4
        assert p["bert_base"] == "bert_base_en_uncased" and p["bert_learning_rate"] == 2e-5
        assert "dry_run" not in p and "auto_approve" not in p  # a preset never turns posting on


def test_a_preset_name_no_stage_declares_is_an_error():
    stages = runner.list_stages()
    with pytest.raises(ConfigError, match="did you mean 'gpt2_steps'"):
        runner.preset_params({"gpt2_step": 5}, ["01"], stages)
    assert runner.preset_params({"gpt2_steps": 5, "min_prob_real": 0.5}, ["01"], stages) == {"gpt2_steps": 5}


def test_unknown_preset_on_the_command_line(tmp_path, capsys):
    assert main(["run", "00", "--drive", str(tmp_path / "d"), "--preset", "online_124"]) == 2
    err = capsys.readouterr().err
    assert "unknown preset 'online_124'" in err and "online_124M" in err
    assert not (tmp_path / "d").exists()


def test_p_wins_over_the_preset_and_both_are_checked(tmp_path, capsys):
    """smoke sets n_candidates = 2 for 02/05/08; a -p value overrides it, and a bad -p still stops everything."""
    assert main(["run", "02", "--drive", str(tmp_path / "d"), "--preset", "smoke", "-p", "n_candidates=ten"]) == 2
    assert "n_candidates" in capsys.readouterr().err
    stages = runner.list_stages()
    params = {**runner.preset_params(presets.load_preset("smoke"), ["02"], stages), "n_candidates": "3"}
    assert runner.check_all(["02"], stages, tmp_path, params)["02"]["n_candidates"] == 3
