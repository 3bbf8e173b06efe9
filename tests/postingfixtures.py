"""Calling posting.post_replies from tests with one flat set of keyword arguments: the PostSettings fields go into
the settings object (whose other fields keep the contract's defaults), the rest are post_replies' runtime arguments."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pandas as pd

from helpers.live import posting
from helpers.live.posting_settings import PostSettings

SETTINGS = {f.name for f in fields(PostSettings)}


def post_replies(reddit, review, ledger, **kw):
    settings = PostSettings(**{k: v for k, v in kw.items() if k in SETTINGS})
    return posting.post_replies(reddit, review, ledger, settings, **{k: v for k, v in kw.items() if k not in SETTINGS})


def start_post_workers(tmp_path: Path, server, rows, n: int, *extra: str, stdout=None
                       ) -> tuple[Path, Path, list[subprocess.Popen]]:
    """``n`` tests/post_worker.py processes on one Drive root (``tmp_path/drive``), each posting the review sheet that
    approves ``rows`` (comment, post, subreddit) through real PRAW to ``server``; they start together when the
    returned ``go`` file is written. ``extra``: post_worker's optional arguments (wait, per-subreddit cap)."""
    root = Path(__file__).resolve().parents[1]
    ini = server.praw_ini(tmp_path / "praw.ini")
    review = tmp_path / "review.csv"
    pd.DataFrame([{"comment_id": c, "post_id": p, "subreddit": s, "reply": f"a reply to {c}",
                   "approved": "True"} for c, p, s in rows]).to_csv(review, index=False)
    drive, go = tmp_path / "drive", tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, str(root / "tests" / "post_worker.py"), str(drive), str(ini),
                               str(review), str(go), str(tmp_path / f"run{k}.json"), f"run{k}", *extra],
                              cwd=root, stdout=stdout, text=True) for k in range(n)]
    return drive, go, procs
