"""Issues 24 and 27: the files people's words live in are merged on Drive, never written over. Two runtimes (two
Colabs, 05 and 06 at once) each started with a copy of live/optouts.json, live/inbox_log.csv and
live/rules_confirmed.json; each adds its opt-out, its log rows, its confirmation and finishes its stage (push_outputs):
everything both added is on Drive. A lost opt-out would answer a person who asked the bot to stop.

gdrive: the in-memory remote both runtimes share (each with its own local cache, pulled at its start); local: one
folder, two threads writing at once.
"""

from __future__ import annotations

import threading

import pandas as pd

from helpers import drive as drv
from helpers.live import optouts, rules_panel
from helpers.live.conversation import InboxLog
from helpers.reddit.rules_confirm import Confirmations
from helpers.stage import push_outputs
from memorydrive import gdrive_params, memory_remote

FOLDER = "/bot_person_files"
RULES = [{"short_name": "Be kind", "description": "No insults.", "violation_reason": "Be kind"}]


def runtimes(tmp_path, monkeypatch, key: str):
    """Two runtimes of stage ``key`` on one remote, both started (the contract's reads pulled) before either
    writes: each holds a copy the other is about to make stale."""
    fs = memory_remote(monkeypatch, FOLDER)
    fs.pipe_file(f"{FOLDER}/{drv.OPTOUTS}", b'{"people": {"first_one": {"name": "first_one"}}}\n')
    fs.pipe_file(f"{FOLDER}/{drv.INBOX_LOG}", InboxLog(tmp_path / "seed.csv").read().to_csv(index=False).encode())
    out = []
    for name in ("a", "b"):
        p = gdrive_params(key, tmp_path / name, FOLDER)
        d = drv.open_drive(p.drive_root, "gdrive", FOLDER, fs=fs)
        d.pull(drv.OPTOUTS, drv.INBOX_LOG, drv.RULES_CONFIRMED)
        out.append((p, d))
    return fs, out


def remote_json(fs, rel: str) -> dict:
    import json

    return json.loads(fs.cat_file(f"{FOLDER}/{rel}"))


def test_two_runtimes_opt_outs_both_stay_on_drive(tmp_path, monkeypatch):
    fs, [(pa, a), (pb, b)] = runtimes(tmp_path, monkeypatch, "05")
    optouts.add_optout(a.path(drv.OPTOUTS), "Alice", "c1", "stop", drive=a)
    optouts.add_optout(b.path(drv.OPTOUTS), "Bob", "c2", "bad bot", drive=b)
    push_outputs("05", pa, a)
    push_outputs("05", pb, b)
    assert set(remote_json(fs, drv.OPTOUTS)["people"]) == {"first_one", "alice", "bob"}
    assert set(optouts.current(a.path(drv.OPTOUTS), a)) == {"first_one", "alice", "bob"}  # reads pull Drive's copy


def test_two_runtimes_inbox_log_rows_both_stay_on_drive(tmp_path, monkeypatch):
    fs, [(pa, a), (pb, b)] = runtimes(tmp_path, monkeypatch, "05")
    log_a, log_b = InboxLog(a.path(drv.INBOX_LOG), a), InboxLog(b.path(drv.INBOX_LOG), b)
    log_a.append([{"stage": "05", "inbox_id": "t1_a", "decision": "skipped", "reason": "asked_to_stop"}])
    log_b.append([{"stage": "06", "inbox_id": "t1_b", "decision": "posted"}])
    push_outputs("05", pa, a)
    push_outputs("06", gdrive_params("06", pb.drive_root, FOLDER), b)
    on_drive = pd.read_csv(pd.io.common.BytesIO(fs.cat_file(f"{FOLDER}/{drv.INBOX_LOG}")))
    assert sorted(on_drive["inbox_id"]) == ["t1_a", "t1_b"]
    assert InboxLog(a.path(drv.INBOX_LOG), a).decided() == {"t1_a": "skipped", "t1_b": "posted"}


def test_two_runtimes_rules_confirmations_both_stay_on_drive(tmp_path, monkeypatch):
    fs, [(pa, a), (pb, b)] = runtimes(tmp_path, monkeypatch, "06")
    book_a = rules_panel.decided(pa, a, "06")["confirmations"]
    book_b = rules_panel.decided(pb, b, "06")["confirmations"]
    book_a.record("gardening", RULES, "a person in 06's notebook")
    book_b.record("sciencefiction", RULES, "a person in 06's notebook")
    first = remote_json(fs, drv.RULES_CONFIRMED)["subreddits"]["sciencefiction"]["confirmed_at"]
    book_b.record("gardening", RULES + RULES, "a person in 07")  # newer confirmation of the same subreddit
    push_outputs("06", pa, a)
    push_outputs("06", pb, b)
    subs = remote_json(fs, drv.RULES_CONFIRMED)["subreddits"]
    assert set(subs) == {"gardening", "sciencefiction"}
    assert subs["gardening"]["rules_count"] == 2 and subs["sciencefiction"]["confirmed_at"] == first
    assert set(rules_panel.decided(pa, a, "06")["confirmations"].records) == {"gardening", "sciencefiction"}


def both_at_once(*jobs) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_local_writers_at_once_lose_nothing(tmp_path):
    """local/colab: two writers of one folder at once (and a confirmation book read before the other wrote)."""
    path, log_path, book_path = tmp_path / drv.OPTOUTS, tmp_path / drv.INBOX_LOG, tmp_path / drv.RULES_CONFIRMED
    book_a, book_b = Confirmations.load(book_path), Confirmations.load(book_path)

    def writer(tag: str, book: Confirmations, sub: str):
        def run():
            for i in range(25):
                optouts.add_optout(path, f"{tag}{i}", f"c{tag}{i}", "stop")
                InboxLog(log_path).append([{"stage": "05", "inbox_id": f"t1_{tag}{i}", "decision": "skipped"}])
            book.record(sub, RULES, "a person")
        return run

    both_at_once(writer("a", book_a, "gardening"), writer("b", book_b, "sciencefiction"))
    assert len(optouts.read_optouts(path)) == 50
    assert len(InboxLog(log_path).read()) == 50
    assert set(Confirmations.load(book_path).records) == {"gardening", "sciencefiction"}
