"""The loopback Reddit with the recorded inbox (helpers/offline/files/recorded_inbox.json) and real PRAW on it: the
`server` and `reddit` fixtures of the conversation tests (import both into a test module to use them there)."""

from __future__ import annotations

import pytest

from helpers.offline import fake_reddit, fake_reddit_inbox
from helpers.reddit import client as reddit_client


@pytest.fixture()
def server(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    with fake_reddit.serve(inbox=fake_reddit_inbox.RECORDED_INBOX) as srv:
        yield srv


@pytest.fixture()
def reddit(server, tmp_path):
    return reddit_client.make_reddit("recorded", server.praw_ini(tmp_path / "praw.ini"))[0]
