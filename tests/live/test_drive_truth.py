"""Issue 24, item 1: Drive is the source of truth while 06 runs. A person approves, rejects or edits a reply on Drive
during each of 06's steps (score, choose, review, post, finish), 07 adds a hold, another runtime writes the ledger:
06 never posts what the sheet on Drive no longer approves, and never writes its own stale copy over those changes.

06 runs step by step on the gdrive backend (the in-memory remote every "runtime" of a test shares) and posts for real,
through real PRAW, to the loopback Reddit. The score step's BERT models are not trained here: its result (the scored
candidates) is given, and "during score" is the time between the run's start (which pulls the files) and choose.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest

from helpers import drive as drv
from helpers.live import holds, posting, review_sheet, stage06
from helpers.live.ledger import read_ledger
from memorydrive import gdrive_params, memory_remote

FOLDER = "/bot_truth"
DATE = "2021-05-06"
SHEET = drv.REVIEW_SHEET.format(date=DATE)
BAK = drv.REVIEW_BACKUP.format(date=DATE)
CANDIDATES = [  # (subreddit, post_id, comment_id, reply, expected_score)
    ("sciencefiction", "p101", "c005", "That generation ship story stayed with me for weeks.", 2.5),
    ("gardening", "p201", "c031", "Steady watering fixed the splitting for me as well.", 2.2),
    ("gardening", "p202", "c041", "Mine sprouted in autumn too and came back fine in spring.", 2.0),
]
EDITED = "Mine did that too; they flowered fine the next spring."


def scored() -> pd.DataFrame:
    return pd.DataFrame([{"subreddit": s, "post_id": p, "title": f"post {p}", "comment_id": c,
                          "comment_permalink": f"/r/{s}/comments/{p}/x/{c}/", "comment": f"the comment {c}",
                          "proposed_reply": r, "prob_real": 0.97, "expected_score": e}
                         for s, p, c, r, e in CANDIDATES])


def run_06(tmp_path, name: str, reddit, **values) -> stage06.PostRun:
    """A 06 run in its own runtime (its own local cache of the shared remote), started: the files are pulled."""
    values.setdefault("confirm_rules", ["sciencefiction", "gardening"])  # a person read the bundled rules (issue 24)
    p = gdrive_params("06", tmp_path / name, FOLDER, run_date=DATE, dry_run=False, delay_min_s=0, delay_max_s=0,
                      **values)
    run = stage06.start(p)
    run.scored, run.proposed, run.client = scored(), scored(), reddit
    run.dry = False  # real PRAW against the loopback Reddit
    return run


def remote_sheet(fs) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, "sheet.csv")
        copy.write_bytes(fs.cat_file(f"{FOLDER}/{SHEET}"))
        return review_sheet.read_review(copy, warn=False).set_index("comment_id")


def edit_on_drive(fs, comment_id: str, **cells) -> None:
    """A person's change saved over the sheet on Drive (downloaded, edited, uploaded back)."""
    sheet = remote_sheet(fs).reset_index().astype(object)
    i = sheet.index[sheet["comment_id"] == comment_id][0]
    for col, value in cells.items():
        sheet.loc[i, col] = value
    with fs.open(f"{FOLDER}/{SHEET}", "wb") as f:
        f.write(sheet.to_csv(index=False).encode())


EDITS = {  # what a person does on Drive: the row, its cells
    "approve": ("c031", {"approved": "True", "decision": "approved"}),
    "reject": ("c005", {"approved": "False", "decision": "rejected"}),
    "edit": ("c041", {"reply": EDITED, "approved": "True", "decision": "approved"}),
}
STEPS = ("score", "choose", "review", "post", "finish")


def prepared(tmp_path, reddit, fs) -> None:
    """An earlier run left the sheet on Drive: c005 and c041 approved, c031 waiting for review."""
    first = run_06(tmp_path, "first", reddit, approve_ids=["c005", "c041"])
    stage06.choose(first)
    stage06.finish(first)


