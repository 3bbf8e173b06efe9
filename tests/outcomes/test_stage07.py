"""Stage 07's code called as Python, without papermill: the steps in order, the posting lock around the history
write, and the outputs push that never sends the posting lease (nor the history, pushed under the lock)."""

from __future__ import annotations

import json

import fsspec
import pandas as pd
import pytest

from helpers import drive as drv
from helpers.contract import Params, all_params, stage
from helpers.files import write_csv, write_text
from helpers.live.lease import LeaseHeld
from helpers.outcomes import stage07

FOREIGN = {"owner": "06 score_and_post", "host": "elsewhere", "pid": 1, "token": "theirs",
           "acquired_at": "2026-01-01T00:00:00Z", "heartbeat_at": "2026-01-01T00:00:00Z",
           "expires_at": "2999-01-01T00:00:00Z", "expires_ts": 3e10}


def params(**given) -> Params:
    return Params(**({p.name: p.default for p in all_params(stage("07"))} | given))


def gdrive_run(tmp_path, **given) -> tuple[stage07.TrackRun, object, str]:
    fs = fsspec.filesystem("memory")
    fs.store.clear()
    remote = "/bot"
    return stage07.TrackRun(params(**given), drv.open_drive(tmp_path / "cache", "gdrive", remote, fs=fs)), fs, remote


def test_07_steps_offline_report_nothing_posted(tmp_path):
    run = stage07.start(params(drive_root=str(tmp_path / "drive"), drive_backend="local"))
    shown = {step.__name__: step(run) for step in stage07.STEPS}
    assert run.summary["replies"] == 0 and shown["track"].empty
    assert shown["check"].empty and run.pf.account["suspended"] is False  # the preflight: nothing posted anywhere
    measures, *figures = shown["measures"]
    assert "states" in measures and all(p.exists() for p in figures)
    assert json.loads(run.drive.path(drv.OUTCOME_METRICS).read_text())["replies"] == 0
    assert not run.drive.path(drv.POSTING_LEASE).exists()  # released
    assert run.server is None  # the loopback server stopped


def test_07_writes_no_history_while_another_run_holds_the_posting_lease(tmp_path):
    run, fs, remote = gdrive_run(tmp_path)
    fs.pipe(f"{remote}/{drv.POSTING_LEASE}", json.dumps(FOREIGN).encode())
    with pytest.raises(LeaseHeld, match="06 score_and_post"):
        stage07.track(run)
    assert not run.drive.path(drv.OUTCOME_HISTORY).exists() and not fs.exists(f"{remote}/{drv.OUTCOME_HISTORY}")
    assert json.loads(fs.cat(f"{remote}/{drv.POSTING_LEASE}"))["token"] == "theirs"  # left alone


def test_07_finish_pushes_its_outputs_but_never_the_posting_lease(tmp_path):
    run, fs, remote = gdrive_run(tmp_path)
    write_csv(pd.DataFrame({"a": [1]}), run.drive.path(drv.OUTCOMES))
    write_text(json.dumps(FOREIGN | {"token": "stale local copy"}), run.drive.path(drv.POSTING_LEASE))
    fs.pipe(f"{remote}/{drv.POSTING_LEASE}", json.dumps(FOREIGN).encode())  # another run posting right now
    stage07.finish(run)
    assert fs.exists(f"{remote}/{drv.OUTCOMES}")
    assert json.loads(fs.cat(f"{remote}/{drv.POSTING_LEASE}"))["token"] == "theirs"


@pytest.mark.parametrize("module", ["outcomes/outcomes.py", "outcomes/outcome_metrics.py"])
def test_tracking_helpers_take_07_defaults_from_the_contract(module):
    """A helper argument named like a 07 parameter has no literal default of its own: it could drift from the
    notebook's (helper defaults come from helpers.contract.default)."""
    import ast
    from pathlib import Path

    names = {p.name for p in stage("07").params}
    tree = ast.parse((Path(__file__).resolve().parents[2] / "helpers" / module).read_text(encoding="utf-8"))
    literal = []
    for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        args = fn.args.args + fn.args.kwonlyargs
        defaults = [None] * (len(fn.args.args) - len(fn.args.defaults)) + fn.args.defaults + fn.args.kw_defaults
        literal += [f"{fn.name}({a.arg}=...)" for a, d in zip(args, defaults)
                    if a.arg in names and isinstance(d, ast.Constant)]
    assert not literal, literal
