"""What the command line says to a person: help texts without source markup or file names, `stages` with titles, and a
mistyped --drive for `report` is an error, not a new folder with an all-"not run" report."""

from __future__ import annotations

import contextlib
import io

import pytest

from helpers.__main__ import main
from helpers.contract import STAGES


def help_text(argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main(argv)
    return out.getvalue()


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["demo", "--help"], ["report", "--help"],
                                  ["preflight", "--help"], ["evaluate", "--help"]])
def test_help_has_no_source_markup_or_file_names(argv):
    text = help_text(argv)
    assert "``" not in text and ".py" not in text, text


def test_stages_lists_titles(capsys):
    assert main(["stages"]) == 0
    out = capsys.readouterr().out
    for key, stage in STAGES.items():
        assert f"{key}  {stage.title}" in out


def test_report_on_a_missing_drive_root_is_an_error_and_creates_nothing(tmp_path, capsys):
    typo = tmp_path / "drvie"
    assert main(["report", "--drive", str(typo)]) == 2
    assert not typo.exists()
    assert str(typo) in capsys.readouterr().err