def posted_texts(server) -> dict[str, str]:
    return {r.params["thing_id"][3:]: r.params["text"].split("\n\n")[0] for r in server.state.comment_posts()}


def run_with_edit(tmp_path, reddit, fs, monkeypatch, kind: str, step: str) -> None:
    cid, cells = EDITS[kind]
    edit = lambda: edit_on_drive(fs, cid, **cells)  # noqa: E731
    run = run_06(tmp_path, "second", reddit)
    if step == "score":
        edit()
    if step == "choose":  # saved while choose merges: after it read the sheet, before it wrote
        merge = review_sheet.merge_approvals
        done = []

        def merging(review, previous):
            if not done:
                done.append(edit())
            return merge(review, previous)

        monkeypatch.setattr(review_sheet, "merge_approvals", merging)
    stage06.choose(run)
    if step == "review":
        edit()
    stage06.review(run)
    stage06.check(run)
    if step == "post":  # saved after the post step read the sheet, before the row is posted
        real = posting.post_replies

        def editing_then_posting(*a, **k):
            edit()
            return real(*a, **k)

        monkeypatch.setattr(stage06.posting, "post_replies", editing_then_posting)
    stage06.post(run)
    if step == "finish":
        edit()
    stage06.finish(run)


@pytest.mark.slow  # 15 runs of 06's steps, each with a posting lease that settles 2 s
@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("kind", sorted(EDITS))
def test_a_drive_edit_during_each_step_is_kept_and_decides_what_is_posted(tmp_path, reddit, server, monkeypatch,
                                                                         kind, step):
    fs = memory_remote(monkeypatch, FOLDER)
    prepared(tmp_path, reddit, fs)
    run_with_edit(tmp_path, reddit, fs, monkeypatch, kind, step)
    sheet, posted = remote_sheet(fs), posted_texts(server)
    print(f"\n{kind} during {step}: posted {posted}")
    before_post = STEPS.index(step) < STEPS.index("post")
    if kind == "approve":
        assert review_sheet.is_approved(sheet.loc["c031"])  # the person's approval is on Drive after the run
        assert ("c031" in posted) == before_post  # approved later: the next run posts it
    elif kind == "reject":
        row = sheet.loc["c005"]
        assert review_sheet.decision_of(row) == "rejected" and not review_sheet.is_approved(row)
        assert ("c005" in posted) == (step == "finish")  # rejected before its post: never posted
    else:
        assert sheet.loc["c041", "reply"] == EDITED and review_sheet.is_approved(sheet.loc["c041"])
        expected = {"score": EDITED, "choose": EDITED, "review": EDITED, "post": None, "finish": CANDIDATES[2][3]}
        assert posted.get("c041") == expected[step]  # never a text the person changed before it was posted
    assert len(server.state.comment_posts()) == len(posted)  # each at most once
    if step in ("score", "choose"):  # the backup holds the sheet as the person left it, their change included
        with fs.open(f"{FOLDER}/{BAK}", "rb") as f:
            assert (EDITED if kind == "edit" else cells_word(kind)) in f.read().decode()


def cells_word(kind: str) -> str:
    return {"approve": "approved", "reject": "rejected"}[kind]


def seventh_adds(tmp_path, fs, key: str, reason: str) -> None:
    """07 in its own runtime, as it runs: its cache pulled, the hold added, pushed."""
    d = drv.open_drive(tmp_path / "seven", "gdrive", FOLDER, fs=fs)
    d.pull(drv.HOLDS)
    holds.add_holds(d.path(drv.HOLDS), {key: reason})
    d.push(drv.HOLDS)


