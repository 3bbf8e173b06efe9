"""Stage 07 speed: checking N posted replies against the loopback Reddit with real PRAW.

Scores and removal come from /api/info in batches of 100 (PRAW's chunking), so a check of N replies costs about
N / 100 requests; counting replies costs one more request per reply. The loopback has no network latency, so the
request counts are the numbers that carry over to reddit.com (where OAuth clients get about 100 requests a minute).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

from helpers import files

N_REPLIES = 500


def run(smoke: bool = False) -> dict:
    """smoke: 20 replies."""
    import os

    from helpers import drive as drv
    from helpers.live import posting
    from helpers.offline import fake_reddit
    from helpers.outcomes import outcomes
    from helpers.reddit import client as reddit_client

    os.environ.setdefault("PRAW_ALLOW_ENDPOINT_OVERRIDE", "1")
    n_replies = 20 if smoke else N_REPLIES
    out: dict = {"replies": n_replies}
    with fake_reddit.serve() as srv, tempfile.TemporaryDirectory() as tmp:
        st = srv.state
        parents = list(st.comments)
        rows = []
        for i in range(n_replies):  # the bot's replies, as 06 would have posted them
            cid = parents[i % len(parents)]
            reply = st.new_comment(f"t1_{cid}", f"reply {i}")["data"]
            rows.append({"event_at": "2026-11-20T00:00:00Z", "run_id": "bench", "comment_id": f"{cid}-{i}",
                         "post_id": reply["link_id"][3:], "subreddit": "bench", "status": "posted",
                         "reply_id": reply["id"], "error": "", "body": f"reply {i}"})
        root = Path(tmp)
        files.write_csv(pd.DataFrame(rows, columns=posting.LEDGER_COLUMNS), root / drv.POSTING_LEDGER)
        reddit = reddit_client.make_reddit("recorded", srv.praw_ini(root / "praw.ini"))[0]
        for label, count in (("scores_only", False), ("with_reply_counts", True)):
            n0 = len(st.requests)
            t0 = time.perf_counter()
            _, summary = outcomes.track(reddit, root, count_replies=count)
            wall = time.perf_counter() - t0
            reqs = st.requests[n0:]
            out[label] = {"seconds": round(wall, 2), "requests": len(reqs),
                          "info_requests": sum(1 for r in reqs if r.path == "/api/info"),
                          "replies_per_s": round(n_replies / wall, 1), "tracked": summary["replies"]}
        out["history_rows"] = len(pd.read_csv(root / drv.OUTCOME_HISTORY))
    return out
