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

    def fail(*a, **k):
        raise Boom("reddit went away")

    monkeypatch.setattr(stage05.proposals, "fetch_comments", fail)
    with pytest.raises(Boom):
        stage05.fetch(run)
    assert stopped == [True] and run.server is None
    stage05.finish(run)  # the last step closes again: harmless
    assert stopped == [True]


def test_06_stops_the_loopback_server_when_posting_fails(tmp_path, monkeypatch):
    day = "2021-05-06"
    (tmp_path / "live").mkdir()
    (tmp_path / stage06.proposals.proposed_path(day)).write_text("post_id,comment_id,comment,proposed_reply\n")
    run = stage06.start(params("06", tmp_path))
    assert run.date == day and run.dry  # recorded: always a dry run
    run.proposed, run.review = pd.DataFrame({"comment_id": []}), pd.DataFrame()
    stage06.connect(run)
    stopped = []
    watch(monkeypatch, run.server, stopped)

    def fail(*a, **k):
        raise Boom("posting failed")

    monkeypatch.setattr(stage06.posting, "post_replies", fail)
    with pytest.raises(Boom):
        stage06.post(run)
    assert stopped == [True] and run.server is None


def test_06_last_step_stops_the_server_even_if_pushing_fails(tmp_path, monkeypatch):
    (tmp_path / "live").mkdir()
    (tmp_path / stage06.proposals.proposed_path("2021-05-06")).write_text("post_id,comment_id,comment,proposed_reply\n")
    run = stage06.start(params("06", tmp_path))
    stage06.connect(run)
    stopped = []
    watch(monkeypatch, run.server, stopped)

    def fail(*a, **k):
        raise Boom("drive went away")

    monkeypatch.setattr(run.drive, "push", fail)
    with pytest.raises(Boom):
        stage06.finish(run)
    assert stopped == [True]
