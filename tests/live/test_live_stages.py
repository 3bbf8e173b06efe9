"""Stages 05 and 06 as Python: the loopback Reddit of reddit="recorded" is stopped even when a step fails, so a failed
notebook leaves no server thread behind (real loopback server; nothing leaves 127.0.0.1)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.contract import notebook_params
from helpers.live import stage05, stage06


def params(key: str, drive) -> object:
    return notebook_params(key, {"drive_root": str(drive), "drive_backend": "local"})


class Boom(Exception):
    pass


def watch(monkeypatch, server, stopped: list) -> None:
    """Record each stop and really stop the server."""
    real_stop = server.stop

    def stop():
        stopped.append(True)
        real_stop()

    monkeypatch.setattr(server, "stop", stop)


def test_05_stops_the_loopback_server_when_fetching_fails(tmp_path, monkeypatch):
    run = stage05.start(params("05", tmp_path))
    stage05.connect(run)
    server = run.server
    assert server is not None
    stopped = []
    watch(monkeypatch, server, stopped)

    monkeypatch.setattr(stage05.proposals, "fetch_comments", failing("reddit went away"))
    with pytest.raises(Boom):
        stage05.fetch(run)
    assert stopped == [True] and run.server is None
    stage05.finish(run)  # the last step closes again: harmless
    assert stopped == [True]


def connected_06(tmp_path, monkeypatch) -> tuple[stage06.PostRun, list]:
    """06 started on one day's (empty) proposals and connected to the loopback Reddit; each server stop recorded."""
    (tmp_path / "live").mkdir()
    (tmp_path / stage06.proposals.proposed_path("2021-05-06")).write_text("post_id,comment_id,comment,proposed_reply\n")
    run = stage06.start(params("06", tmp_path))
    assert run.date == "2021-05-06" and run.dry  # recorded: always a dry run
    stage06.connect(run)
    stopped: list = []
    watch(monkeypatch, run.server, stopped)
    return run, stopped


def failing(message: str):
    def fail(*a, **k):
        raise Boom(message)

    return fail


def test_06_stops_the_loopback_server_when_posting_fails(tmp_path, monkeypatch):
    run, stopped = connected_06(tmp_path, monkeypatch)
    run.proposed, run.review = pd.DataFrame({"comment_id": []}), pd.DataFrame()
    monkeypatch.setattr(stage06.posting, "post_replies", failing("posting failed"))
    with pytest.raises(Boom):
        stage06.post(run)
    assert stopped == [True] and run.server is None


def test_06_last_step_stops_the_server_even_if_pushing_fails(tmp_path, monkeypatch):
    run, stopped = connected_06(tmp_path, monkeypatch)
    monkeypatch.setattr(run.drive, "push", failing("drive went away"))
    with pytest.raises(Boom):
        stage06.finish(run)
    assert stopped == [True]
