"""Issue 24, item 3: 06 never posts to a subreddit whose current rules no person has confirmed, even with approved
rows and auto_approve, until a person confirms them (confirm_rules, or the panel's button); a change of the rules
stops posting there again. Real 06 check and post steps, real PRAW against the loopback Reddit, a real ledger."""

from __future__ import annotations

import pandas as pd

from helpers import drive as drv
from helpers.contract import notebook_params
from helpers.live import sheets, stage06

ROWS = [("c005", "p101", "sciencefiction"), ("c031", "p201", "gardening")]


def run_06(reddit, tmp_path, **extra) -> pd.DataFrame:
    """06's check and post steps, posting for real (not a dry run) with every row approved and auto_approve on."""
    p = notebook_params("06", {"drive_root": str(tmp_path), "drive_backend": "local", "run_date": "2021-05-06",
                               "auto_approve": True, "dry_run": False, "delay_min_s": 0, "delay_max_s": 0, **extra})
    (tmp_path / "live").mkdir(exist_ok=True)
    run = stage06.start(p)
    run.dry, run.client = False, reddit
    review = pd.DataFrame([{"subreddit": s, "post_id": pid, "comment_id": c, "reply": f"a reply to {c}",
                            "expected_score": 1.0, "approved": True, "decision": ""} for c, pid, s in ROWS])
    sheets.write_sheet(review, run.path(drv.REVIEW_SHEET))
    run.review, run.proposed = review, review[["comment_id"]]
    stage06.check(run)
    return stage06.post(run).set_index("comment_id")


def test_06_posts_only_where_a_person_confirmed_the_current_rules(reddit, server, tmp_path, capsys):
    res = run_06(reddit, tmp_path)
    assert list(res["status"]) == ["refused", "refused"] and "no person has confirmed" in res.loc["c005", "error"]
    assert server.state.comment_posts() == []
    assert "confirm_rules=['sciencefiction', 'gardening']" in capsys.readouterr().out
    res = run_06(reddit, tmp_path, confirm_rules=["sciencefiction"])
    assert res["status"].to_dict() == {"c005": "posted", "c031": "refused"}
    assert len(server.state.bot_replies("c005")) == 1 and server.state.bot_replies("c031") == []
    # the moderators reword a rule: the confirmation is void, c031's approved reply still waits
    server.state.communities.set_subreddit("sciencefiction", rules=[{"short_name": "No bots"}])
    server.state.communities.set_subreddit("gardening", rules=[{"short_name": "Be kind, always"}])
    res = run_06(reddit, tmp_path, confirm_rules=["gardening"])
    assert res["status"].to_dict() == {"c005": "done_before:posted", "c031": "posted"}
    assert len(server.state.comment_posts()) == 2


def test_the_panel_button_records_the_confirmation_and_lets_this_run_post(reddit, server, tmp_path, monkeypatch):
    from helpers.live import rules_panel
    from helpers.reddit.rules_confirm import Confirmations

    monkeypatch.setattr(rules_panel, "can_click", lambda: True)  # a person at a Jupyter or Colab frontend
    p = notebook_params("06", {"drive_root": str(tmp_path), "drive_backend": "local", "run_date": "2021-05-06"})
    (tmp_path / "live").mkdir()
    run = stage06.start(p)
    run.client = reddit
    run.review = pd.DataFrame([{"subreddit": s, "post_id": pid, "comment_id": c, "reply": "r", "approved": True}
                               for c, pid, s in ROWS])
    shown = stage06.check(run)
    assert set(run.blocked) == {"sciencefiction", "gardening"}
    panel = shown.children  # the cards: the heading, then one per unconfirmed subreddit
    assert len(panel) == 3 and "Use &gt;!spoiler tags!&lt; for plot details" in panel[1].children[0].value
    button = panel[1].children[1]
    button.click()
    assert button.disabled and "confirmed r/sciencefiction" in panel[1].children[2].value
    assert set(run.blocked) == {"gardening"}  # this run's post step may now use r/sciencefiction
    rec = Confirmations.load(tmp_path / drv.RULES_CONFIRMED).records["sciencefiction"]
    assert rec["confirmed_by"] == "a person in 06's notebook (confirm button)"


def test_a_sheet_naming_a_confirmed_subreddit_does_not_hide_an_unconfirmed_one(reddit, server, tmp_path):
    """c005 is in r/sciencefiction (05 proposed it from there); a person's sheet says r/gardening, which is confirmed.
    06 must look up where Reddit says the comment is, and that subreddit's rules are not confirmed."""
    p = notebook_params("06", {"drive_root": str(tmp_path), "drive_backend": "local", "run_date": "2021-05-06",
                               "dry_run": False, "delay_min_s": 0, "delay_max_s": 0, "confirm_rules": ["gardening"]})
    (tmp_path / "live").mkdir()
    run = stage06.start(p)
    run.dry, run.client = False, reddit
    review = pd.DataFrame([{"subreddit": "gardening", "post_id": "p201", "comment_id": "c005", "reply": "hello",
                            "expected_score": 1.0, "approved": True, "decision": ""}])
    sheets.write_sheet(review, run.path(drv.REVIEW_SHEET))
    run.review = review
    run.proposed = pd.DataFrame({"subreddit": ["sciencefiction"], "comment_id": ["c005"]})
    stage06.check(run)
    res = stage06.post(run)
    assert list(res["status"]) == ["refused"] and "no person has confirmed" in res.loc[0, "error"]
    assert res.loc[0, "subreddit"] == "sciencefiction" and server.state.comment_posts() == []


def test_a_conversation_turn_where_rules_only_wait_for_a_person_stays_open():
    """06 decides (logs and marks read) a turn only where a subreddit is refused, skipped or held; rules that wait for
    a person's confirmation leave it unread, so the turn is answered once they are confirmed."""
    from helpers.reddit import preflight

    pf = preflight.Preflight(account={}, table=pd.DataFrame([
        {"subreddit": "gardening", "verdict": "unconfirmed", "reason": "2 rule(s); no person has confirmed them"},
        {"subreddit": "boardgames", "verdict": "refused", "reason": "rule \"No bots\""},
        {"subreddit": "sciencefiction", "verdict": "ok", "reason": "3 rule(s)"}]))
    blocked = {**pf.blocked(), "*": "account suspended"}
    assert preflight.waits_for_person(blocked["gardening"]) and not preflight.waits_for_person(blocked["boardgames"])
    assert set(stage06.settled_blocks(blocked)) == {"boardgames", "*"}
