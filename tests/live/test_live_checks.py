"""05, 06 and 07 with the preflight and the holds, real PRAW against the loopback Reddit: a subreddit whose rules forbid
bots gets no candidates and no post (approved or not, whatever the sheet claims), trouble seen by 07 stops posting
there until a person clears it, and the disclosure footer is on unless someone empties it (then a warning)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import postingfixtures
from helpers import drive as drv
from helpers.contract import default, notebook_params
from helpers.errors import StageError
from helpers.live import holds, posting, stage05, stage06
from helpers.outcomes import stage07
from helpers.reddit import preflight


def params(key: str, drive, **extra) -> object:
    return notebook_params(key, {"drive_root": str(drive), "drive_backend": "local", **extra})


def sheet(rows, approved=True) -> pd.DataFrame:
    return pd.DataFrame([{"subreddit": sub, "post_id": pid, "comment_id": cid, "reply": f"a reply to {cid}",
                          "approved": approved} for cid, pid, sub in rows])


def post(reddit, server, tmp_path, rv, **kw):
    ledger = posting.Ledger(tmp_path / "live" / "posting_ledger.csv")
    kw = {"dry_run": False, "delay_min_s": 0, "delay_max_s": 0, "sleep": lambda s: None, "seed": 1, **kw}
    return postingfixtures.post_replies(reddit, rv, ledger, bot_username=server.state.bot_username, **kw)


def test_05_generates_nothing_for_a_subreddit_whose_rules_forbid_bots(tmp_path):
    run = stage05.start(params("05", tmp_path))
    try:
        stage05.connect(run)
        table = stage05.check(run)
        assert run.subreddits == ["sciencefiction", "gardening"]
        assert "No bots or AI-generated content" in table.set_index("subreddit").loc["boardgames", "reason"]
        stage05.fetch(run)
        assert "boardgames" not in set(run.comments["subreddit"]) and len(run.comments)
        saved = json.loads((tmp_path / drv.PREFLIGHT.format(date=run.date)).read_text())
        assert {r["subreddit"]: r["verdict"] for r in saved["checks"]["05"]["subreddits"]}["boardgames"] == "refused"
    finally:
        run.stop_server()
    run = stage05.start(params("05", tmp_path, bot_allowed_subreddits=["boardgames"]))
    try:
        stage05.connect(run)
        stage05.check(run)
        assert run.subreddits == ["sciencefiction", "gardening", "boardgames"]
    finally:
        run.stop_server()


def test_06_never_posts_where_the_rules_forbid_bots_even_approved_or_auto(reddit, server, tmp_path):
    blocked = preflight.preflight(reddit, ["gardening", "boardgames"]).blocked()
    rv = sheet([("c031", "p201", "gardening"), ("c057", "p302", "boardgames")])
    res = post(reddit, server, tmp_path, rv, auto_approve=True, blocked=blocked)
    assert list(res["status"]) == ["posted", "refused"]
    assert 'rule "No bots or AI-generated content"' in res.loc[1, "error"]
    assert [r.params["thing_id"] for r in server.state.comment_posts()] == ["t1_c031"]
    # the sheet lies about where the comment lives: Reddit's answer decides, and it is still refused
    res = post(reddit, server, tmp_path, sheet([("c057", "p201", "gardening")]), blocked=blocked)
    assert list(res["status"]) == ["refused"] and res.loc[0, "subreddit"] == "boardgames"
    assert len(server.state.comment_posts()) == 1
    # a person with the moderators' permission lists it by name: now it may be posted
    allowed = preflight.preflight(reddit, ["boardgames"], allowed=["boardgames"]).blocked()
    res = post(reddit, server, tmp_path, sheet([("c057", "p302", "boardgames")]), blocked=allowed)
    assert list(res["status"]) == ["posted"]


def test_06_check_blocks_refused_and_held_subreddits_and_clears_holds_by_name(reddit, tmp_path, capsys):
    (tmp_path / "live").mkdir()
    holds.add_holds(tmp_path / drv.HOLDS, {"r/gardening": "1 reply removed by the moderators"})
    run = stage06.start(params("06", tmp_path, run_date="2021-05-06", confirm_rules=["sciencefiction", "gardening"]))
    run.client, run.review = reddit, sheet([("c031", "p201", "gardening"), ("c057", "p302", "boardgames"),
                                            ("c005", "p101", "sciencefiction")])
    stage06.check(run)
    assert set(run.blocked) == {"gardening", "boardgames"} and "removed" in run.blocked["gardening"]
    run = stage06.start(params("06", tmp_path, run_date="2021-05-06", clear_holds=["r/gardening"]))
    run.client, run.review = reddit, sheet([("c031", "p201", "gardening")])
    stage06.check(run)
    assert run.blocked == {} and holds.read_holds(tmp_path / drv.HOLDS) == {}
    assert "hold cleared by clear_holds: r/gardening" in capsys.readouterr().out


def test_disclosure_footer_is_on_by_default_and_an_empty_one_warns_on_live_runs(reddit, server, tmp_path, capsys):
    footer = default("disclosure_footer", "06")
    assert "bot" in footer and "approved by a person" in footer
    res = post(reddit, server, tmp_path, sheet([("c031", "p201", "gardening")]), dry_run=True, footer=footer)
    assert res.loc[0, "body"] == "a reply to c031\n\n" + footer  # what would_post shows
    (tmp_path / "live").mkdir(exist_ok=True)
    for value, warned in ((footer, False), ("", True)):
        run = stage06.start(params("06", tmp_path, run_date="2021-05-06", reddit="live", disclosure_footer=value))
        run.client, run.review = reddit, sheet([("c031", "p201", "gardening")])
        stage06.check(run)
        assert ("WARNING: disclosure_footer is empty" in capsys.readouterr().out) == warned


def posted_on_loopback(reddit, server, tmp_path, rows):
    """Replies really posted to the loopback server, recorded in the Drive root's ledger."""
    res = post(reddit, server, tmp_path, sheet(rows))
    assert (res["status"] == "posted").all()
    return res


