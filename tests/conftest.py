"""Shared fixtures. The `pipeline` fixture runs the notebooks once per test session, in order, into one temporary
Drive root, so each notebook test asks only for the stages it needs (`pipeline.upto("03")`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from helpers.pipeline.presets import load_preset

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("PRAW_ALLOW_ENDPOINT_OVERRIDE", "1")

# Smallest settings that still exercise every code path (helpers/pipeline/presets/smoke.toml). Passed to every stage
# that
# declares the parameter.
SMOKE_PARAMS: dict = load_preset("smoke")


def pytest_collection_modifyitems(config, items):
    """Run tests marked tf1 last: importing gpt-2-simple calls tf.compat.v1.disable_eager_execution() for the whole
    process, after which Keras 3 (BERT) cannot train or predict. Notebooks are unaffected: each has its own kernel."""
    items.sort(key=lambda item: item.get_closest_marker("tf1") is not None)


@pytest.fixture(autouse=True)
def _eager_still_on(request):
    """Fail loudly (not with a deep tf.data error) if a Keras test runs after gpt-2-simple was imported."""
    if request.node.get_closest_marker("tf1") is None and "gpt_2_simple" in sys.modules:
        import tensorflow as tf

        if not tf.executing_eagerly():
            pytest.fail("eager execution is off: a test that imports gpt-2-simple ran before this one; mark it tf1")
    yield


class Pipeline:
    """Runs stages lazily and once: upto("02") runs 00, 01, 02 if they have not run yet in this session."""

    def __init__(self, root: Path, params: dict):
        self.root = root
        self.params = dict(params)
        self.done: list[str] = []

    def upto(self, stage: str) -> Path:
        from helpers.pipeline import runner

        stages = runner.list_stages()
        target = runner.resolve_stage(stage, stages)
        for key in stages:
            if key > target:
                break
            if key not in self.done:
                runner.run_stage(key, self.root, self.params, stages)
                self.done.append(key)
        return self.root


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory) -> Pipeline:
    return Pipeline(tmp_path_factory.mktemp("drive"), SMOKE_PARAMS)


@pytest.fixture()
def server(monkeypatch):
    """The loopback Reddit with the recorded threads (one shared fixture; a test file may override it)."""
    from helpers.offline import fake_reddit

    monkeypatch.setattr("time.sleep", lambda s: None)  # prawcore's own back-off between retries
    with fake_reddit.serve() as srv:
        yield srv


@pytest.fixture()
def reddit(server, tmp_path):
    """Real PRAW pointed at `server` through a praw.ini site."""
    from helpers.reddit import client as reddit_client

    return reddit_client.make_reddit("recorded", server.praw_ini(tmp_path / "praw.ini"))[0]
