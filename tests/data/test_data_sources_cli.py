"""The issue's done-criteria as a user types them: `python -m helpers run 00 -p source=reddit|arctic_shift` against
loopback servers writes the three training files, prints the stage's outcome line, and, killed midway, resumes."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from helpers import drive as drv
from helpers.data.csv_source import load_sample
from helpers.drive import RAW_ARCTIC_SHIFT, RAW_REDDIT
from helpers.offline import fake_arctic_shift as fas
from helpers.offline import fake_reddit
from helpers.offline.fake_reddit_listings import threads_from_pairs

ROOT = Path(__file__).resolve().parents[2]
STAGE = "== stage 00_pull_reddit_data: "


def run00(drive, *params, env=None, background=False):
    cmd = [sys.executable, "-m", "helpers", "run", "00", "--drive", str(drive)]
    for p in params:
        cmd += ["-p", p]
    env = {**os.environ, "TQDM_DISABLE": "1", **(env or {})}
    if background:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def kill_when(proc, files, n, timeout=180):
    """SIGKILL the run (runner and its process group) once ``files()`` holds n saved files."""
    t0 = time.time()
    while len(files()) < n:
        assert proc.poll() is None, "the run ended before it could be killed: " + proc.stderr.read()[-2000:]
        assert time.time() - t0 < timeout, "no progress"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(3)  # the kernel notices its parent is gone (ipykernel's parent poller) and exits
    return sorted(files())


def slow(method, seconds):
    def wrapped(*a, **kw):
        time.sleep(seconds)
        return method(*a, **kw)
    return wrapped


@pytest.mark.slow
def test_outcome_line_for_the_sample(tmp_path):
    r = run00(tmp_path / "d", "max_chars=400")
    assert r.returncode == 0, r.stderr[-3000:]
    summary = json.loads((tmp_path / "d" / drv.DATA_SUMMARY).read_text())
    line = next(ln for ln in r.stderr.splitlines() if ln.startswith(STAGE + "source"))
    drops = sorted(summary["dropped"].items(), key=lambda kv: (-kv[1], kv[0]))
    assert summary["dropped_total"] > 0 and line == (
        f"{STAGE}source sample: {summary['rows_in']} rows in, {summary['rows_out']} kept, "
        f"{summary['dropped_total']} dropped (" + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in drops)
        + f"), {summary['truncated']} truncated")


@pytest.fixture()
def reddit_server(tmp_path):
    pairs = load_sample()
    pairs = pairs[pairs["subreddit"].isin(["writing", "scifi"])]
    with fake_reddit.serve(threads_from_pairs(pairs, {"writing": "funny", "scifi": "IAmA"})) as srv:
        conf = tmp_path / "xdg"
        conf.mkdir()
        (conf / "praw.ini").write_text(  # read-only: client id and secret, no username/password
            f"[bot]\nclient_id=loopback-client\nclient_secret=loopback-secret\noauth_url={srv.url}\n"
            f"reddit_url={srv.url}\ncheck_for_updates=False\n", encoding="utf-8")
        yield srv, {"XDG_CONFIG_HOME": str(conf), "PRAW_ALLOW_ENDPOINT_OVERRIDE": "1"}


@pytest.mark.slow
def test_source_reddit_end_to_end_killed_and_resumed(reddit_server, tmp_path):
    server, env = reddit_server
    drive = tmp_path / "d"
    params = ("source=reddit", 'subreddits=["funny","IAmA"]', "praw_site=bot")
    server.state.thread_json = slow(server.state.thread_json, 0.4)
    proc = run00(drive, *params, env=env, background=True)
    saved = kill_when(proc, lambda: list((drive / RAW_REDDIT).glob("*/*.csv")), 3)
    assert not (drive / drv.BERT_GAN_REAL).exists() and not list(drive.rglob("*.tmp*"))
    before = len(server.state.requests)
    r = run00(drive, *params, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    fetched = [q.path for q in server.state.requests[before:] if "/comments/" in q.path]
    assert not any(f"/comments/{p.stem}" in f for p in saved for f in fetched)  # saved posts not fetched again
    summary = json.loads((drive / drv.DATA_SUMMARY).read_text())
    stats = summary["source_stats"]
    assert stats["posts_resumed"] >= len(saved)
    assert stats["posts_resumed"] + stats["posts_pulled"] == 18  # 20 threads, 2 of them older than t=year
    assert summary["rows_out"] > 100 and set(summary["rows_per_subreddit"]) == {"funny", "IAmA"}
    for name in (drv.GPT2_FINETUNE, drv.GPT2_GENERATE, drv.BERT_GAN_REAL):
        assert (drive / name).stat().st_size > 0
    assert f"{STAGE}source reddit: " in r.stderr and "requests" in r.stderr
    assert "loopback-secret" not in (drive / drv.EXECUTED_DIR / "00_pull_reddit_data.ipynb").read_text()


@pytest.mark.slow
def test_source_arctic_shift_end_to_end_killed_and_resumed(tmp_path):
    pairs = load_sample()
    pairs = pairs[pairs["subreddit"].isin(["writing", "scifi"])]
    jan = datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()
    posts, comments = fas.records_from_pairs(pairs, jan, link_posts=3)
    drive = tmp_path / "d"
    with fas.serve(posts, comments) as server:
        params = ("source=arctic_shift", 'subreddits=["writing","scifi"]', 'months=["2023_12","2024_01"]',
                  f"arctic_shift_url={server.url}", "arctic_shift_interval_s=0")
        server.state.search = slow(server.state.search, 0.5)
        server.state.faults.append(fas.Fault("/api/comments/search", "429"))
        proc = run00(drive, *params, background=True)
        saved = kill_when(proc, lambda: list((drive / RAW_ARCTIC_SHIFT).glob("*/*.ndjson")), 2)
        assert not (drive / drv.BERT_GAN_REAL).exists()
        before = len(server.state.requests)
        r = run00(drive, *params)
        assert r.returncode == 0, r.stderr[-3000:]
        again = server.state.requests[before:]
    asked = {(q["params"]["subreddit"], q["params"]["before"], q["path"]) for q in again}
    kinds = {"submissions": "/api/posts/search", "comments": "/api/comments/search"}
    dec = str(int(jan))  # the end of the 2023_12 window
    for p in saved:  # e.g. writing/2023_12_comments.ndjson: not asked for again
        assert (p.parent.name, dec if p.name.startswith("2023_12") else "1706745600",
                kinds[p.stem.split("_")[-1]]) not in asked
    assert len(asked) == 8 - len(saved)
    summary = json.loads((drive / drv.DATA_SUMMARY).read_text())
    assert summary["rows_in"] == len(pairs) and summary["rows_out"] > 0.9 * len(pairs)
    assert len(list((drive / RAW_ARCTIC_SHIFT).glob("*/*.ndjson"))) == 8
    assert f"{STAGE}source arctic_shift: {len(pairs)} rows in" in r.stderr
