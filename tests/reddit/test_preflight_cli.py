"""`python -m helpers preflight`: the table for the target subreddits, saved on the Drive root, against the loopback
Reddit (reddit=recorded); a wildcard permission or an unknown parameter is a one-line error."""

import json

from helpers import drive as drv
from helpers.__main__ import main


def test_preflight_prints_and_saves_the_table(tmp_path, capsys):
    assert main(["preflight", "--drive", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "u/reply_bot_demo: not suspended" in out
    assert 'boardgames refused rule "No bots or AI-generated content"' in " ".join(out.split())
    saved = json.loads(next((tmp_path / drv.LIVE_DIR).glob("preflight_*.json")).read_text())
    assert [r["verdict"] for r in saved["checks"]["cli"]["subreddits"]] == ["ok", "ok", "refused"]


def test_preflight_refuses_a_wildcard_and_unknown_parameters(tmp_path, capsys):
    assert main(["preflight", "--drive", str(tmp_path), "-p", 'bot_allowed_subreddits=["all"]']) == 2
    assert "never all of them at once" in capsys.readouterr().err
    assert main(["preflight", "--drive", str(tmp_path), "-p", "dry_run=False"]) == 2
    assert "not dry_run" in capsys.readouterr().err


def test_nothing_usable_is_a_nonzero_exit(tmp_path):
    assert main(["preflight", "--drive", str(tmp_path), "-p", 'subreddits=["boardgames", "privatebooks"]']) == 1
