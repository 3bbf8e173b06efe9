"""Issue 24, item 4: a run that finds the posting lease held waits its turn (bounded, saying for whom) instead of
failing, unless told not to (lease_wait_s = 0). Four real processes post through real PRAW to the loopback Reddit
from one Drive root: the three that lose the lock wait, then post what is still unposted; nothing is posted twice."""

import json
import subprocess
import threading
import time

import fsspec
import pandas as pd
import pytest

from helpers.contract import default
from helpers.drive import open_drive
from helpers.live import posting
from helpers.live.lease import LEASE_FILE, LeaseHeld, posting_lock
from helpers.offline import fake_reddit
from postingfixtures import start_post_workers

ROWS = [("c005", "p101", "sciencefiction"), ("c007", "p101", "sciencefiction"), ("c013", "p101", "sciencefiction"),
        ("c019", "p102", "sciencefiction"), ("c023", "p102", "sciencefiction"), ("c031", "p201", "gardening"),
        ("c033", "p201", "gardening"), ("c039", "p201", "gardening"), ("c041", "p202", "gardening"),
        ("c043", "p202", "gardening"), ("c049", "p301", "boardgames"), ("c051", "p301", "boardgames"),
        ("c057", "p302", "boardgames"), ("c059", "p302", "boardgames")]
N_RUNS = 4


@pytest.mark.slow
def test_four_runs_on_many_comments_wait_their_turn_and_post_each_at_most_once(tmp_path):
    with fake_reddit.serve() as server:
        drive, go, procs = start_post_workers(tmp_path, server, ROWS, N_RUNS, "120", "3", stdout=subprocess.PIPE)
        time.sleep(0.5)
        go.write_text("go")
        outs = [p.communicate(timeout=240)[0] for p in procs]
        assert [p.returncode for p in procs] == [0] * N_RUNS
        runs = [json.loads((tmp_path / f"run{k}.json").read_text()) for k in range(N_RUNS)]
        posts = server.state.comment_posts()
        per_comment = pd.Series([r.params["thing_id"] for r in posts]).value_counts()
        replied_posts = {p for c, p, _ in ROWS if f"t1_{c}" in set(per_comment.index)}
        waited = [o for o in outs if "waiting up to 120 s for the posting lock, held by worker run" in o]
        ledger = posting.Ledger(drive / posting.LEDGER).df
        print(f"\nlease wait: runs={N_RUNS} refused={sum(bool(r['refused']) for r in runs)} waited={len(waited)} "
              f"comments={len(ROWS)} POSTs={len(posts)} posts_replied={len(replied_posts)} "
              f"posted_per_run={[r['statuses'].count('posted') for r in runs]}")
        assert all(r["refused"] == "" for r in runs)  # nobody failed: the losers waited
        assert len(waited) == N_RUNS - 1  # each loser said for whom it waited
        assert per_comment.max() == 1 and len(posts) == len(replied_posts)  # each comment, each post at most once
        assert len(posts) == 6  # one per post; every post was served across the runs (5 per run at most)
        assert (ledger["status"] == "posted").sum() == len(posts)
        assert sum(r["statuses"].count("posted") for r in runs) == len(posts)
        assert not (drive / LEASE_FILE).exists()


def test_a_local_run_waits_for_the_holder_and_then_gets_the_lock(tmp_path, capsys):
    drive = open_drive(tmp_path, "local")
    order = []

    def first():
        with posting_lock(drive, owner="06 first", wait_s=0):
            order.append("first in")
            time.sleep(0.6)
            order.append("first out")

    t = threading.Thread(target=first)
    t.start()
    deadline = time.monotonic() + 10
    while not order and time.monotonic() < deadline:
        time.sleep(0.01)
    assert order == ["first in"]
    with posting_lock(drive, owner="06 second", wait_s=30):
        order.append("second in")
    t.join()
    assert order == ["first in", "first out", "second in"]
    assert "waiting up to 30 s for the posting lock, held by 06 first on host" in capsys.readouterr().out


def test_a_local_run_told_not_to_wait_fails_at_once_and_a_bounded_wait_ends(tmp_path):
    drive = open_drive(tmp_path, "local")
    assert default("lease_wait_s", "06") == 900  # waiting is the default, bounded
    with posting_lock(drive, owner="06 first", wait_s=0):
        started = time.monotonic()
        with pytest.raises(LeaseHeld, match="06 first"):
            with posting_lock(drive, owner="06 second", wait_s=0):
                pass
        assert time.monotonic() - started < 1
        with pytest.raises(LeaseHeld, match=r"06 first.*\(waited 1 s\)"):
            with posting_lock(drive, owner="06 third", wait_s=1):
                pass


def test_a_drive_lease_is_waited_for_until_released_and_an_expired_one_is_not(tmp_path, capsys):
    fs = fsspec.filesystem("memory")
    fs.store.clear()
    a = open_drive(tmp_path / "a", "gdrive", "/bot", fs=fs)
    b = open_drive(tmp_path / "b", "gdrive", "/bot", fs=fs)
    slept = []
    holder = posting_lock(a, owner="06 colab tab 1", settle_s=0, sleep=lambda s: None)
    first = holder.__enter__()

    def sleep(s):  # the second run's clock: the first run finishes while the second waits
        slept.append(s)
        if len(slept) == 3:
            holder.__exit__(None, None, None)

    with posting_lock(b, owner="06 colab tab 2", wait_s=60, poll_s=5, settle_s=0, sleep=sleep) as second:
        assert json.loads(fs.cat_file(f"/bot/{LEASE_FILE}"))["token"] == second.token != first.token
    assert slept == [5, 5, 5, 0]  # polled while held, then the settle before verifying
    assert "waiting up to 60 s for the posting lock, held by 06 colab tab 1" in capsys.readouterr().out
    with posting_lock(a, owner="06 colab tab 3", ttl_s=0.01, settle_s=0, sleep=lambda s: None):
        time.sleep(0.05)  # expired, never released: waiting would not help, only break_lease does
        with pytest.raises(LeaseHeld, match="expired at .*break_lease=True"):
            with posting_lock(b, owner="06 colab tab 4", wait_s=60, settle_s=0, sleep=lambda s: None):
                pass
    with posting_lock(a, owner="06 colab tab 5", settle_s=0, sleep=lambda s: None):
        with pytest.raises(LeaseHeld, match=r"06 colab tab 5 .*\(waited 10 s\)"):  # a live holder: only so long
            with posting_lock(b, owner="06 colab tab 6", wait_s=10, poll_s=5, settle_s=0, sleep=lambda s: None):
                pass
