"""One posting run of 06 as its own process, for the concurrency test: waits for a start signal (so N processes
really post at the same time), takes the Drive root's posting lock, posts the approved rows, and writes what it did
as JSON. A run refused by the lock writes that too. Optional: how long a run that finds the lock held waits for it
(lease_wait_s; 0: refuse at once) and the per-subreddit daily cap."""

import json
import sys
import time
from pathlib import Path

import pandas as pd

from helpers.drive import open_drive
from helpers.live import posting
from helpers.live.lease import LeaseHeld, posting_lock
from helpers.reddit import client as reddit_client


def main(drive_root: str, praw_ini: str, review_csv: str, go_file: str, out_json: str, run_id: str,
         wait_s: str = "0", sub_cap: str = "3") -> None:
    reddit = reddit_client.make_reddit("recorded", praw_ini)[0]
    review = pd.read_csv(review_csv, dtype=str)
    drive = open_drive(drive_root, "local")
    deadline = time.monotonic() + 60
    while not Path(go_file).exists():  # bounded wait for the common start
        if time.monotonic() > deadline:
            raise SystemExit("no start signal within 60 s")
        time.sleep(0.01)
    result = {"run_id": run_id, "refused": "", "events": 0, "statuses": []}

    def count_and_renew():
        result["events"] += 1
        lease.heartbeat()

    try:
        with posting_lock(drive, owner=f"worker {run_id}", wait_s=float(wait_s)) as lease:
            ledger = posting.Ledger(drive.path(posting.LEDGER), on_write=count_and_renew)
            settings = posting.PostSettings(dry_run=False, auto_approve=True, delay_min_s=0.2, delay_max_s=0.2,
                                            max_posts_per_subreddit_per_day=int(sub_cap))
            res = posting.post_replies(reddit, review, ledger, settings, bot_username="demo_bot", run_id=run_id,
                                       heartbeat=lease.heartbeat)
            result["statuses"] = list(res["status"])
    except LeaseHeld as e:
        result["refused"] = str(e)
    Path(out_json).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