@pytest.mark.parametrize("step", ["score", "post"])
def test_a_hold_07_adds_during_06_stops_posting_and_stays(tmp_path, reddit, server, monkeypatch, step):
    fs = memory_remote(monkeypatch, FOLDER)
    prepared(tmp_path, reddit, fs)
    seventh_adds(tmp_path, fs, "r/boardgames", "1 reply removed by the moderators")  # an older hold
    run = run_06(tmp_path, "second", reddit)
    if step == "score":
        seventh_adds(tmp_path, fs, "account", "the account is suspended")
    stage06.choose(run)
    stage06.check(run)
    if step == "post":
        real = posting.post_replies

        def hold_then_post(*a, **k):
            seventh_adds(tmp_path, fs, "account", "the account is suspended")
            return real(*a, **k)

        monkeypatch.setattr(stage06.posting, "post_replies", hold_then_post)
    results = stage06.post(run)
    stage06.finish(run)
    assert server.state.comment_posts() == []  # nothing from a suspended account
    assert set(results.loc[results["comment_id"].isin(["c005", "c041"]), "status"]) <= {"refused", "withdrawn"}
    d = drv.open_drive(tmp_path / "later", "gdrive", FOLDER, fs=fs)
    d.pull(drv.HOLDS)
    assert set(holds.read_holds(d.path(drv.HOLDS))) == {"account", "r/boardgames"}  # 06 erased no hold


def test_a_ledger_event_written_by_another_runtime_during_posting_is_kept(tmp_path, reddit, server, monkeypatch):
    fs = memory_remote(monkeypatch, FOLDER)
    prepared(tmp_path, reddit, fs)
    run = run_06(tmp_path, "second", reddit)
    stage06.choose(run)
    stage06.check(run)
    real = posting.post_replies

    def other_event_then_post(*a, **k):
        other = drv.open_drive(tmp_path / "other", "gdrive", FOLDER, fs=fs)
        other.pull(drv.POSTING_LEDGER)
        posting.Ledger(other.path(drv.POSTING_LEDGER)).append(comment_id="c999", post_id="p999", subreddit="x",
                                                               status="posted", reply_id="r999", run_id="other")
        other.push(drv.POSTING_LEDGER)
        return real(*a, **k)

    monkeypatch.setattr(stage06.posting, "post_replies", other_event_then_post)
    stage06.post(run)
    stage06.finish(run)
    d = drv.open_drive(tmp_path / "later", "gdrive", FOLDER, fs=fs)
    d.pull(drv.POSTING_LEDGER)
    ledger = read_ledger(d.path(drv.POSTING_LEDGER))
    assert "c999" in set(ledger["comment_id"].astype(str))  # the other runtime's event survived (append-only)
    assert {"c005", "c041"} <= set(ledger.loc[ledger["status"] == "posted", "comment_id"].astype(str))


def test_holds_from_two_runtimes_with_stale_caches_merge_and_a_clear_is_not_undone(tmp_path, monkeypatch):
    """07 adds a hold and 06 clears another, each from its own runtime whose cache was pulled before the other
    wrote: both changes are on Drive after (a union of holds; only the named hold cleared), and neither finish
    pushes its copy over the file."""
    fs = memory_remote(monkeypatch, FOLDER)
    seventh_adds(tmp_path, fs, "r/gardening", "1 reply removed by the moderators")
    six = drv.open_drive(tmp_path / "six", "gdrive", FOLDER, fs=fs)
    seven = drv.open_drive(tmp_path / "seven2", "gdrive", FOLDER, fs=fs)
    six.pull(drv.HOLDS), seven.pull(drv.HOLDS)  # both runs started with {r/gardening}
    holds.add_holds(seven.path(drv.HOLDS), {"account": "the account is suspended"}, drive=seven)
    assert set(holds.clear_holds(six.path(drv.HOLDS), ["r/gardening"], drive=six)) == {"account"}
    for key in ("06", "07"):
        assert not any(g.startswith(drv.HOLDS) for g in stage_writes_synced(key))
    assert set(holds.current(tmp_path / "later" / drv.HOLDS,
                             drv.open_drive(tmp_path / "later", "gdrive", FOLDER, fs=fs))) == {"account"}


def stage_writes_synced(key: str) -> list[str]:
    from helpers.contract import stage

    return [f.path for f in stage(key).writes if f.synced]
