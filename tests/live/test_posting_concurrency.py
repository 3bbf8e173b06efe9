"""Issue 10, case 1: runs of 06 started together against one Drive root. N real processes post through real PRAW to
the loopback server; the posting lock lets one writer at a time, so every approved reply is POSTed once and every
event each run wrote is in the ledger."""

import json
import time

import pytest

from helpers.drive import open_drive
from helpers.live import posting
from helpers.live.lease import LEASE_FILE, LeaseHeld, posting_lock
from helpers.offline import fake_reddit
from postingfixtures import start_post_workers

ROWS = [("c005", "p101", "sciencefiction"), ("c031", "p201", "gardening"), ("c041", "p202", "gardening"),
        ("c057", "p302", "boardgames")]
N_RUNS = 4


@pytest.mark.slow
def test_n_runs_at_once_post_each_approved_reply_once_and_lose_no_event(tmp_path):
    with fake_reddit.serve() as server:
        drive, go, procs = start_post_workers(tmp_path, server, ROWS, N_RUNS)
        time.sleep(0.5)
        go.write_text("go")
        codes = [p.wait(timeout=180) for p in procs]
        assert codes == [0] * N_RUNS
        runs = [json.loads((tmp_path / f"run{k}.json").read_text()) for k in range(N_RUNS)]
        ledger = posting.Ledger(drive / posting.LEDGER).df
        approved = len(ROWS)
        posts = len(server.state.comment_posts())
        print(f"\nconcurrency: runs={N_RUNS} refused={sum(bool(r['refused']) for r in runs)} approved={approved} "
              f"POSTs={posts} ledger_events={len(ledger)} "
              f"events_reported={sum(r['events'] for r in runs)}")
        assert posts == approved
        assert {c: len(server.state.bot_replies(c)) for c, _, _ in ROWS} == dict.fromkeys(["c005", "c031", "c041",
                                                                                           "c057"], 1)
        for r in runs:  # every event every run wrote is still in the ledger
            assert (ledger["run_id"] == r["run_id"]).sum() == r["events"]
            assert r["refused"] == "" or "another run is posting from this Drive root" in r["refused"]
        assert (ledger["status"] == "posted").sum() == approved
        assert not (drive / LEASE_FILE).exists()  # released at the end


def test_a_second_local_run_told_not_to_wait_refuses_at_once_naming_the_holder(tmp_path):
    drive = open_drive(tmp_path, "local")
    with posting_lock(drive, owner="06 first"):
        with pytest.raises(LeaseHeld, match=r"06 first on host .* pid \d+.*expires at \d{4}-\d\d-\d\d"):
            with posting_lock(drive, owner="06 second", wait_s=0):  # told not to wait
                pass
    with posting_lock(drive, owner="06 third"):  # free again once the first run ended
        pass


def test_a_drive_lease_is_verified_refused_and_broken_only_explicitly(tmp_path):
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.store.clear()
    a = open_drive(tmp_path / "a", "gdrive", "/bot", fs=fs)
    b = open_drive(tmp_path / "b", "gdrive", "/bot", fs=fs)
    no_wait = {"settle_s": 0, "sleep": lambda s: None}
    with posting_lock(a, owner="06 colab tab 1", ttl_s=0.01, **no_wait) as first:
        assert fs.exists(f"/bot/{LEASE_FILE}")
        time.sleep(0.05)  # the first lease has expired: still refused until broken explicitly
        with pytest.raises(LeaseHeld, match=r"06 colab tab 1 .*expired at .*break_lease=True"):
            with posting_lock(b, owner="06 colab tab 2", **no_wait):
                pass
        with posting_lock(b, owner="06 colab tab 2", break_lease=True, **no_wait):
            with pytest.raises(LeaseHeld, match="no longer this run's .*06 colab tab 2"):
                first.heartbeat()  # the first run stops before its next post
        assert not fs.exists(f"/bot/{LEASE_FILE}")