def run_07(reddit, tmp_path):
    run = stage07.start(params("07", tmp_path, reddit="live"))
    run.client = reddit  # "live" against the loopback: the recorded mode refuses a ledger with posted replies
    return run


def test_07_a_removed_reply_stops_posting_there_until_cleared(reddit, server, tmp_path, capsys):
    res = posted_on_loopback(reddit, server, tmp_path, [("c031", "p201", "gardening"),
                                                        ("c005", "p101", "sciencefiction")])
    server.state.delete_comment(res.loc[0, "reply_id"], removed=True)  # the moderators removed it
    run = run_07(reddit, tmp_path)
    stage07.check(run)
    stage07.track(run)
    held = holds.read_holds(tmp_path / drv.HOLDS)
    assert set(held) == {"r/gardening"} and "removed by the moderators" in held["r/gardening"]["reason"]
    assert "NEW: posting stopped for r/gardening" in capsys.readouterr().out
    out = post(reddit, server, tmp_path, sheet([("c041", "p202", "gardening")]), blocked=holds.blocked(held))
    assert list(out["status"]) == ["refused"] and len(server.state.comment_posts()) == 2
    holds.clear_holds(tmp_path / drv.HOLDS, ["r/gardening"])
    stage07.track(run_07(reddit, tmp_path))  # the same removed reply does not bring the cleared hold back
    assert holds.read_holds(tmp_path / drv.HOLDS) == {}


def test_07_a_ban_holds_the_subreddit_and_a_suspension_holds_everything(reddit, server, tmp_path):
    posted_on_loopback(reddit, server, tmp_path, [("c031", "p201", "gardening")])
    server.state.ban("gardening")
    stage07.check(run_07(reddit, tmp_path))
    assert "banned" in holds.read_holds(tmp_path / drv.HOLDS)["r/gardening"]["reason"]
    server.state.communities.suspend()
    with pytest.raises(StageError, match="suspended"):
        stage07.check(run_07(reddit, tmp_path))
    blocked = holds.blocked(holds.read_holds(tmp_path / drv.HOLDS))
    assert set(blocked) == {holds.EVERYWHERE}
    out = post(reddit, server, tmp_path, sheet([("c005", "p101", "sciencefiction")]), blocked=blocked)
    assert list(out["status"]) == ["refused"] and "suspended" in out.loc[0, "error"]
