"""One 06 posting run of a conversation turn as its own process (issue 27's kill and concurrency tests): waits for a
start signal, takes the Drive root's posting lock, posts the approved rows, logs each decided inbox item and marks it
read. ``stop_at`` (after_posted | before_mark_read | "") writes a marker file and sleeps there, so the test can kill
it at that point."""

import json
import sys
import time
from pathlib import Path

import pandas as pd

from helpers.drive import open_drive
from helpers.live import conversation, posting
from helpers.live.lease import LeaseHeld, posting_lock
from helpers.reddit import client as reddit_client


def stopper(stop_at: str, marker: Path):
    def stop(step: str, *_):
        if step == stop_at:
            marker.write_text(step)
            time.sleep(120)  # the test kills the process here
    return stop


def main(drive_root: str, praw_ini: str, review_csv: str, go_file: str, out_json: str, run_id: str,
         stop_at: str = "") -> None:
    reddit = reddit_client.make_reddit("recorded", praw_ini)[0]
    review = pd.read_csv(review_csv, dtype=str, keep_default_na=False)
    drive = open_drive(drive_root, "local")
    stop = stopper(stop_at, Path(out_json + ".stopped"))
    deadline = time.monotonic() + 60
    while not Path(go_file).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no start signal within 60 s")
        time.sleep(0.01)
    result = {"run_id": run_id, "refused": "", "statuses": [], "decisions": {}}
    mark_read = conversation.mark_read

    def mark_read_after_stop(reddit_, ids):
        stop("before_mark_read")
        return mark_read(reddit_, ids)

    conversation.mark_read = mark_read_after_stop
    try:
        with posting_lock(drive, owner=f"worker {run_id}") as lease:
            ledger = posting.Ledger(drive.path(posting.LEDGER), on_write=lease.heartbeat)
            settings = posting.PostSettings(dry_run=False, delay_min_s=0, delay_max_s=0)
            res = posting.post_replies(reddit, review, ledger, settings, bot_username="reply_bot_demo", run_id=run_id,
                                       hook=stop, heartbeat=lease.heartbeat, conversations={"i201": 2})
            result["statuses"] = list(res["status"])
            log = conversation.InboxLog(Path(drive_root) / "live" / "inbox_log.csv")
            result["decisions"] = conversation.record_decisions(reddit, res, {"i201"}, log)
    except LeaseHeld as e:
        result["refused"] = str(e)
    Path(out_json).write_text(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:])
